"""Follow-ups after go-live: the go-live date, starting a due follow-up, baseline against follow-up."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from readiness.domain import policies
from readiness.domain.explain import number
from readiness.extensions import db
from readiness.domain.kpi_import import MAX_BYTES, KpiFile, Located, Problem, read_kpis
from readiness.forms.collect import ConfirmImportForm
from readiness.forms.reports import GoLiveForm
from readiness.models import Assessment
from readiness.read.labels import dimension_label
from readiness.services import followups as service
from readiness.services import uploads
from readiness.services.answers import SavingClosed, figure_states
from readiness.services.kpi_import import import_figures
from readiness.services.primero import PrimeroError, PrimeroSettings, fetch_kpis_csv
from readiness.services.results import definitions_for
from readiness.web.auth import allowed

bp = Blueprint("followups", __name__)


class ConfirmPrimeroForm(FlaskForm):
    """Only the CSRF token: fetching from Primero is a deliberate press of a button."""


class KpiFileForm(FlaskForm):
    file = FileField(_l("KPI export (CSV)"), validators=[FileRequired(_l("Choose the CSV file exported from the case-management tool."))])


def _assessment(assessment_id: int, policy=policies.can_view_assessment) -> Assessment:  # type: ignore[no-untyped-def]
    found = db.get_or_404(Assessment, assessment_id)
    allowed(policy, found)
    return found


@bp.post("/assessments/<int:assessment_id>/go-live")
def set_go_live(assessment_id: int) -> ResponseReturnValue:
    """Record the go-live date of a decided assessment."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    decision = service.decision_for(found)
    form = GoLiveForm()
    if decision is None or not form.validate_on_submit():
        flash(_("Give a go-live date, on an assessment whose decision is recorded."), "error")
    else:
        service.set_go_live(g.user, decision, form.go_live_on.data)
        db.session.commit()
        flash(_("Go-live date saved. Follow-ups fall due from it."), "success")
    return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="followups"))


@bp.post("/assessments/<int:assessment_id>/followups/<int:months>")
def start(assessment_id: int, months: int) -> ResponseReturnValue:
    """Start the follow-up that is due, as a draft to invite respondents to."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    try:
        followup = service.start_followup(g.user, found, months)
    except service.FollowupRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="followups"))
    db.session.commit()
    flash(_("Follow-up created as a draft. Invite respondents, then open it for answers."), "success")
    return redirect(url_for("delegation.assessment", assessment_id=followup.id))


@bp.get("/assessments/<int:assessment_id>/comparison")
def comparison(assessment_id: int) -> ResponseReturnValue:
    """Show a follow-up beside its readiness baseline: what improved, what got worse, conditions open."""
    found = _assessment(assessment_id)
    if found.followup_of_id is None:
        abort(404)
    seen = service.comparison(found)
    return render_template(
        "followups/comparison.html", c=seen, assessment=found, dimension_label=dimension_label, number=number,
        indicators={i.id: i for i in seen.questionnaire.indicators}, hours=seen.hours, hours_limit=seen.hours_limit,
    )


def page_context(assessment: Assessment) -> dict[str, object]:
    """What the assessment page shows about follow-ups: its baseline, or its schedule after go-live."""
    if assessment.followup_of_id is not None:
        return {"followup_baseline": db.session.get(Assessment, assessment.followup_of_id)}
    decision = service.decision_for(assessment)
    if decision is None or decision.outcome not in service.GOING_AHEAD:
        return {}
    return {
        "followup_decision": decision,
        "followup_plan": service.plan(assessment),
        "followups": service.followups_of(assessment),
        "go_live_form": GoLiveForm(go_live_on=decision.go_live_on or assessment.target_go_live),
    }


# --- Figures from the case-management tool's KPI export ------------------------------------


def _kpi_scope(found: Assessment) -> str:
    return f"kpis-{found.id}-{g.user.id}"


@bp.route("/assessments/<int:assessment_id>/figures/import", methods=["GET", "POST"])
def import_kpis(assessment_id: int) -> ResponseReturnValue:
    """Upload a KPI export and see the figures it gives, or what is wrong and where, before saving."""
    found = _assessment(assessment_id, policies.can_collect)
    form = KpiFileForm()
    if not form.validate_on_submit():
        return _render_kpis(found, form, status=400 if form.is_submitted() else 200)
    data = form.file.data.stream.read(MAX_BYTES + 1)
    questionnaire, _charter = definitions_for(found)
    kpis = read_kpis(data, questionnaire)
    confirm = ConfirmImportForm(key=uploads.hold(_kpi_scope(found), data), filename=form.file.data.filename) if kpis.ok else None
    return _render_kpis(found, form, kpis=kpis, confirm=confirm, status=200 if kpis.ok else 422)


@bp.post("/assessments/<int:assessment_id>/figures/import/primero")
def fetch_primero(assessment_id: int) -> ResponseReturnValue:
    """Read the KPIs from the configured Primero server and preview them like an uploaded export."""
    found = _assessment(assessment_id, policies.can_collect)
    form = ConfirmPrimeroForm()
    settings = PrimeroSettings.from_config(current_app.config)
    if settings is None or not form.validate_on_submit():
        flash(_("No Primero server is configured."), "error")
        return redirect(url_for(".import_kpis", assessment_id=found.id))
    try:
        data = fetch_kpis_csv(settings)
    except PrimeroError as error:
        flash(_("Primero could not give the figures: %(reason)s", reason=str(error)), "error")
        return redirect(url_for(".import_kpis", assessment_id=found.id))
    questionnaire, _charter = definitions_for(found)
    kpis = read_kpis(data, questionnaire)
    confirm = ConfirmImportForm(key=uploads.hold(_kpi_scope(found), data), filename="primero-api.csv") if kpis.ok else None
    return _render_kpis(found, KpiFileForm(), kpis=kpis, confirm=confirm, status=200 if kpis.ok else 422)


@bp.post("/assessments/<int:assessment_id>/figures/import/confirm")
def confirm_kpis(assessment_id: int) -> ResponseReturnValue:
    """Save every figure of the previewed file, all or nothing."""
    found = _assessment(assessment_id, policies.can_collect)
    form = ConfirmImportForm()
    data = uploads.peek(_kpi_scope(found), form.key.data or "") if form.validate_on_submit() else None
    if data is None:
        flash(_("That import was already done or has expired. Upload the file again."), "error")
        return redirect(url_for(".import_kpis", assessment_id=found.id))
    questionnaire, _charter = definitions_for(found)
    kpis = read_kpis(data, questionnaire)
    if not kpis.ok:
        return _render_kpis(found, KpiFileForm(), kpis=kpis, status=422)
    try:
        import_figures(g.user, found, kpis, form.filename.data or "export.csv")
    except SavingClosed:
        db.session.rollback()
        flash(_("The figures can no longer change: the assessment is closed."), "error")
        return redirect(url_for("delegation.assessment", assessment_id=found.id))
    db.session.commit()
    uploads.drop(_kpi_scope(found), form.key.data)
    flash(ngettext("%(num)d figure imported.", "%(num)d figures imported.", len(kpis.figures)), "success")
    return redirect(url_for("delegation.figures", assessment_id=found.id))


def _render_kpis(found: Assessment, form: KpiFileForm, kpis: KpiFile | None = None, confirm: ConfirmImportForm | None = None,
                 status: int = 200) -> ResponseReturnValue:
    questionnaire, _charter = definitions_for(found)
    return render_template("followups/import_kpis.html", assessment=found, q=questionnaire, form=form, kpis=kpis,
                           confirm=confirm, primero_on=bool(current_app.config.get("PRIMERO_URL")), problem_text=kpi_problem_text, current=figure_states(found),
                           inputs={i.id: i for i in questionnaire.inputs}, number=number), status


def kpi_problem_text(found: Located) -> str:
    """A problem of a KPI file in the reader's words, with where to find it."""
    messages = {
        Problem.UNREADABLE: _("This is not a CSV text file we can read (UTF-8, at most 100 kB). Export the KPIs again as CSV."),
        Problem.NO_COLUMNS: _("The first row must name the columns, with one for the KPI (“kpi”, “indicator” or “name”) and one for its “value”. Found: %(value)s.", value=found.value),
        Problem.NO_ROWS: _("The file holds no figures."),
        Problem.UNKNOWN_KPI: _("“%(value)s” is not a figure this questionnaire knows. Use one of the names listed on this page.", value=found.value),
        Problem.NOT_A_NUMBER: _("“%(value)s” is not a number.", value=found.value),
        Problem.OUT_OF_RANGE: _("“%(value)s” is out of range (below zero, or above what the figure allows).", value=found.value),
        Problem.TWICE: _("“%(value)s” gives a figure already given above.", value=found.value),
        Problem.NEEDS_WORKERS: _("A case load per worker needs the number of case workers in the same file."),
    }
    where = ""
    if found.row is not None and found.column:
        where = _("Row %(row)d, column “%(column)s”: ", row=found.row, column=found.column)
    elif found.row is not None:
        where = _("Row %(row)d: ", row=found.row)
    return where + messages[found.problem]
