"""Read-only JSON API for headquarters tools, authenticated by bearer tokens.

Views are reachable without a session (``@public``) because the token is the credential;
``token_required`` refuses any request without a valid headquarters token. Only GET is
offered, so CSRF does not apply.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, request, stream_with_context, url_for
from pydantic import BaseModel, TypeAdapter
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from readiness.domain.benchmark import NotComparable, quartiles
from readiness.domain.uncertainty import Rank
from readiness.extensions import csrf, db
from readiness.domain.followup import Change, Scheduled
from readiness.models import Assessment, Delegation
from readiness.read import benchmark as read
from readiness.read.common import all_delegations
from readiness.read.filters import parse_filters
from readiness.read.portfolio import portfolio as portfolio_rows
from readiness.read.results import result_rows
from readiness.services import followups as followup_service
from readiness.services.api_tokens import user_for_token
from readiness.web import api_models as shapes
from readiness.web.api_spec import openapi_document
from readiness.web.auth import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view only for ``Authorization: Bearer <token>`` of an active headquarters user."""

    @public
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            db.session.rollback()
            return _error(401, "A valid headquarters API token is required: send 'Authorization: Bearer <token>'.")
        db.session.commit()  # when the token was last used
        g.user = user
        return view(*args, **kwargs)

    return wrapped


def _error(status: int, message: str) -> ResponseReturnValue:
    response = _send(shapes.Error(error=shapes.ErrorBody(status=status, message=message)))
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="readiness"'
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return _error(error.code or 500, error.description or error.name)


def _send(body: BaseModel) -> Any:
    """Serialise through the response's model, keeping key order (dimensions in the questionnaire's order)."""
    text = json.dumps(shapes.render(body), ensure_ascii=False) + "\n"
    return current_app.response_class(text, mimetype="application/json")


def _filters():
    filters = parse_filters(request.args)
    if filters.problems:
        abort(400, f"Unknown filter values: {', '.join(filters.problems)}.")
    return filters


@bp.get("/openapi.json")
@public
def openapi() -> ResponseReturnValue:
    """Describe the API (OpenAPI 3); public, since it holds no data."""
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/openapi.json", 1)[0]))


@bp.get("/delegations")
@token_required
def delegations() -> ResponseReturnValue:
    """List delegations."""
    return _send(shapes.DelegationList(data=[
        shapes.Delegation(id=d.id, name=d.name, country=d.country, region=d.region, context_type=d.context_type.value)
        for d in all_delegations()
    ]))


@bp.get("/portfolio")
@token_required
def portfolio() -> ResponseReturnValue:
    """Every delegation with its latest assessment, within the filters."""
    rows = portfolio_rows(_filters(), date.today())
    return _send(shapes.PortfolioList(data=[shapes.PortfolioRow.model_validate(row) for row in rows]))


@bp.get("/results")
@token_required
def results() -> ResponseReturnValue:
    """One row per assessment, by id, a page at a time (``after`` = last id of the previous page)."""
    limit = min(max(request.args.get("limit", PAGE_SIZE, type=int), 1), MAX_PAGE_SIZE)
    after = request.args.get("after", 0, type=int)
    rows = result_rows(_filters(), limit=limit, after_id=after)
    following = rows[-1].assessment_id if len(rows) == limit else None
    return current_app.response_class(stream_with_context(_json_list(rows, following)), mimetype="application/json")


# Validates and writes a whole chunk of rows in one call into pydantic's core: row by row through
# ``model_validate``, ``model_dump`` and ``json.dumps`` cost ten times as much.
_RESULT_ROWS: TypeAdapter[list[shapes.ResultRow]] = TypeAdapter(list[shapes.ResultRow])


def _json_list(rows: list[Any], following: int | None, chunk: int = 200) -> Iterator[bytes]:
    """``ResultPage`` serialised through its model a chunk of rows at a time, never as one page-sized string."""
    yield b'{"data": ['
    for start in range(0, len(rows), chunk):
        written = _RESULT_ROWS.dump_json(_RESULT_ROWS.validate_python(rows[start:start + chunk], from_attributes=True))
        yield (b", " if start else b"") + written[1:-1]  # the rows without the list's brackets
    yield f'], "next_after": {json.dumps(following)}}}\n'.encode()


@bp.get("/benchmark")
@token_required
def benchmark() -> ResponseReturnValue:
    """Quartiles of each dimension over the delegations' latest comparable results."""
    filters = _filters()
    try:
        versions = read.comparison_versions(filters)
    except NotComparable as refused:
        return _error(400, refused.explanation)
    scores = read.latest_scores(filters, versions)
    dims = sorted({d for s in scores for d in s.dimensions})
    stats = {d: quartiles(s.dimensions.get(d) for s in scores) for d in dims}
    min_peers = current_app.config["HQ_MIN_PEERS"]
    ranks = read.overall_ranks(scores)
    return _send(shapes.Benchmark(
        versions=versions,
        delegations=len(scores),
        min_peers=min_peers,
        # Each delegation is compared with the others: fewer than ``min_peers`` of them place no one.
        too_few_peers=len(scores) - 1 < min_peers,
        dimensions={d: shapes.Quartiles.model_validate(q) if q else None for d, q in stats.items()},
        scores=[_scores(s, ranks.get(s.delegation_id)) for s in scores],
    ))


def _scores(scores: read.DelegationScores, rank: Rank | None) -> shapes.DelegationScores:
    return shapes.DelegationScores(
        delegation_id=scores.delegation_id, delegation=scores.name, assessment_id=scores.assessment_id,
        questionnaire_version=scores.questionnaire_version, overall_score=scores.overall_score,
        overall_interval=scores.overall_interval, rank=rank.rank if rank else None, tied=rank.tied if rank else False,
        dimensions={d: shapes.DimensionScore(score=v, interval=scores.intervals.get(d)) for d, v in scores.dimensions.items()},
    )


@bp.get("/delegations/<int:delegation_id>/trend")
@token_required
def trend(delegation_id: int) -> ResponseReturnValue:
    """A delegation's stored results, oldest first."""
    db.get_or_404(Delegation, delegation_id)
    history = read.delegation_history(delegation_id)
    return _send(shapes.Trend(data=[
        shapes.TrendPoint(
            assessment_id=p.assessment_id, title=p.title, status=p.status, started=p.started, closed=p.closed,
            decision=p.decision, questionnaire_version=p.facts.questionnaire_version,
            recommendation=p.facts.recommendation, overall_score=p.facts.overall_score, coverage=p.facts.coverage,
            dimensions=dict(p.facts.dimensions), flags=sorted(p.facts.flags),
        )
        for p in history
    ]))


@bp.get("/assessments/<int:assessment_id>/followups")
@token_required
def followups(assessment_id: int) -> ResponseReturnValue:
    """An assessment's follow-ups after go-live; each one started is set against it as on the comparison page."""
    baseline = db.get_or_404(Assessment, assessment_id)
    decision = followup_service.decision_for(baseline)
    found = {c.followup.followup_months: c for c in followup_service.comparisons(baseline)}
    return _send(shapes.FollowupList(
        assessment_id=baseline.id, go_live_on=decision.go_live_on if decision else None,
        data=[_followup(entry, found.get(entry.months)) for entry in followup_service.plan(baseline)],
    ))


def _followup(entry: Scheduled, c: followup_service.Comparison | None) -> shapes.Followup:
    changes = c.changes if c else []
    return shapes.Followup(
        months=entry.months, due_on=entry.due_on, state=entry.state,
        assessment_id=c.followup.id if c else None, title=c.followup.title if c else None,
        status=c.followup.status.value if c else None, final=c.final if c else False,
        dimensions=[_change(ch) for ch in changes if ch.kind == "dimension"],
        indicators=[_change(ch) for ch in changes if ch.kind == "indicator"],
        hours_per_week=c.hours if c else None, hours_limit=c.hours_limit if c else None,
        open_conditions=[shapes.OpenCondition(title=a.title, due_date=a.due_date, status=a.status.value)
                         for a in (c.open_conditions if c else [])],
        decision_conditions=[line.strip() for line in (c.conditions_text if c else "").splitlines() if line.strip()],
    )


def _change(change: Change) -> shapes.FollowupChange:
    return shapes.FollowupChange(key=change.key, baseline=change.baseline, followup=change.followup,
                                 baseline_level=change.baseline_level, followup_level=change.followup_level,
                                 better=change.better, verdict=change.verdict)
