"""Flask commands about respondents: reminders for cron."""
from __future__ import annotations

import click
from flask.cli import AppGroup

respondents = AppGroup("respondents", help="Respondents and their invitations.")


@respondents.command("remind")
@click.option("--assessment", "assessment_ids", multiple=True, type=int, help="Only this assessment (repeatable); default: every assessment collecting answers.")
def remind_command(assessment_ids: tuple[int, ...]) -> None:
    """E-mail a reminder to respondents who have not finished (for cron; prints counts, never who)."""
    from flask_babel import force_locale
    from sqlalchemy import select

    from readiness.extensions import db
    from readiness.models import Assessment, AssessmentStatus
    from readiness.services.invitations import remind_unfinished
    from readiness.services.mail import MailError, mail_enabled

    if not mail_enabled():
        raise click.ClickException("e-mail is off: set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, ...) to send reminders")
    query = select(Assessment).where(Assessment.status == AssessmentStatus.COLLECTING).order_by(Assessment.id)
    if assessment_ids:
        query = query.where(Assessment.id.in_(assessment_ids))
    with force_locale("en"):
        for assessment in db.session.scalars(query):
            try:
                sent = remind_unfinished("command line (respondents remind)", assessment)
            except MailError as error:
                db.session.rollback()
                raise click.ClickException(f"assessment {assessment.id}: the mail server refused: {error}") from None
            db.session.commit()
            click.echo(f"assessment {assessment.id}: {sent} reminder(s) sent")
