"""Getting links to people: verified link lists, CSV, e-mail invitations and reminders.

Links exist in clear only on the page shown right after they are made; to build a CSV, slips
or e-mails, that page posts them back and each one is checked against this assessment.
Reminders go to whoever has not finished, and nobody but the system learns who that is:
the audit trail and the page get a count, never a respondent.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain.collection import TokenStatus, token_status
from readiness.extensions import db
from readiness.models import Assessment, Respondent, User
from readiness.models.types import utcnow
from readiness.services import audit
from readiness.services.mail import Mail, send_all
from readiness.services.respondents import find_by_token

REMIND_EVERY = timedelta(days=2)


@dataclass(frozen=True)
class Link:
    respondent: Respondent
    url: str


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def verified_links(assessment: Assessment, posted: list[str]) -> list[Link]:
    """:return: the posted links that are valid links of this assessment, in order, without repeats."""
    found, seen = [], set()
    for url in posted[:500]:
        lookup = find_by_token(token_of(url))
        respondent = lookup.respondent
        if respondent is None or respondent.assessment_id != assessment.id or lookup.status is not TokenStatus.VALID:
            continue
        if respondent.id not in seen:
            seen.add(respondent.id)
            found.append(Link(respondent, url))
    return found


def links_csv(links: list[Link], role_label: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Respondent"), _("Role"), _("Name"), _("Link"), _("Valid until")])
    for link in links:
        r = link.respondent
        writer.writerow([f"#{r.id}", role_label.get(r.role, r.role), _csv_safe(r.name or ""), link.url,
                         r.token_expires_at.date().isoformat()])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """A name a spreadsheet would run as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def invitation_text(assessment: Assessment, link: Link) -> str:
    return _("You are invited to answer the readiness questionnaire about %(tool)s for %(title)s. Your personal link "
             "(do not share it): %(url)s — it works until %(date)s. Your answers are saved at every step.",
             tool=assessment.tool_name, title=assessment.title, url=link.url,
             date=link.respondent.token_expires_at.date().isoformat())


def send_invitations(actor: User, assessment: Assessment, addressed: list[tuple[Link, str]]) -> int:
    """E-mail each link to its address and remember the address for reminders.

    :raise MailError: nothing is remembered when the server refuses.
    """
    mails = [Mail(email, _("Your questionnaire: %(title)s", title=assessment.title), invitation_text(assessment, link))
             for link, email in addressed]
    sent = send_all(mails)
    for link, email in addressed:
        link.respondent.email = email
    db.session.flush()
    audit.record(actor, "respondents.email_invitations", assessment, assessment_id=assessment.id, after={"sent": sent})
    return sent


def to_remind(assessment: Assessment) -> list[Respondent]:
    """Respondents with an e-mail address who have not finished, whose link works, not reminded lately."""
    now = utcnow()
    rows = db.session.scalars(select(Respondent).where(
        Respondent.assessment_id == assessment.id, Respondent.email.is_not(None), Respondent.submitted_at.is_(None)))
    return [r for r in rows if token_status(r.token_expires_at, r.revoked_at, now) is TokenStatus.VALID
            and (r.reminded_at is None or r.reminded_at <= now - REMIND_EVERY)]


def remind_unfinished(actor: User | str, assessment: Assessment) -> int:
    """Remind everyone who has not finished; :return: how many were reminded (the only thing anyone learns).

    :raise MailError: when the server refuses (nobody is marked as reminded).
    """
    people = to_remind(assessment)
    body = _("A reminder: your answers to the readiness questionnaire about %(tool)s for %(title)s are not finished. "
             "Open the personal link from your invitation e-mail; everything you saved is still there. "
             "If you have finished, or do not wish to answer, please ignore this message.",
             tool=assessment.tool_name, title=assessment.title)
    sent = send_all([Mail(r.email, _("Reminder: %(title)s", title=assessment.title), body) for r in people if r.email])
    now = utcnow()
    for respondent in people:
        respondent.reminded_at = now
    db.session.flush()
    audit.record(actor, "respondents.remind", assessment, assessment_id=assessment.id, after={"reminded": sent})
    return sent
