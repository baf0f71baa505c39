"""Links that reach people: CSV, printable slips and e-mail from the page of new links; reminders."""
from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from readiness.domain import policies
from readiness.domain.explain import text
from readiness.extensions import db
from readiness.forms.assessments import ActionForm
from readiness.models import Assessment, Respondent
from readiness.reports.data import format_day
from readiness.reports.slips import Slip, render_slips
from readiness.services import invitations
from readiness.services.invitations import Link
from readiness.services.mail import MailError, mail_enabled
from readiness.services.results import definitions_for
from readiness.web.auth import allowed
from readiness.web.helpers import current_lang

bp = Blueprint("links", __name__)
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


def _assessment(assessment_id: int, policy=policies.can_edit_assessment) -> Assessment:
    assessment = db.get_or_404(Assessment, assessment_id)
    allowed(policy, assessment)
    return assessment


def _posted(found: Assessment) -> list[Link]:
    if not ActionForm().validate_on_submit():
        return []
    return invitations.verified_links(found, request.form.getlist("link"))


def role_labels(found: Assessment) -> dict[str, str]:
    return {r.id: text(r.label, current_lang()) for r in definitions_for(found)[0].roles}


@bp.post("/assessments/<int:assessment_id>/links/links.csv")
def links_csv(assessment_id: int) -> ResponseReturnValue:
    """The new links as a CSV file (role, name, link), built from the page that shows them."""
    found = _assessment(assessment_id)
    data = invitations.links_csv(_posted(found), role_labels(found))
    return Response("\ufeff" + data, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="links-{found.id}.csv"', "Cache-Control": "no-store"})


@bp.post("/assessments/<int:assessment_id>/links/slips.pdf")
def slips(assessment_id: int) -> ResponseReturnValue:
    """Printable invitation slips, one per new link, each with a QR code of the link."""
    found = _assessment(assessment_id)
    roles = role_labels(found)
    made = [Slip(f"{found.title} · {roles.get(link.respondent.role, link.respondent.role)}",
                 link.respondent.name or _("anonymous"), link.url,
                 [_("Scan the code or type the link to answer. It is your personal link: keep it to yourself."),
                  _("Valid until %(date)s. Your answers are saved at every step.",
                    date=format_day(link.respondent.token_expires_at, current_lang()))]) for link in _posted(found)]
    data = render_slips(made, _("Invitations: %(title)s", title=found.title)) if made else b""
    if not made:
        flash(_("These links can no longer be printed: they were withdrawn or have expired."), "error")
        return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="invitations-{found.id}.pdf"', "Cache-Control": "no-store"})


@bp.post("/assessments/<int:assessment_id>/links/email")
def email(assessment_id: int) -> ResponseReturnValue:
    """E-mail each new link to the address typed next to it."""
    found = _assessment(assessment_id, policies.can_collect)
    links = _posted(found)
    addressed, problems = [], {}
    for link in links:
        address = (request.form.get(f"email-{link.respondent.id}") or "").strip()
        if address:
            if _valid_email(address):
                addressed.append((link, address))
            else:
                problems[link.respondent.id] = _("Enter an e-mail address such as name@example.org.")
    # The e-mails' language: chosen on the form (the reader's interface language unless changed).
    lang = request.form.get("mail_lang") or current_lang()
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_lang()
    sent = None
    if addressed and not problems:
        try:
            sent = invitations.send_invitations(g.user, found, addressed, lang)
            db.session.commit()
        except MailError:
            db.session.rollback()
            flash(_("The e-mails could not be sent: the mail server did not accept them. Copy the links instead, or try again later."), "error")
    if sent:
        flash(ngettext("%(num)d invitation sent by e-mail.", "%(num)d invitations sent by e-mail.", sent), "success")
    return render_links(found, [[link.respondent.id, link.respondent.role, link.respondent.name, link.url] for link in links],
                        problems=problems, emails=dict(request.form), status=400 if problems else 200)


def _valid_email(address: str) -> bool:
    return len(address) <= 254 and EMAIL.match(address) is not None


def render_links(found: Assessment, links: list, problems=None, emails=None, status: int = 200) -> ResponseReturnValue:
    """The page of new links, with everything that gets them to people."""
    roles = role_labels(found)
    share = {row[0]: invitations.invitation_text(found, Link(db.get_or_404(Respondent, row[0]), row[3])) for row in links}
    return render_template("delegation/links.html", assessment=found, links=links, roles=roles, share=share,
                           action=ActionForm(), mail_on=mail_enabled(), problems=problems or {}, emails=emails or {},
                           can_collect=policies.can_collect(g.user, found)), status


@bp.post("/assessments/<int:assessment_id>/remind")
def remind(assessment_id: int) -> ResponseReturnValue:
    """E-mail a reminder to everyone invited by e-mail who has not finished (nobody learns who)."""
    found = _assessment(assessment_id, policies.can_collect)
    if not ActionForm().validate_on_submit() or not mail_enabled():
        flash(_("E-mail is off on this server, so no reminder was sent."), "error")
        return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))
    try:
        sent = invitations.remind_unfinished(g.user, found)
        db.session.commit()
    except MailError:
        db.session.rollback()
        flash(_("The reminders could not be sent: the mail server did not accept them. Try again later."), "error")
        return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))
    flash(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent) if sent
          else _("Nobody needed a reminder: everyone invited by e-mail has finished or was reminded in the last two days."), "success")
    return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))
