"""Follow-ups after go-live: the go-live date, starting a due follow-up, baseline against follow-up."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.domain import policies
from readiness.domain.explain import number
from readiness.domain.followup import mean_number
from readiness.extensions import db
from readiness.forms.reports import GoLiveForm
from readiness.models import Assessment
from readiness.read.labels import dimension_label
from readiness.services import followups as service
from readiness.web.auth import allowed

bp = Blueprint("followups", __name__)


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
    plan = seen.questionnaire.followup
    hours_item = next(iter(plan.trouble.item_above), None) if plan else None
    return render_template(
        "followups/comparison.html", c=seen, assessment=found, dimension_label=dimension_label, number=number,
        indicators={i.id: i for i in seen.questionnaire.indicators},
        hours=mean_number(seen.followup_result, hours_item) if hours_item else None,
        hours_limit=plan.trouble.item_above.get(hours_item) if plan and hours_item else None,
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
