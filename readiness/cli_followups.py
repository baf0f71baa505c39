"""Flask commands about follow-ups after go-live: reminders for cron."""
from __future__ import annotations

import click
from flask.cli import AppGroup

followups = AppGroup("followups", help="Follow-ups after go-live.")


@followups.command("remind")
@click.option("--dry-run", is_flag=True, help="List what is due and who would be e-mailed; send and record nothing.")
def remind_command(dry_run: bool) -> None:
    """E-mail delegation members about follow-ups due; at most once a day each (safe to run again)."""
    from flask_babel import force_locale

    from readiness.extensions import db
    from readiness.services.followup_reminders import remind_due
    from readiness.services.mail import MailError, mail_enabled

    send = mail_enabled()
    try:
        with force_locale("en"):
            done = remind_due("command line (followups remind)", dry_run=dry_run, send=send)
    except MailError as error:
        db.session.rollback()
        raise click.ClickException(f"the mail server refused: {error}") from None
    db.session.commit()
    for item in done:
        due = item.due
        where = f"assessment {due.baseline.id}, {due.months}-month follow-up due {due.due_on.isoformat()}"
        if item.already_today:
            click.echo(f"{where}: already reminded today")
        elif dry_run or not send:
            click.echo(f"{where}: would e-mail {item.recipients} member(s)")
        else:
            click.echo(f"{where}: e-mailed {item.recipients} member(s)")
    if not send and not dry_run:
        click.echo("e-mail is off (MAIL_SERVER is not set): nothing sent; the follow-ups due are shown on the pages.")
    click.echo(f"{len(done)} follow-up(s) due.")
