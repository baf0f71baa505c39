"""Reminders of the ethics review: overdue conditions, continuing reviews due or overdue.

The same list shows on the chair's and the delegation's pages; ``flask ethics remind`` (cron) also
e-mails it when e-mail is configured, once per reminder, recipient and day, and reopens overdue reviews.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain import proposals as workflow
from readiness.domain.incidents import ReviewState, review_state
from readiness.extensions import db
from readiness.models import Proposal, ReminderSent, Role, User
from readiness.services import audit
from readiness.services.ethics_conditions import overdue_conditions
from readiness.services.ethics_continuing import policy, reopen_overdue
from readiness.i18n import format_day
from readiness.services.mail import Mail, language_of, mail_enabled, send_all


@dataclass(frozen=True)
class Reminder:
    kind: str  # "condition_overdue", "review_due" or "review_overdue"
    target_id: int  # the condition's id, or the proposal's for a review
    proposal: Proposal
    due: date
    what: str  # the condition's text, or the proposal's title


def continuing_reviews_due(today: date, delegation_ids: frozenset[int] | None = None) -> list[tuple[Proposal, ReviewState]]:
    """Approvals whose continuing review is due or overdue, the earliest first."""
    query = select(Proposal).where(Proposal.status.in_(workflow.UNDER_CONTINUING_REVIEW), Proposal.review_due.is_not(None))
    if delegation_ids is not None:
        query = query.where(Proposal.delegation_id.in_(delegation_ids))
    notice = policy().notice_days
    found = [(p, review_state(p.review_due, today, notice)) for p in db.session.scalars(query.order_by(Proposal.review_due))]
    return [(p, state) for p, state in found if state is not ReviewState.NOT_DUE]


def reminders(today: date, delegation_ids: frozenset[int] | None = None) -> list[Reminder]:
    """Every ethics reminder in force on ``today`` (limited to some delegations when given)."""
    found = [Reminder("condition_overdue", o.condition.id, o.proposal, o.condition.due_date, o.condition.text)
             for o in overdue_conditions(today, delegation_ids)]
    found += [Reminder("review_overdue" if state is ReviewState.OVERDUE else "review_due", p.id, p, p.review_due, p.title)  # type: ignore[arg-type]  # due reviews have a date
              for p, state in continuing_reviews_due(today, delegation_ids)]
    return found


def recipients(reminder: Reminder) -> list[User]:
    """The delegation's members and the committee's chairs free of conflict with the proposal."""
    members = [u for u in reminder.proposal.delegation.members if u.is_active and u.role in (Role.MEMBER, Role.ADMIN)]
    chairs = [c for c in db.session.scalars(select(User).where(User.role == Role.CHAIR, User.is_active.is_(True))) if reminder.proposal.delegation_id not in c.delegation_ids]
    return sorted({u.id: u for u in members + chairs}.values(), key=lambda u: u.id)


@dataclass
class RemindRun:
    reopened: list[Proposal] = field(default_factory=list)
    due: list[tuple[Reminder, User]] = field(default_factory=list)  # to send (or that would be sent, in a dry run)
    already_sent: int = 0
    mailed: int = 0


def remind(today: date, *, dry_run: bool, base_url: str = "") -> RemindRun:
    """Reopen overdue continuing reviews, then e-mail each reminder not yet sent today to each recipient.

    Without e-mail configured nothing is mailed and nothing is recorded as sent; the pages still show the reminders.

    :param dry_run: list what would happen, change nothing.
    :raise readiness.services.mail.MailError: the SMTP server refused (nothing is recorded as sent then).
    """
    run = RemindRun()
    if not dry_run:
        run.reopened = reopen_overdue(today)
    sent = set(db.session.execute(select(ReminderSent.kind, ReminderSent.target_id, ReminderSent.recipient)
                                  .where(ReminderSent.sent_on == today)).tuples())
    for reminder in reminders(today):
        for user in recipients(reminder):
            if (reminder.kind, reminder.target_id, user.email) in sent:
                run.already_sent += 1
            else:
                run.due.append((reminder, user))
    if dry_run or not mail_enabled() or not run.due:
        return run
    run.mailed = send_all([_mail(reminder, user, base_url) for reminder, user in run.due])
    for reminder, user in run.due:
        db.session.add(ReminderSent(kind=reminder.kind, target_id=reminder.target_id, recipient=user.email, sent_on=today))
        audit.record("system", "reminder.ethics", reminder.proposal, assessment_id=reminder.proposal.assessment_id,
                     after={"kind": reminder.kind, "target": reminder.target_id, "to": user.email,
                            "due": reminder.due.isoformat()})
    db.session.flush()
    return run


def _mail(reminder: Reminder, user: User, base_url: str) -> Mail:
    lang = language_of(user)
    with force_locale(lang):
        subjects = {"condition_overdue": _("Ethics condition overdue: %(what)s", what=reminder.what),
                    "review_due": _("Continuing ethics review due: %(what)s", what=reminder.what),
                    "review_overdue": _("Continuing ethics review overdue, review reopened: %(what)s", what=reminder.what)}
        body = _("%(subject)s\n\nDelegation: %(delegation)s\nDue: %(due)s\n\nOpen the proposal: %(link)s\n",
                 subject=subjects[reminder.kind], delegation=reminder.proposal.delegation.name,
                 due=format_day(reminder.due, lang), link=f"{base_url.rstrip('/')}/proposals/{reminder.proposal.id}")
        return Mail(user.email, subjects[reminder.kind][:200], body)
