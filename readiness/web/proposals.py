"""The delegation's side of the ethics review: submit, follow, read the letter, answer conditions."""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from readiness.domain import policies
from readiness.domain.explain import text
from readiness.domain.proposals import ProposalStatus
from readiness.extensions import db
from readiness.domain.incidents import IncidentKind
from readiness.forms.ethics import (
    DESCRIPTION_LABELS,
    LIKELIHOOD,
    SEVERITY,
    EvidenceForm,
    IncidentForm,
    ProposalForm,
    charter_status_label,
    label,
    shown_version,
    status_text,
)
from readiness.models import Assessment, Proposal, ProposalCondition, ProposalFile, utcnow
from readiness.reports.letter import LANGUAGES, build_letter, render_letter
from readiness.services import ethics, ethics_conditions, ethics_continuing, ethics_reminders, ethics_views
from readiness.services.ethics_continuing import ApprovalRefused, IncidentInput
from readiness.services.ethics import ProposalRefused, Upload
from readiness.services.ethics_conditions import overdue_conditions
from readiness.services.ethics_review import charter_of
from readiness.services.evidence import load_file, read_upload
from readiness.services.locking import EditConflict
from readiness.web import once
from readiness.web.auth import allowed
from readiness.web.committee import send_to_declaration
from readiness.web.helpers import current_lang

bp = Blueprint("proposals", __name__)


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    if not policies.can_view_proposal(g.user, proposal):
        send_to_declaration(proposal)
    allowed(policies.can_view_proposal, proposal)
    return proposal


def uploads_from(files: list[FileStorage]) -> list[Upload]:
    return [Upload(f.filename or "", read_upload(f.stream)) for f in files if f and f.filename]


@bp.route("/assessments/<int:assessment_id>/proposal", methods=["GET", "POST"])
def submit(assessment_id: int) -> ResponseReturnValue:
    """Submit the closed assessment to the ethics committee (or resubmit after "revise and resubmit")."""
    assessment = db.get_or_404(Assessment, assessment_id)
    allowed(policies.can_submit_proposal, assessment)
    previous = ethics.latest_proposal(assessment.id)
    if previous is not None and previous.status is not ProposalStatus.REVISE:
        flash(_("This assessment is already with the ethics committee."), "warning")
        return redirect(url_for(".show", proposal_id=previous.id))
    form = ProposalForm(data=_prefill(previous, assessment) if request.method == "GET" else None)
    if form.validate_on_submit():
        if (earlier := once.spend(form)) is not None:
            return earlier
        try:
            proposal = ethics.submit_proposal(
                g.user, assessment, title=form.title.data, summary=form.summary.data, flows=form.flows(),
                description={key: getattr(form, key).data or "" for key in ethics.DESCRIPTION_FIELDS},
                uploads=uploads_from(form.attachments.data or []), changes_note=form.changes_note.data or "")
        except ProposalRefused as refused:
            if (already := _already_submitted(assessment)) is not None:
                return already  # a double submit: the first one went through
            form.attachments.errors = [str(refused)]
        else:
            url = once.lead_to(url_for(".show", proposal_id=proposal.id))
            db.session.commit()
            flash(_("Proposal submitted to the ethics committee."), "success")
            return redirect(url)
    status = 400 if form.errors else 200
    return render_template("proposals/submit.html", form=form, assessment=assessment, previous=previous,
                           description_labels=DESCRIPTION_LABELS), status


def _already_submitted(assessment: Assessment) -> ResponseReturnValue | None:
    previous = ethics.latest_proposal(assessment.id)
    if previous is None or previous.status is ProposalStatus.REVISE:
        return None
    db.session.rollback()
    flash(_("This assessment is already with the ethics committee."), "warning")
    return redirect(url_for(".show", proposal_id=previous.id))


def _prefill(previous: Proposal | None, assessment: Assessment) -> dict[str, Any]:
    if previous is None:
        return {"title": assessment.tool_name, "recipients": [{}] * 3}
    flows = previous.data_flows
    recipients = [{"name": r["name"], "kind": r["kind"], "receives": r.get("data", "")} for r in flows.get("recipients", [])]
    return {"title": previous.title, "summary": previous.summary, **previous.description, **flows,
            "changes_note": "",
            "recipients": recipients + [{}] * max(0, 3 - len(recipients))}


@bp.get("/proposals/<int:proposal_id>")
def show(proposal_id: int) -> ResponseReturnValue:
    """Show the proposal as the delegation sees it: description, screening, decision, conditions."""
    proposal = _proposal(proposal_id)
    lang = current_lang()
    return render_template(
        "proposals/show.html", proposal=proposal, versions=ethics.versions_of(proposal),
        result=ethics_views.result_summary(proposal, lang), charter=ethics_views.charter_rows(proposal, lang),
        comments=ethics_views.comments_for_delegation(proposal), description_labels=DESCRIPTION_LABELS,
        item_texts=_item_texts(proposal, lang), today=_today())


def _item_texts(proposal: Proposal, lang: str) -> dict[str, str]:
    return {item.id: text(item.text, lang) for item in charter_of(proposal).items}


def _today() -> date:
    return utcnow().date()


@bp.get("/proposals/<int:proposal_id>/changes")
def changes(proposal_id: int) -> ResponseReturnValue:
    """Show what changed since the previous version: answers, charter items, description."""
    proposal = _proposal(proposal_id)
    if proposal.previous is None:
        abort(404)
    return render_template("proposals/changes.html", proposal=proposal, changes=ethics.changes_since_previous(proposal),
                           item_texts=_item_texts(proposal, current_lang()), description_labels=DESCRIPTION_LABELS)


@bp.get("/proposals/<int:proposal_id>/letter.pdf")
def letter(proposal_id: int) -> ResponseReturnValue:
    """Download the committee's decision letter, in English or French (``?lang=fr``)."""
    proposal = _proposal(proposal_id)
    if proposal.decision is None:
        abort(404)
    asked = request.args.get("lang", "")
    lang = asked if asked in LANGUAGES else current_lang()
    pdf = render_letter(build_letter(proposal, charter_of(proposal), lang, ethics.shown_status_of(proposal), _today()))
    name = f"ethics-decision-EC-{proposal.id}-v{proposal.version}-{lang}.pdf"
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{name}"',
                      "Cache-Control": "private, no-store"}


@bp.get("/proposals/<int:proposal_id>/export.json")
def export(proposal_id: int) -> ResponseReturnValue:
    """Export the proposal, its decision and conditions as JSON (no committee-only content)."""
    response = jsonify(ethics_views.delegation_export(_proposal(proposal_id)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/proposals/<int:proposal_id>/conditions/<int:condition_id>", methods=["GET", "POST"])
def condition(proposal_id: int, condition_id: int) -> ResponseReturnValue:
    """Upload the evidence that a condition is met."""
    proposal = _proposal(proposal_id)
    item = db.session.get(ProposalCondition, condition_id)
    if item is None or item.proposal_id != proposal.id:
        abort(404)
    form = EvidenceForm(version_id=item.version_id)
    if request.method == "POST":
        allowed(policies.can_submit_condition_evidence, proposal)
    if form.validate_on_submit():
        try:
            ethics_conditions.submit_evidence(g.user, item, form.note.data or "", uploads_from(form.files.data or []),
                                              version=shown_version(form.version_id))
        except EditConflict:
            db.session.rollback()
            form.version_id.data = item.version_id
            form.files.errors = [_("This condition changed while you were writing. Your note is kept: check it and send again.")]
        except ProposalRefused as refused:
            form.files.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("Evidence sent to the committee chair."), "success")
            return redirect(url_for(".show", proposal_id=proposal.id) + f"#condition-{item.id}")
    return render_template("proposals/condition.html", proposal=proposal, condition=item, form=form,
                           today=_today()), 400 if form.errors else 200


@bp.route("/proposals/<int:proposal_id>/incidents", methods=["GET", "POST"])
def incidents(proposal_id: int) -> ResponseReturnValue:
    """Log an incident against a charter commitment; list the incidents and their likelihood × severity map."""
    proposal = _proposal(proposal_id)
    lang = current_lang()
    form = IncidentForm()
    form.item_id.choices = [("", "—")] + list(_item_texts(proposal, lang).items())
    if request.method == "POST":
        allowed(policies.can_log_incident, proposal)
    if form.validate_on_submit():
        if (earlier := once.spend(form)) is not None:
            return earlier
        given = IncidentInput(form.item_id.data, IncidentKind(form.kind.data), form.likelihood.data, form.severity.data,
                              form.description.data or "", form.occurred_on.data)
        try:
            incident = ethics_continuing.log_incident(g.user, proposal, given)
        except ApprovalRefused as refused:
            form.description.errors = [str(refused)]
        else:
            url = once.lead_to(url_for(".incidents", proposal_id=proposal.id) + f"#incident-{incident.id}")
            db.session.commit()
            flash(_("Incident logged. It is serious: the ethics review is reopened.") if incident.serious
                  else _("Incident logged."), "warning" if incident.serious else "success")
            return redirect(url)
    cell = _cell_filter()
    shown = [i for i in proposal.incidents if cell is None or (i.likelihood, i.severity) == cell]
    return render_template("proposals/incidents.html", proposal=proposal, form=form, incidents=shown, cell=cell,
                           risk=ethics_continuing.proposal_risk_map(proposal), item_texts=_item_texts(proposal, lang),
                           likelihood=LIKELIHOOD, severity=SEVERITY, today=_today()), 400 if form.errors else 200


def _cell_filter() -> tuple[int, int] | None:
    likelihood, severity = request.args.get("likelihood", type=int), request.args.get("severity", type=int)
    if likelihood is not None and severity is not None and likelihood in range(1, 6) and severity in range(1, 6):
        return likelihood, severity
    return None


@bp.get("/proposals/<int:proposal_id>/files/<int:file_id>")
def file(proposal_id: int, file_id: int) -> ResponseReturnValue:
    """Download an attachment or a piece of evidence."""
    proposal = _proposal(proposal_id)
    row = db.session.get(ProposalFile, file_id)
    if row is None or row.proposal_id != proposal.id:
        abort(404)
    data = load_file(row.storage_key)
    if data is None:
        abort(404)
    return send_file(io.BytesIO(data), mimetype=row.content_type, as_attachment=True,
                     download_name=row.filename, max_age=0)


@bp.app_template_global()
def ethics_label(value: Any, kind: str | None = None) -> str:
    return label(value, kind)


bp.add_app_template_global(charter_status_label, "charter_status_label")
bp.add_app_template_global(status_text, "status_text")
bp.add_app_template_global(ethics.shown_status_of, "shown_status")


@bp.app_context_processor
def _ethics_helpers() -> dict[str, Any]:
    return {
        "ethics_status_for": ethics.ethics_status_for,
        "can_submit_proposal": policies.can_submit_proposal, "can_view_proposal": policies.can_view_proposal,
        "can_read_committee_comments": policies.can_read_committee_comments, "is_committee": policies.is_committee,
        "can_see_overdue_conditions": policies.can_see_overdue_conditions,
        "can_submit_condition_evidence": policies.can_submit_condition_evidence,
        "can_verify_condition": policies.can_verify_condition, "is_chair": policies.is_chair,
        "can_chair": policies.can_chair,
        "overdue_conditions": overdue_conditions,
        "can_log_incident": policies.can_log_incident,
        "can_change_approval": policies.can_change_approval,
        "ethics_reminders_for": _reminders_for,
        "incident_scales": {"likelihood": LIKELIHOOD, "severity": SEVERITY},
    }


def _reminders_for(delegation_ids: list[int] | None = None) -> list[ethics_reminders.Reminder]:
    """The ethics reminders in force today, for some delegations (None: all), for the pages."""
    return ethics_reminders.reminders(_today(), None if delegation_ids is None else frozenset(delegation_ids))
