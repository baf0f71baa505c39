"""``flask ethics``: the continuing ethics review from the command line (cron-able reminders)."""
from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup

ethics = AppGroup("ethics", help="Ethics review: reminders of conditions and continuing reviews.")


@ethics.command("remind")
@click.option("--dry-run", is_flag=True, help="List what would be reopened and sent; change nothing.")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", help="The day to act for (default: today, UTC).")
@click.option("--base-url", default="", help="The app's address, for the links in the e-mails.")
def remind_command(dry_run: bool, today_text: str | None, base_url: str) -> None:
    """Reopen overdue continuing reviews and e-mail the day's reminders (each at most once a day)."""
    from readiness.extensions import db
    from readiness.models import utcnow
    from readiness.services.ethics_reminders import remind
    from readiness.services.mail import MailError, mail_enabled

    try:
        today = datetime.strptime(today_text, "%Y-%m-%d").date() if today_text else utcnow().date()
    except ValueError:
        raise click.BadParameter("give the date as YYYY-MM-DD", param_hint="--today") from None
    try:
        run = remind(today, dry_run=dry_run, base_url=base_url)
    except MailError as error:
        db.session.rollback()
        raise click.ClickException(f"e-mail failed, nothing recorded as sent: {error}") from error
    if not dry_run:
        db.session.commit()
    _report(run, today, dry_run, mail_enabled())


def _report(run, today: date, dry_run: bool, mail_on: bool) -> None:  # noqa: ANN001
    prefix = "would " if dry_run else ""
    for proposal in run.reopened:
        click.echo(f"reopened EC-{proposal.id} ({proposal.title}): continuing review was due {proposal.review_due}")
    for reminder, user in run.due:
        click.echo(f"{prefix}remind {user.email}: {reminder.kind} EC-{reminder.proposal.id} due {reminder.due}")
    if not mail_on and run.due and not dry_run:
        click.echo("e-mail is off (MAIL_SERVER is not set): the reminders show on the pages only")
    click.echo(f"{today}: {len(run.due)} reminder(s) {'to send' if dry_run else 'due'}, {run.mailed} e-mailed, "
               f"{run.already_sent} already sent today")
