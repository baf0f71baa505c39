"""Headquarters: the portfolio, benchmarks across delegations, trends, exports and API tokens."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import (
    Blueprint, Response, abort, current_app, flash, g, make_response, redirect, render_template, request,
    stream_with_context, url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.definitions import get_definitions
from readiness.domain import explain
from readiness.domain.benchmark import NotComparable, change_between, comparable_run, perception_gaps, position_among, quartiles
from readiness.domain.explain import SEVERITIES
from readiness.domain.policies import is_headquarters
from readiness.domain.uncertainty import Rank
from readiness.exports.tables import csv_chunks, results_table, xlsx_chunks
from readiness.exports.throttle import one_export_at_a_time
from readiness.extensions import db
from readiness.models import ApiToken, Delegation
from readiness.questionnaire.schema import Questionnaire
from readiness.read import benchmark as read
from readiness.read.benchmark import sort_scores
from readiness.read.filters import Filters, parse_filters
from readiness.read.labels import CONTEXT_TYPES, ETHICS, STATUSES, dimension_label, flag_title, role_label
from readiness.read.portfolio import PortfolioRow, filter_options, portfolio as portfolio_rows, portfolio_counts
from readiness.read.results import dimension_ids, iter_result_rows
from readiness.reports.data import format_day
from readiness.forms.accounts import ApiTokenForm
from readiness.services import api_tokens, sessions
from readiness.web import once
from readiness.web.auth import allowed
from readiness.web.helpers import current_lang

bp = Blueprint("hq", __name__, url_prefix="/hq")
NEW_API_TOKEN = "new_api_token"
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.before_request
def _headquarters_only() -> None:
    allowed(is_headquarters)


@bp.context_processor
def _labels() -> dict[str, object]:
    # Translated once per page, not once per row: a lazy string asks Babel for the locale at each use.
    return {
        "context_types": _translated(CONTEXT_TYPES), "statuses": _translated(STATUSES),
        "ethics_labels": _translated(ETHICS), "severities": SEVERITIES,
    }


def _translated(labels: dict[str, object]) -> dict[str, str]:
    return {key: str(label) for key, label in labels.items()}


def _filters() -> Filters:
    filters = parse_filters(request.args)
    if filters.problems:
        flash(_("Some filters were not understood and were left out: %(names)s.", names=", ".join(filters.problems)), "warning")
    return filters


def _questionnaire(versions: list[str] | tuple[str, ...] = ()) -> Questionnaire:
    """The newest loaded version among ``versions`` names the dimensions (any loaded one if none is)."""
    definitions = get_definitions()
    for version in sorted(versions, reverse=True):
        if (read.QUESTIONNAIRE, version) in definitions.questionnaires:
            return definitions.questionnaire(read.QUESTIONNAIRE, version)
    return definitions.latest_questionnaire(read.QUESTIONNAIRE)


def _comparable_versions(filters: Filters) -> list[str]:
    try:
        return read.comparison_versions(filters)
    except NotComparable as refused:
        page = render_template("hq/not_comparable.html", refused=refused, filters=filters)
        abort(make_response(page, 400))


def _flag_title(code: str, q: Questionnaire) -> str:
    return flag_title(code, q, get_definitions().latest_charter(), current_lang())


@bp.get("/")
def portfolio() -> ResponseReturnValue:
    """List every delegation with its current result, filtered and sorted from the URL."""
    filters = _filters()
    rows = portfolio_rows(filters, date.today())
    return render_template(
        "hq/portfolio.html", rows=rows, counts=portfolio_counts(rows), filters=filters, options=filter_options(),
        lines=_portfolio_lines(rows, current_lang()),
    )


@dataclass(frozen=True)
class PortfolioLine:
    """One portfolio row with its links and labels already written: the template only places them."""

    row: PortfolioRow
    trend: str
    peers: str
    report: str  # "" without a current result
    region: str
    context: str
    status: str
    started: str
    recommendation: str
    decision: str  # "" when none is recorded yet
    score: str  # a whole number, or "–"
    ethics: str


def _portfolio_lines(rows: list[PortfolioRow], lang: str) -> list[PortfolioLine]:
    # Each link follows one pattern, built once and filled in per row (url_for per row was a third of the page).
    trend, peers = url_for("hq.trend", delegation_id=987654321), url_for("hq.peers", delegation_id=987654321)
    report = url_for("reports.report", assessment_id=987654321)
    regions = {row.region: explain.text(row.region, lang) if row.region else "" for row in rows}
    contexts, statuses, ethics = _translated(CONTEXT_TYPES), _translated(STATUSES), _translated(ETHICS)
    outcomes = {o: explain.outcome_label(o, lang) for o in ("go", "go_with_conditions", "no_go", "insufficient_evidence", "deferred")}
    lines = []
    for row in rows:
        delegation = str(row.delegation_id)
        lines.append(PortfolioLine(
            row, trend.replace("987654321", delegation), peers.replace("987654321", delegation),
            report.replace("987654321", str(row.assessment_id)) if row.assessment_id else "",
            regions[row.region], contexts.get(row.context_type, row.context_type),
            statuses.get(row.status or "", row.status or ""), format_day(row.started, lang) if row.assessment_id else "",
            outcomes.get(row.recommendation or "", row.recommendation or ""),
            outcomes.get(row.decision, row.decision) if row.decision else "",
            _whole(row.overall_score), ethics.get(row.ethics, row.ethics),
        ))
    return lines


@bp.get("/export.<kind>")
def export(kind: str) -> ResponseReturnValue:
    """Download one row per assessment (within the filters) as CSV or XLSX."""
    if kind not in EXPORT_TYPES:
        abort(404)
    table = results_table(iter_result_rows(_filters()), dimension_ids())
    chunks = csv_chunks(table) if kind == "csv" else xlsx_chunks(table)
    filename = f"readiness-results-{date.today().isoformat()}.{kind}"
    return Response(
        stream_with_context(one_export_at_a_time(chunks)), mimetype=EXPORT_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Accel-Buffering": "no"},
    )


@bp.get("/heatmap")
def heatmap() -> ResponseReturnValue:
    """Show delegations × dimensions for each delegation's latest comparable result."""
    filters = _filters()
    versions = _comparable_versions(filters)
    q = _questionnaire(versions)
    order = "name" if request.args.get("order") == "name" else "score"
    # "dir", not "desc": the filters' own sort direction travels in the same address.
    descending = request.args.get("dir", "desc" if order == "score" else "asc") == "desc"
    scores = sort_scores(read.latest_scores(filters, versions), order, descending)
    dims = [(d.id, dimension_label(q, d.id, current_lang())) for d in q.dimensions]
    chart = {
        "kind": "heatmap",
        "rows": [s.name for s in scores],
        "columns": [label for _, label in dims],
        "z": [[s.dimensions.get(dim_id) for dim_id, _ in dims] for s in scores],
        "thresholds": {"go": q.dimensions[0].thresholds.go},
        "labels": {"score": _("Score")},
    }
    return render_template(
        "hq/heatmap.html", scores=scores, dims=dims, chart=chart, filters=filters, versions=versions,
        order=order, descending=descending, options=filter_options(),
        rows=_heatmap_rows(scores, [dim_id for dim_id, _ in dims], read.overall_ranks(scores)),
    )


@dataclass(frozen=True)
class HeatmapRow:
    """One heatmap table row with its figures already written: the template only places them."""

    delegation_id: str
    assessment_id: str
    peers: str  # the links of the row
    report: str
    name: str
    rank: str  # "3", "=3" (tied) or "–"
    cells: list[str]  # one whole number (or "–") per dimension
    overall: str
    interval: str  # "52–71", or "" without an interval


def _heatmap_rows(scores: list[read.DelegationScores], dim_ids: list[str], ranks: dict[int, Rank]) -> list[HeatmapRow]:
    # One link pattern per page, the ids filled in per row.
    peers, report = url_for("hq.peers", delegation_id=987654321), url_for("reports.report", assessment_id=987654321)
    rows = []
    for s in scores:
        rank = ranks.get(s.delegation_id)
        low_high = s.overall_interval
        rows.append(HeatmapRow(
            str(s.delegation_id), str(s.assessment_id), peers.replace("987654321", str(s.delegation_id)),
            report.replace("987654321", str(s.assessment_id)), s.name,
            f"{'=' if rank.tied else ''}{rank.rank}" if rank else "–",
            [_whole(s.dimensions.get(dim_id)) for dim_id in dim_ids], _whole(s.overall_score),
            f"{_whole(low_high[0])}–{_whole(low_high[1])}" if low_high else "",
        ))
    return rows


def _whole(value: float | None) -> str:
    """A score as the tables show it: rounded to a whole number (Jinja's ``round|int``), "–" when missing."""
    return "–" if value is None else str(int(round(value)))


@bp.get("/distribution")
def distribution() -> ResponseReturnValue:
    """Show how each dimension's scores spread across delegations."""
    filters = _filters()
    versions = _comparable_versions(filters)
    q = _questionnaire(versions)
    scores = read.latest_scores(filters, versions)
    lang = current_lang()
    stats = [(dimension_label(q, d.id, lang), quartiles(s.dimensions.get(d.id) for s in scores)) for d in q.dimensions]
    chart = {
        "kind": "boxes",
        "series": [
            {"name": dimension_label(q, d.id, lang), "values": [s.dimensions.get(d.id) for s in scores],
             "text": [s.name for s in scores]}
            for d in q.dimensions
        ],
        "labels": {"score": _("Score (0-100)")},
    }
    return render_template(
        "hq/distribution.html", stats=stats, chart=chart, count=len(scores), filters=filters, versions=versions,
        options=filter_options(),
    )


@bp.get("/flags")
def flags() -> ResponseReturnValue:
    """Show the flags raised most often and the perception gaps across the portfolio."""
    filters = _filters()
    versions = _comparable_versions(filters)
    q = _questionnaire(versions)
    lang = current_lang()
    dim_ids = [d.id for d in q.dimensions]
    overview = read.flag_overview(filters, versions, dim_ids)
    total = overview.total
    frequent = [(_flag_title(f.code, q), f) for f in overview.frequent]
    gaps = perception_gaps(overview.by_role, overview.flagged, dim_ids)
    roles = [(r.id, role_label(q, r.id, lang)) for r in q.roles]
    return render_template(
        "hq/flags.html", frequent=frequent, total=total, gaps=gaps, roles=roles,
        dim_labels={d: dimension_label(q, d, lang) for d in dim_ids}, filters=filters, versions=versions,
        options=filter_options(),
    )


@bp.get("/delegations/<int:delegation_id>/peers")
def peers(delegation_id: int) -> ResponseReturnValue:
    """Set a delegation's latest result against its peers' median and quartiles."""
    delegation = db.get_or_404(Delegation, delegation_id)
    by = "region" if request.args.get("by") == "region" else "context"
    versions = _comparable_versions(Filters(versions=tuple(request.args.getlist("version"))))
    q = _questionnaire(versions)
    scores = read.latest_scores(Filters(), versions)
    own = next((s for s in scores if s.delegation_id == delegation.id), None)
    same = (lambda s: s.region == delegation.region) if by == "region" else (lambda s: s.context_type == delegation.context_type.value)
    group = [s for s in scores if s.delegation_id != delegation.id and same(s)]
    lang = current_lang()
    too_few = len(group) < current_app.config["HQ_MIN_PEERS"]
    rows = []
    for d in q.dimensions:
        stats = quartiles(s.dimensions.get(d.id) for s in group)
        value = own.dimensions.get(d.id) if own else None
        position = None if too_few else position_among(value, stats)
        rows.append((d.id, dimension_label(q, d.id, lang), value, stats, position, own.intervals.get(d.id) if own else None))
    chart = {
        "kind": "peers",
        "dimensions": [row[1] for row in rows],
        "peers": [[s.dimensions.get(row[0]) for s in group] for row in rows],
        "own": [row[2] for row in rows],
        "labels": {"peers": _("Peers"), "own": delegation.name, "score": _("Score (0-100)")},
    }
    return render_template(
        "hq/peers.html", delegation=delegation, own=own, group=group, rows=rows, by=by, chart=chart, versions=versions,
        too_few=too_few, min_peers=current_app.config["HQ_MIN_PEERS"],
    )


# The trend reads a delegation's latest results only, so the page costs the same however long its history.
TREND_RESULTS = 24


@bp.get("/delegations/<int:delegation_id>/trend")
def trend(delegation_id: int) -> ResponseReturnValue:
    """Show a delegation's results over time and what changed since its previous assessment."""
    delegation = db.get_or_404(Delegation, delegation_id)
    history = read.delegation_history(delegation_id, latest=TREND_RESULTS)
    total = read.history_length(delegation_id) if len(history) == TREND_RESULTS else len(history)
    start = comparable_run([(p.tool, p.facts.questionnaire_version) for p in history], read.declared())
    drawn = history[start:]  # the line joins only results of the same tool on comparable versions
    q = _questionnaire([p.facts.questionnaire_version for p in history])
    change, refused = None, None
    if len(history) >= 2:
        try:
            change = change_between(history[-2].facts, history[-1].facts, read.declared())
        except NotComparable as error:
            refused = error
    lang = current_lang()
    chart = {
        "kind": "trend",
        "x": [(p.closed or p.started).date().isoformat() for p in drawn],
        "series": [{"name": _("Overall"), "values": [p.facts.overall_score for p in drawn], "bold": True}]
        + [
            {"name": dimension_label(q, d.id, lang), "values": [p.facts.dimensions.get(d.id) for p in drawn]}
            for d in q.dimensions
        ],
        "labels": {"score": _("Score (0-100)")},
    }
    return render_template(
        "hq/trend.html", delegation=delegation, history=history, change=change, refused=refused, chart=chart, total=total,
        # Newest first, each with the one before it on the page (the last has none).
        listed=list(zip(history[::-1], [*history[-2::-1], None])),
        left_out=history[:start], drawn=drawn,
        before=history[-2].facts if change else None, after=history[-1].facts if change else None,
        dim_order=[d.id for d in q.dimensions], dim_label=lambda d: dimension_label(q, d, lang),
        flag_title=lambda code: _flag_title(code, q),
    )


@bp.get("/compare")
def compare() -> ResponseReturnValue:
    """Compare two assessments' results; refused when their questionnaire versions differ in meaning."""
    first, second = request.args.get("a", type=int), request.args.get("b", type=int)
    if first is None or second is None:
        abort(400, _("Choose two assessments to compare."))
    ids = [first, second]
    facts = read.snapshot_facts(ids)
    if len(facts) != 2:
        abort(404, _("Both assessments need a stored result (a closed assessment) to be compared."))
    try:
        change = change_between(facts[ids[0]], facts[ids[1]], read.declared())
    except NotComparable as refused:
        page = render_template("hq/not_comparable.html", refused=refused, filters=Filters())
        return page, 400
    q = _questionnaire([f.questionnaire_version for f in facts.values()])
    lang = current_lang()
    return render_template(
        "hq/compare.html", change=change, facts=facts, ids=ids, before=facts[ids[0]], after=facts[ids[1]],
        dim_order=[d.id for d in q.dimensions], dim_label=lambda d: dimension_label(q, d, lang),
        flag_title=lambda code: _flag_title(code, q),
    )


@bp.get("/api")
def api_access() -> ResponseReturnValue:
    """Explain the read-only API and list the current user's tokens; a token just issued is shown once."""
    new_token = sessions.take_kept(g.user_session, NEW_API_TOKEN)
    db.session.commit()
    response = make_response(render_template("hq/api.html", tokens=api_tokens.tokens_of(g.user), new_token=new_token,
                                              token_is_live=api_tokens.is_live, form=ApiTokenForm()))
    if new_token:
        response.headers["Cache-Control"] = "no-store"  # the plain token must not linger in a cache
    return response


@bp.post("/api/tokens")
def issue_token() -> ResponseReturnValue:
    """Issue a named API token; it is shown once on the page that follows."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name, so you know later which tool uses it."), "error")
        return redirect(url_for("hq.api_access"))
    if (earlier := once.spend(form)) is not None:
        return earlier
    _token, plain = api_tokens.issue_token(g.user, form.name.data, days=current_app.config["API_TOKEN_DAYS"])
    # Kept server-side for the next page, as new links are: a second post of the form leads there too.
    sessions.keep_for_next_page(g.user_session, NEW_API_TOKEN, plain)
    url = once.lead_to(url_for("hq.api_access"))
    db.session.commit()
    return redirect(url)


@bp.post("/api/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> ResponseReturnValue:
    """Revoke one of the current user's API tokens."""
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != g.user.id:
        abort(403)
    api_tokens.revoke_token(g.user, token)
    db.session.commit()
    flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for("hq.api_access"))
