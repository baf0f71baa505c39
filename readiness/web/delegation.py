"""The delegation's pages: its assessments, respondents and links, figures, charter, audit trail."""
from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain import policies
from readiness.domain.anonymity import names_anonymous_respondent, redact_entry
from readiness.domain.workflow import Transition, TransitionNotAllowed
from readiness.extensions import db
from readiness.forms import questionnaire as qforms
from readiness.forms.assessments import ActionForm, InviteForm, NewAssessmentForm, ReissueForm
from readiness.models import Answer, AuditEntry, Assessment, Delegation, Evidence, Respondent
from readiness.questionnaire.loader import version_key
from readiness.read.work import assessment_lines
from readiness.services import answers as answer_service
from readiness.services import assessments as assessment_service
from readiness.services import respondents as respondent_service
from readiness.services import sessions
from readiness.services.answers import SavingClosed, Submission
from readiness.services.evidence import load_file
from readiness.services.followup_reminders import due_followups
from readiness.services.mail import mail_enabled
from readiness.services.results import definitions_for
from readiness.web import audit_view, once
from readiness.web import delegation_view as view
from readiness.web import followups as followup_view
from readiness.web.auth import allowed
from readiness.web.links import render_links
from readiness.web.helpers import current_lang

bp = Blueprint("delegation", __name__)

NEW_LINKS = "new_links"  # kept on the login session row: links shown once, then forgotten
AUDIT_PAGE_SIZE = 50


def _delegation(delegation_id: int) -> Delegation:
    delegation = db.get_or_404(Delegation, delegation_id)
    allowed(policies.can_view_delegation, delegation.id)
    return delegation


def _assessment(assessment_id: int, policy: Any = policies.can_view_assessment) -> Assessment:
    assessment = db.get_or_404(Assessment, assessment_id)
    allowed(policy, assessment)
    return assessment


def _respondent(assessment: Assessment, respondent_id: int) -> Respondent:
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.assessment_id != assessment.id:
        abort(404)
    return respondent


@bp.app_context_processor
def _journey_helpers() -> dict[str, Any]:
    return {"step_text": view.step_text, "step_url": view.step_url}


@bp.get("/delegations")
def index() -> ResponseReturnValue:
    """List the reader's delegations; a member sees where each assessment stands and what comes next."""
    allowed(policies.can_list_delegations)
    delegations = assessment_service.visible_delegations(g.user)
    lines = {} if policies.is_headquarters(g.user) else assessment_lines([d.id for d in delegations])
    return render_template("delegation/index.html", delegations=delegations, lines=lines)


@bp.get("/delegations/<int:delegation_id>")
def home(delegation_id: int) -> ResponseReturnValue:
    """Show a delegation's assessments and the form to start one."""
    delegation = _delegation(delegation_id)
    return _home(delegation, _new_assessment_form())


def _new_assessment_form() -> NewAssessmentForm:
    form = NewAssessmentForm()
    versions = sorted((q.version for q in get_definitions().questionnaires.values() if q.id == "readiness"), key=version_key, reverse=True)
    form.questionnaire_version.choices = [(v, _("Readiness questionnaire %(version)s", version=v)) for v in versions]
    return form


def _home(delegation: Delegation, form: NewAssessmentForm, status: int = 200) -> ResponseReturnValue:
    lines = assessment_lines([delegation.id])[delegation.id]
    return render_template("delegation/home.html", delegation=delegation, lines=lines, form=form,
                           can_create=policies.can_create_assessment(g.user, delegation.id),
                           due_followups=due_followups(delegation_ids=[delegation.id])), status


@bp.post("/delegations/<int:delegation_id>/assessments")
def create_assessment(delegation_id: int) -> ResponseReturnValue:
    """Start a draft assessment for the delegation."""
    delegation = _delegation(delegation_id)
    allowed(policies.can_create_assessment, delegation.id)
    form = _new_assessment_form()
    if not form.validate_on_submit():
        return _home(delegation, form, 400)
    if (earlier := once.spend(form)) is not None:
        return earlier
    assessment = assessment_service.start_assessment(
        g.user, delegation, title=form.title.data.strip(), tool_name=form.tool_name.data.strip(),
        scope=(form.scope.data or "").strip(), target_go_live=form.target_go_live.data,
        questionnaire_version=form.questionnaire_version.data,
    )
    url = once.lead_to(url_for("delegation.assessment", assessment_id=assessment.id))
    db.session.commit()
    flash(_("Assessment created as a draft. Invite respondents, then open it for answers."), "success")
    return redirect(url)


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int) -> ResponseReturnValue:
    """Show an assessment: its status and next steps, respondents, and the live result."""
    found = _assessment(assessment_id)
    return _assessment_page(found, _invite_form())


def _invite_form() -> InviteForm:
    form = InviteForm()
    if form.days.data is None:
        form.days.data = current_app.config.get("RESPONDENT_LINK_DAYS", respondent_service.DEFAULT_LINK_DAYS)
    return form


def _assessment_page(assessment: Assessment, invite: InviteForm, status: int = 200) -> ResponseReturnValue:
    questionnaire, charter = definitions_for(assessment)
    invite.role.choices = [(r.id, view.role_label(r)) for r in questionnaire.roles]
    listing = view.Listing(request.args.get("role"), request.args.get("state"), request.args.get("page", 1, type=int))
    context = view.assessment_context(assessment, questionnaire, charter, g.user, current_lang(), listing)
    context |= followup_view.page_context(assessment)
    return render_template("delegation/assessment.html", assessment=assessment, q=questionnaire, invite=invite,
                           reissue=ReissueForm(days=invite.days.data), action=ActionForm(), mail_on=mail_enabled(),
                           **context), status


@bp.post("/assessments/<int:assessment_id>/status")
def move(assessment_id: int) -> ResponseReturnValue:
    """Open, close or reopen the assessment, as its status allows."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    form = ActionForm()
    try:
        transition = Transition(request.form.get("transition", ""))
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    try:
        assessment_service.move_assessment(g.user, found, transition)
    except (TransitionNotAllowed, ValueError):
        db.session.rollback()
        flash(_("That step is not possible now: the assessment is %(status)s. The page shows the steps that are.",
                status=view.status_label(found.status.value)), "error")
        return redirect(url_for("delegation.assessment", assessment_id=assessment_id))
    db.session.commit()
    flash(view.transition_done(transition), "success")
    return redirect(url_for("delegation.assessment", assessment_id=assessment_id))


@bp.post("/assessments/<int:assessment_id>/respondents")
def invite(assessment_id: int) -> ResponseReturnValue:
    """Invite one or several respondents in a role; their links are shown once."""
    found = _assessment(assessment_id, policies.can_collect)
    form = _invite_form()
    questionnaire, _charter = definitions_for(found)
    form.role.choices = [(r.id, view.role_label(r)) for r in questionnaire.roles]
    if not form.validate_on_submit():
        return _assessment_page(found, form, 400)
    if (earlier := once.spend(form)) is not None:
        return earlier
    invitations = respondent_service.invite_respondents(
        g.user, found, role=form.role.data, count=form.count.data, name=(form.name.data or "").strip() or None, days=form.days.data)
    once.lead_to(url_for("delegation.new_links", assessment_id=found.id))
    db.session.commit()
    _warn_small_group(found, questionnaire, form.role.data)
    return _show_links_once(found, invitations)


def _warn_small_group(found: Assessment, questionnaire, role_id: str) -> None:
    role = next(r for r in questionnaire.roles if r.id == role_id)
    invited = len(db.session.scalars(select(Respondent.id).where(
        Respondent.assessment_id == found.id, Respondent.role == role_id, Respondent.revoked_at.is_(None))).all())
    if role.anonymous and invited < questionnaire.min_group_size:
        flash(_("Only %(count)d people invited as “%(role)s” so far. Answers of this anonymous role are shown by role only "
                "once at least %(minimum)d people have answered; until then they count in the overall result but "
                "their role's scores and comments are withheld.", count=invited, role=view.role_label(role),
                minimum=questionnaire.min_group_size), "warning")


def _show_links_once(found: Assessment, invitations: list[respondent_service.Invitation]) -> ResponseReturnValue:
    # Kept server-side for the next page: the cookie is signed, not secret, so a link must not travel in it.
    sessions.keep_for_next_page(g.user_session, NEW_LINKS, {
        "assessment": found.id,
        "links": [[i.respondent.id, i.respondent.role, i.respondent.name,
                   url_for("respond.start", token=i.token, _external=True)] for i in invitations],
    })
    db.session.commit()
    return redirect(url_for("delegation.new_links", assessment_id=found.id))


@bp.get("/assessments/<int:assessment_id>/links")
def new_links(assessment_id: int) -> ResponseReturnValue:
    """Show newly created links, once: reloading the page shows them no more."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    data = sessions.take_kept(g.user_session, NEW_LINKS)
    db.session.commit()
    links = data["links"] if data and data.get("assessment") == found.id else []
    return render_links(found, links)


@bp.post("/assessments/<int:assessment_id>/respondents/<int:respondent_id>/revoke")
def revoke(assessment_id: int, respondent_id: int) -> ResponseReturnValue:
    """Withdraw a respondent's link; their answers stay."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    respondent = _respondent(found, respondent_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    respondent_service.revoke_respondent(g.user, respondent)
    db.session.commit()
    flash(_("The link of respondent #%(id)d no longer works. Their answers are kept.", id=respondent.id), "success")
    return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))


@bp.post("/assessments/<int:assessment_id>/respondents/<int:respondent_id>/reissue")
def reissue(assessment_id: int, respondent_id: int) -> ResponseReturnValue:
    """Give a respondent a new link (the old one stops working)."""
    found = _assessment(assessment_id, policies.can_collect)
    respondent = _respondent(found, respondent_id)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(" ".join(form.days.errors) or _("The form expired; try again."), "error")
        return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))
    invitation = respondent_service.reissue_link(g.user, respondent, days=form.days.data)
    db.session.commit()
    return _show_links_once(found, [invitation])


@bp.route("/assessments/<int:assessment_id>/figures", methods=["GET", "POST"])
def figures(assessment_id: int) -> ResponseReturnValue:
    """Enter the delegation's measured figures (caseload, devices, power...)."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    questionnaire, _charter = definitions_for(found)
    form = qforms.figures_form(questionnaire, current_lang())()
    states = answer_service.figure_states(found)
    if request.method == "GET":
        qforms.fill_figures(form, questionnaire.inputs, states)
        return view.render_figures(found, questionnaire, form, states)
    allowed(policies.can_collect, found)
    if not (form.validate() & qforms.derive_figures(form, questionnaire) & qforms.check_figures(form, questionnaire.inputs)):
        return view.render_figures(found, questionnaire, form, states, status=400)
    subs = [Submission(e.id, qforms.submitted_figure(form, e), form[e.id + qforms.WAS].data or "",
                       qforms.shown_version(form, e.id)) for e in questionnaire.inputs]
    try:
        outcome = answer_service.save_figures(g.user, found, subs)
    except SavingClosed:
        return view.refuse_frozen(found)
    db.session.commit()
    return view.after_owner_save(found, "delegation.figures", outcome, lambda c: view.render_figures(
        found, questionnaire, form, answer_service.figure_states(found), conflicts=c, status=409))


@bp.route("/assessments/<int:assessment_id>/charter", methods=["GET", "POST"])
def charter(assessment_id: int) -> ResponseReturnValue:
    """Self-assess the delegation against the ethics charter, item by item."""
    found = _assessment(assessment_id, policies.can_edit_assessment)
    _questionnaire, definition = definitions_for(found)
    form = qforms.charter_form(definition, current_lang())()
    states = answer_service.charter_states(found)
    if request.method == "GET":
        qforms.fill_charter(form, definition, states)
        return view.render_charter(found, definition, form, states)
    allowed(policies.can_collect, found)
    if not (form.validate() & qforms.check_charter(form, definition)):
        return view.render_charter(found, definition, form, states, status=400)
    subs = [Submission(i.id, qforms.submitted_charter(form, i.id), form[i.id + qforms.WAS].data or "",
                       qforms.shown_version(form, i.id)) for i in definition.items]
    try:
        outcome = answer_service.save_charter(g.user, found, subs)
    except SavingClosed:
        return view.refuse_frozen(found)
    db.session.commit()
    return view.after_owner_save(found, "delegation.charter", outcome, lambda c: view.render_charter(
        found, definition, form, answer_service.charter_states(found), conflicts=c, status=409))


@bp.get("/assessments/<int:assessment_id>/audit")
def audit(assessment_id: int) -> ResponseReturnValue:
    """Show every recorded change to the assessment, newest first."""
    found = _assessment(assessment_id, policies.can_view_audit)
    kind, who = request.args.get("kind", ""), request.args.get("who", "")
    query = (select(AuditEntry).where(AuditEntry.assessment_id == found.id,
                                      AuditEntry.action.not_in(policies.audit_actions_hidden_from(g.user)))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    questionnaire, charter = definitions_for(found)
    hidden = [role.label.get("en", role.id) for role in questionnaire.roles if role.anonymous]
    if names_anonymous_respondent(who, hidden):  # an anonymous respondent's entries are never picked out
        who = ""
    entries = db.paginate(audit_view.filtered(query, kind, who), per_page=AUDIT_PAGE_SIZE, max_per_page=AUDIT_PAGE_SIZE,
                          error_out=False)
    entries.items = [e for e in (policies.audit_entry_for(g.user, x) for x in entries.items) if e is not None]
    words = audit_view.Wording(questionnaire, charter, current_lang())
    return render_template("delegation/audit.html", assessment=found, entries=entries,
                           lines=[words.line(redact_entry(entry, hidden)) for entry in entries.items], kind=kind, who=who,
                           kinds=audit_view.kind_labels(), people=audit_view.people(found.id, hidden, policies.audit_actors_hidden_from(g.user)),
                           field_label=audit_view.field_label,
                           describe=view.describe_action, show_value=view.show_value)


@bp.get("/assessments/<int:assessment_id>/evidence/<int:evidence_id>")
def evidence(assessment_id: int, evidence_id: int) -> ResponseReturnValue:
    """Download a file a respondent attached (always as a download, never shown inline)."""
    found = _assessment(assessment_id)
    item = db.session.get(Evidence, evidence_id)
    if item is None or not item.answer_id:
        abort(404)
    answer = db.session.get(Answer, item.answer_id)
    if answer is None or answer.respondent.assessment_id != found.id:
        abort(404)
    data = load_file(item.storage_key)
    if data is None:
        abort(404)
    return send_file(io.BytesIO(data), mimetype=item.content_type, as_attachment=True, download_name=item.filename)
