"""Getting links to people: verified link lists, CSV, e-mail invitations and reminders.

Links exist in clear only on the page shown right after they are made; to build a CSV, slips
or e-mails, that page posts them back and each one is checked against this assessment.
Reminders go to whoever has not finished, and nobody but the system learns who that is:
the audit trail and the page get a count, never a respondent.
"""
from __future__ import annotations

import csv
import io
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain.collection import TokenStatus, token_status
from readiness.extensions import db
from readiness.models import Assessment, Locale, Respondent, User
from readiness.models.types import utcnow
from readiness.services import audit
from readiness.services.mail import Mail, send_all
from readiness.i18n import format_day
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


def invitation_text(assessment: Assessment, link: Link, lang: str | None = None) -> str:
    """:param lang: the language of the text and its date; None: the page's (the text shown to copy)."""
    with force_locale(lang) if lang else nullcontext():
        return _("You are invited to answer the readiness questionnaire about %(tool)s for %(title)s. Your personal "
                 "link (do not share it): %(url)s — it works until %(date)s. Your answers are saved at every step.",
                 tool=assessment.tool_name, title=assessment.title, url=link.url,
                 date=format_day(link.respondent.token_expires_at, lang or str(get_locale() or "en")))


def mail_language(respondent: Respondent) -> str:
    """The language of e-mails to a respondent: the one chosen when they were invited by e-mail, else English."""
    return respondent.locale.value if respondent.locale else Locale.EN.value


def send_invitations(actor: User, assessment: Assessment, addressed: list[tuple[Link, str]], lang: str = "en") -> int:
    """E-mail each link to its address, in ``lang``, and remember the address and language for reminders.

    :param lang: chosen on the invitation form (a respondent has no account, so no saved language).
    :raise MailError: nothing is remembered when the server refuses.
    """
    with force_locale(lang):
        subject = _("Your questionnaire: %(title)s", title=assessment.title)
    mails = [Mail(email, subject, invitation_text(assessment, link, lang)) for link, email in addressed]
    sent = send_all(mails)
    for link, email in addressed:
        link.respondent.email = email
        link.respondent.locale = Locale(lang)
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
    sent = send_all([_reminder(assessment, r.email, mail_language(r)) for r in people if r.email])
    now = utcnow()
    for respondent in people:
        respondent.reminded_at = now
    db.session.flush()
    audit.record(actor, "respondents.remind", assessment, assessment_id=assessment.id, after={"reminded": sent})
    return sent


def _reminder(assessment: Assessment, email: str, lang: str) -> Mail:
    with force_locale(lang):
        body = _("A reminder: your answers to the readiness questionnaire about %(tool)s for %(title)s are not finished. "
                 "Open the personal link from your invitation e-mail; everything you saved is still there. "
                 "If you have finished, or do not wish to answer, please ignore this message.",
                 tool=assessment.tool_name, title=assessment.title)
        return Mail(email, _("Reminder: %(title)s", title=assessment.title), body)
