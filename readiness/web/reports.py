"""The assessment report (page and PDF), the decision and the action plan."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from readiness.domain.explain import text
from readiness.domain.policies import can_amend_decision, can_edit_actions, can_edit_assessment, can_view_assessment
from readiness.domain.workflow import TransitionNotAllowed
from readiness.extensions import db
from readiness.forms.reports import ActionForm, AmendDecisionForm, DecisionForm, MaskForm
from readiness.models import ActionItem, ActionStatus, Answer, Assessment, Outcome
from readiness.models.types import utcnow
from readiness.reports.pdf import render_pdf
from readiness.reports.plan import DUE_CHOICES, PlanFilter, filter_actions, owners
from readiness.reports.subjects import short
from readiness.reports.source import decision_of, load_report, load_words_page, result_for
from readiness.services import actions as action_service
from readiness.services import answers as answer_service
from readiness.services import decisions as decision_service
from readiness.services import followups as followup_service
from readiness.services.decisions import DecisionRefused, recommendation_for, record_decision
from readiness.services.locking import EditConflict
from readiness.services.results import definitions_for
from readiness.web import once
from readiness.web.auth import allowed
from readiness.web.helpers import current_lang

bp = Blueprint("reports", __name__, url_prefix="/assessments/<int:assessment_id>")


def _assessment(assessment_id: int) -> Assessment:
    return db.get_or_404(Assessment, assessment_id)


def _action(assessment: Assessment, action_id: int) -> ActionItem:
    action = db.session.get(ActionItem, action_id)
    if action is None or action.assessment_id != assessment.id:
        abort(404)
    return action


@bp.get("/report")
def report(assessment_id: int) -> ResponseReturnValue:
    """Show the report: a live preview while collecting, the frozen snapshot once closed."""
    assessment = _assessment(assessment_id)
    allowed(can_view_assessment, assessment)
    data = load_report(assessment, current_lang(), followups=followup_service.comparisons(assessment, closed_only=True))
    return render_template("reports/report.html", report=data, assessment=assessment,
                           can_mask=can_edit_assessment(g.user, assessment))


@bp.get("/words")
def words(assessment_id: int) -> ResponseReturnValue:
    """List everything people wrote about one question, a page at a time (or the questions to choose from)."""
    assessment = _assessment(assessment_id)
    allowed(can_view_assessment, assessment)
    view = load_words_page(assessment, request.args.get("item") or None, request.args.get("page", 1, type=int) or 1,
                           current_lang())
    if view is None:
        abort(404)
    return render_template("reports/words.html", view=view, assessment=assessment,
                           can_mask=can_edit_assessment(g.user, assessment))


@bp.post("/words/<int:answer_id>/mask")
def mask_words(assessment_id: int, answer_id: int) -> ResponseReturnValue:
    """Mask a comment or free-text answer that identifies someone (or show it again)."""
    assessment = _assessment(assessment_id)
    allowed(can_edit_assessment, assessment)
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.respondent.assessment_id != assessment.id or not MaskForm().validate_on_submit():
        abort(404 if answer is None or answer.respondent.assessment_id != assessment.id else 400)
    masked = request.form.get("masked") == "1"
    answer_service.mask_words(g.user, answer, masked)
    db.session.commit()
    flash(_("The words are masked in every report.") if masked else _("The words are shown again."), "success")
    item = request.form.get("item")
    if item:  # masked from the full list: back to the same page of it
        return redirect(url_for(".words", assessment_id=assessment.id, item=item,
                                page=request.form.get("page", 1, type=int) or 1))
    return redirect(url_for(".report", assessment_id=assessment.id, _anchor="words"))


@bp.get("/report.pdf")
def report_pdf(assessment_id: int) -> ResponseReturnValue:
    """Download the report as a PDF in the reader's language."""
    assessment = _assessment(assessment_id)
    allowed(can_view_assessment, assessment)
    pdf = render_pdf(load_report(assessment, current_lang(), followups=followup_service.comparisons(assessment, closed_only=True)),
                     base_url=request.url_root)
    name = f"readiness-report-{assessment.id}-{current_lang()}.pdf"
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{name}"',
                      "Cache-Control": "private, no-store"}


@bp.route("/decision", methods=["GET", "POST"])
def decision(assessment_id: int) -> ResponseReturnValue:
    """Record the decision on a closed assessment, next to the recommendation."""
    assessment = _assessment(assessment_id)
    allowed(can_edit_assessment, assessment)
    if decision_of(assessment) is not None:
        flash(_("The decision has already been recorded."), "warning")
        return redirect(url_for(".report", assessment_id=assessment.id))
    recommended = recommendation_for(assessment) or ""
    # Start from the recommendation (deferring, when the evidence is insufficient): deciding otherwise is deliberate.
    suggested = recommended if recommended in {o.value for o in Outcome} else Outcome.DEFERRED.value
    form = DecisionForm(recommended=recommended, lang=current_lang(), decided_by_name=g.user.name,
                        version_id=assessment.version_id, outcome=suggested, go_live_on=assessment.target_go_live)
    if form.validate_on_submit():
        refused = _try_decide(assessment, form)
        if refused is None:
            flash(_("Decision recorded."), "success")
            return redirect(url_for(".report", assessment_id=assessment.id))
        form.form_errors.append(refused)
    status = 409 if form.form_errors else 400 if form.errors else 200
    return render_template("reports/decision.html", form=form, assessment=assessment, recommended=recommended), status


def _try_decide(assessment: Assessment, form: DecisionForm) -> str | None:
    """:return: why the decision was refused, or None once it is recorded and committed."""
    try:
        record_decision(g.user, assessment, outcome=Outcome(form.outcome.data), decided_by_name=form.decided_by_name.data,
                        rationale=form.rationale.data, conditions=form.conditions.data or "",
                        override_reason=form.override_reason.data, version=form.version_id.data or 0,
                        go_live_on=form.go_live_on.data)
    except EditConflict:
        db.session.rollback()
        form.version_id.raw_data = [str(assessment.version_id)]
        return _("The assessment changed while you were writing. Your text is kept below: check the report, then submit again.")
    except TransitionNotAllowed:
        db.session.rollback()
        return _("A decision can only be recorded once the assessment is closed. Your text is kept below.")
    except DecisionRefused as refused:
        db.session.rollback()
        return str(refused)
    db.session.commit()
    return None


@bp.route("/decision/amend", methods=["GET", "POST"])
def amend_decision(assessment_id: int) -> ResponseReturnValue:
    """Let the decision's author change it, with a reason; the earlier version stays in the report."""
    assessment = _assessment(assessment_id)
    decision = decision_of(assessment)
    allowed(can_amend_decision, assessment, decision)
    assert decision is not None  # can_amend_decision refuses when there is none
    form = AmendDecisionForm(recommended=decision.recommendation_at_decision, lang=current_lang(),
                             obj=None if request.method == "POST" else decision)
    if not form.is_submitted():
        form.outcome.data = decision.outcome.value
    if form.validate_on_submit():
        try:
            decision_service.amend_decision(
                g.user, decision, outcome=Outcome(form.outcome.data), rationale=form.rationale.data,
                conditions=form.conditions.data or "", override_reason=form.override_reason.data, reason=form.reason.data)
        except DecisionRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Decision amended. The earlier version stays in the report."), "success")
            return redirect(url_for(".report", assessment_id=assessment.id, _anchor="decision"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("reports/decision_amend.html", form=form, assessment=assessment, decision=decision), status


@bp.get("/actions")
def actions(assessment_id: int) -> ResponseReturnValue:
    """Show the action plan with a form to add an action."""
    assessment = _assessment(assessment_id)
    allowed(can_view_assessment, assessment)
    return _actions_page(assessment, ActionForm(lang=current_lang(), questions=_questions(assessment)))


def _questions(assessment: Assessment) -> list[tuple[str, str]]:
    """:return: the scored questions an action can aim at, as ``(id, label)``."""
    questionnaire, _charter = definitions_for(assessment)
    lang = current_lang()
    return [(item.id, short(f"{item.id} – {text(item.text, lang)}")) for item in questionnaire.items if item.scored]


def _actions_page(assessment: Assessment, form: ActionForm, status: int = 200) -> ResponseReturnValue:
    data = load_report(assessment, current_lang())
    wanted = PlanFilter(owner=request.args.get("owner", "").strip(), status=request.args.get("status", ""),
                        due=request.args.get("due", ""))
    rows = filter_actions(data.actions, wanted, utcnow().date())
    return render_template("reports/actions.html", report=data, assessment=assessment, form=form, plan_rows=rows,
                           wanted=wanted, owners=owners(data.actions), due_choices=DUE_CHOICES), status


@bp.post("/actions")
def create_action(assessment_id: int) -> ResponseReturnValue:
    """Add an action to the plan."""
    assessment = _assessment(assessment_id)
    allowed(can_edit_actions, assessment)
    form = ActionForm(lang=current_lang(), questions=_questions(assessment))
    if not form.validate_on_submit():
        return _actions_page(assessment, form, 400)
    if (earlier := once.spend(form)) is not None:
        return earlier
    target_item, target_level = form.target()
    action_service.create_action(g.user, assessment, title=form.title.data, owner=form.owner.data or "",
                                 due_date=form.due_date.data, status=ActionStatus(form.status.data),
                                 target_item=target_item, target_level=target_level)
    url = once.lead_to(url_for(".actions", assessment_id=assessment.id))
    db.session.commit()
    flash(_("Action added."), "success")
    return redirect(url)


@bp.post("/actions/from-flags")
def actions_from_flags(assessment_id: int) -> ResponseReturnValue:
    """Propose one action per critical or major flag and per decision condition, without duplicates."""
    assessment = _assessment(assessment_id)
    allowed(can_edit_actions, assessment)
    questionnaire, charter = definitions_for(assessment)
    result, _computed_at = result_for(assessment)
    try:
        created = action_service.create_actions_from_flags(
            g.user, assessment, result, questionnaire, charter, decision_of(assessment), current_lang())
        db.session.commit()
    except IntegrityError:  # a second press, racing the first, lost: the first one's actions stand
        db.session.rollback()
        created = []
    flash(_("%(count)d action(s) added. Give each an owner and a due date.", count=len(created)) if created
          else _("Every critical and major flag already has an action."), "success")
    return redirect(url_for(".actions", assessment_id=assessment.id))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(assessment_id: int, action_id: int) -> ResponseReturnValue:
    """Edit one action; a save based on an outdated version is refused and the input kept."""
    assessment = _assessment(assessment_id)
    allowed(can_edit_actions, assessment)
    action = _action(assessment, action_id)
    form = ActionForm(lang=current_lang(), obj=action, questions=_questions(assessment))
    if not form.is_submitted():
        form.status.data = action.status.value
    conflict = None
    if form.validate_on_submit():
        try:
            action_service.update_action(g.user, action, version_id=form.version_id.data or 0, title=form.title.data,
                                         owner=form.owner.data or "", due_date=form.due_date.data,
                                         status=ActionStatus(form.status.data), target=form.target())
        except EditConflict as error:
            conflict = error.current
            # The editor now sees the saved values; a second save is a deliberate choice.
            form.version_id.raw_data = [str(conflict.version_id)]
        else:
            db.session.commit()
            flash(_("Action saved."), "success")
            return redirect(url_for(".actions", assessment_id=assessment.id))
    status = 409 if conflict else 400 if form.errors else 200
    return render_template("reports/action_edit.html", form=form, assessment=assessment, action=action,
                           conflict=conflict), status


@bp.post("/actions/<int:action_id>/delete")
def delete_action(assessment_id: int, action_id: int) -> ResponseReturnValue:
    """Delete an action added by mistake."""
    assessment = _assessment(assessment_id)
    allowed(can_edit_actions, assessment)
    action = _action(assessment, action_id)
    form = ActionForm(lang=current_lang())
    try:
        action_service.delete_action(g.user, action, version_id=form.version_id.data or 0)
    except EditConflict:
        flash(_("Someone else changed this action since you loaded the page; it was not deleted."), "error")
    else:
        db.session.commit()
        flash(_("Action deleted."), "success")
    return redirect(url_for(".actions", assessment_id=assessment.id))
