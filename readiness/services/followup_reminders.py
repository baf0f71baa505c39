"""Reminders for follow-ups that have fallen due: listed on the pages, e-mailed by a cron-able command."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain.followup import DUE
from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, Decision, FollowupReminder, Role, User
from readiness.models.types import utctoday
from readiness.services import audit
from readiness.services.followups import GOING_AHEAD, plan
from readiness.i18n import format_day
from readiness.services.mail import Mail, language_of, send_all


@dataclass(frozen=True)
class DueFollowup:
    baseline: Assessment
    months: int
    due_on: date


def due_followups(today: date | None = None, delegation_ids: list[int] | None = None) -> list[DueFollowup]:
    """:return: every follow-up due and not started, oldest due date first (only the given delegations if any)."""
    today = today or utctoday()
    query = (select(Assessment).join(Decision, Decision.assessment_id == Assessment.id)
             .where(Assessment.status == AssessmentStatus.DECIDED, Assessment.followup_of_id.is_(None),
                    Decision.go_live_on.is_not(None), Decision.outcome.in_(GOING_AHEAD)))
    if delegation_ids is not None:
        query = query.where(Assessment.delegation_id.in_(delegation_ids))
    found = [DueFollowup(baseline, entry.months, entry.due_on)
             for baseline in db.session.scalars(query) for entry in plan(baseline, today) if entry.state == DUE]
    return sorted(found, key=lambda d: (d.due_on, d.baseline.id, d.months))


@dataclass(frozen=True)
class Reminded:
    due: DueFollowup
    recipients: int
    already_today: bool


def _recipients(baseline: Assessment) -> list[User]:
    return [u for u in baseline.delegation.members if u.is_active and u.role is Role.MEMBER]


def remind_due(actor: str, *, today: date | None = None, dry_run: bool = False, send: bool = True) -> list[Reminded]:
    """E-mail the delegation's members about each due follow-up, once a day at most.

    :param send: False when e-mail is off: nothing is sent or recorded.
    :param dry_run: say what would be sent; send and record nothing.
    :raise MailError: the server refused; nothing is recorded for the reminder that failed.
    """
    today = today or utctoday()
    done = []
    for due in due_followups(today):
        already = db.session.scalar(select(FollowupReminder.id).where(
            FollowupReminder.assessment_id == due.baseline.id, FollowupReminder.months == due.months,
            FollowupReminder.sent_on == today)) is not None
        people = _recipients(due.baseline)
        done.append(Reminded(due, len(people), already))
        if already or dry_run or not send:
            continue
        send_all([_mail(person, due) for person in people])
        reminder = FollowupReminder(assessment_id=due.baseline.id, months=due.months, sent_on=today, recipients=len(people))
        db.session.add(reminder)
        db.session.flush()
        audit.record(actor, "followup.remind", reminder, assessment_id=due.baseline.id,
                     after={"months": due.months, "due_on": due.due_on.isoformat(), "recipients": len(people)})
    return done


def _mail(person: User, due: DueFollowup) -> Mail:
    """In the member's own language, whoever runs the command."""
    lang = language_of(person)
    with force_locale(lang):
        body = _("The %(months)d-month follow-up of “%(title)s” (%(delegation)s) has been due since %(date)s. "
                 "Start it from the assessment's page, invite the people who use %(tool)s, and compare with the readiness baseline.",
                 months=due.months, title=due.baseline.title, delegation=due.baseline.delegation.name,
                 date=format_day(due.due_on, lang), tool=due.baseline.tool_name)
        return Mail(person.email, _("Follow-up due: %(title)s", title=due.baseline.title), body)
