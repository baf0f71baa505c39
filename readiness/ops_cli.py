"""Operations commands: backups, retention purges and erasure; thin clients of the services."""
from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from readiness.models.types import utcnow

backup = AppGroup("backup", help="Back up and restore the database, evidence and definition files.")


@backup.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Archive to write (default: instance/backups/readiness-<UTC time>.tar.gz).")
def create_backup_command(output: Path | None) -> None:
    """Write a consistent, checksummed backup archive."""
    from readiness.services.backup import BackupError, create_backup

    target = output or Path(current_app.instance_path) / "backups" / f"readiness-{utcnow():%Y%m%d-%H%M%S}.tar.gz"
    try:
        summary = create_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    current_app.logger.info("backup created", extra={"event": "backup.create", "path": str(target)})
    click.echo(f"{target}: {summary.describe()}")


@backup.command("verify")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ignore-signature", is_flag=True, help="Accept an archive signed with another SECRET_KEY.")
def verify_backup_command(archive: Path, ignore_signature: bool) -> None:
    """Check an archive's checksums and signature without restoring it."""
    from readiness.services.backup import BackupError, verify_backup

    with tempfile.TemporaryDirectory() as workdir:
        try:
            verify_backup(archive, Path(workdir), ignore_signature=ignore_signature)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{archive}: ok")


@backup.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ignore-signature", is_flag=True, help="Accept an archive signed with another SECRET_KEY.")
def restore_backup_command(archive: Path, ignore_signature: bool) -> None:
    """Restore an archive into this empty instance (run 'flask db upgrade' first)."""
    from readiness.extensions import db
    from readiness.services.backup import BackupError, restore_backup

    with tempfile.TemporaryDirectory() as workdir:
        try:
            summary = restore_backup(archive, Path(workdir), ignore_signature=ignore_signature)
        except BackupError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        db.session.commit()
    current_app.logger.info("backup restored", extra={"event": "backup.restore", "path": str(archive)})
    click.echo(f"Restored {archive}: {summary.describe()}")
    click.echo("Restart the app servers so they read the restored definition files.")


data = AppGroup("data", help="Retention purges and erasure on request.")


@data.command("purge")
@click.option("--apply", "apply_", is_flag=True, help="Remove the data; without it, only show what would go.")
def purge_command(apply_: bool) -> None:
    """Apply the retention periods (a dry run unless --apply; safe to run from cron)."""
    from readiness.extensions import db
    from readiness.services import form_tokens, retention

    for kind, days in retention.retention_days().items():
        click.echo(f"{kind:<10} kept {'for ever' if days is None else f'{days} days'}")
    kept = form_tokens.kept_for(timedelta(minutes=current_app.config["SESSION_ABSOLUTE_MINUTES"]))
    click.echo(f"form tokens kept {kept // timedelta(hours=1)} hours after use")
    plan = retention.plan_purge()
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in plan.counts().items())
    if not apply_:
        click.echo(f"Would remove: {counts}. Run again with --apply to remove them.")
        click.echo(f"Would remove: {form_tokens.count_spent(plan.now)} spent form token(s).")
        return
    retention.apply_purge("command line", plan)
    spent = form_tokens.purge_spent(plan.now)
    db.session.commit()
    click.echo(f"Removed: {counts}.")
    click.echo(f"Removed: {spent} spent form token(s).")


def _admin(email: str):  # noqa: ANN202  (a User; imported lazily like the other commands' models)
    from sqlalchemy import select

    from readiness.extensions import db
    from readiness.models import Role, User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.role is not Role.ADMIN or not user.is_active:
        raise click.ClickException(f"{email} is not an active administrator")
    return user


def _erase(kind: str, target: Any, admin_email: str, reason: str, yes: bool) -> None:
    from readiness.extensions import db
    from readiness.services import erasure

    admin = _admin(admin_email)
    preview = getattr(erasure, f"preview_{kind}")(target)
    if kind == "user":
        click.echo(f"This replaces the name and e-mail of user {target.id} by a pseudonym, also in "
                   f"{preview.audit_entries} audit entries, and closes the account.")
    else:
        click.echo(f"This erases {kind} {target.id}: {preview.respondents} respondents, {preview.answers} answers, "
                   f"{preview.files} files; {preview.audit_entries} audit entries lose their values.")
    if not yes:
        click.confirm("Erase? This cannot be undone", abort=True)
    try:
        getattr(erasure, f"erase_{kind}")(admin, target, reason)
    except erasure.ErasureRefused:
        raise click.ClickException("an administrator cannot erase their own account") from None
    db.session.commit()
    click.echo(f"Erased {kind} {target.id}; the audit trail records it.")


_ERASE_OPTIONS = [
    click.option("--admin", "admin_email", required=True, help="E-mail of the administrator who erases (recorded)."),
    click.option("--reason", required=True, help="Why, e.g. the request's reference (recorded)."),
    click.option("--yes", is_flag=True, help="Do not ask for confirmation."),
]


def _erase_options(command):  # noqa: ANN001, ANN202
    for option in reversed(_ERASE_OPTIONS):
        command = option(command)
    return command


@data.command("erase-respondent")
@click.argument("respondent_id", type=int)
@_erase_options
def erase_respondent_command(respondent_id: int, admin_email: str, reason: str, yes: bool) -> None:
    """Erase a respondent's answers, comments and files."""
    from readiness.extensions import db
    from readiness.models import Respondent

    _erase("respondent", _found(db.session.get(Respondent, respondent_id), "respondent", respondent_id), admin_email, reason, yes)


@data.command("erase-user")
@click.argument("email")
@_erase_options
def erase_user_command(email: str, admin_email: str, reason: str, yes: bool) -> None:
    """Erase a user's personal data (a pseudonym replaces it in the audit trail)."""
    from sqlalchemy import select

    from readiness.extensions import db
    from readiness.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    _erase("user", _found(user, "user", email), admin_email, reason, yes)


@data.command("erase-assessment")
@click.argument("assessment_id", type=int)
@_erase_options
def erase_assessment_command(assessment_id: int, admin_email: str, reason: str, yes: bool) -> None:
    """Erase a whole assessment with its answers, files, results and proposals."""
    from readiness.extensions import db
    from readiness.models import Assessment

    _erase("assessment", _found(db.session.get(Assessment, assessment_id), "assessment", assessment_id), admin_email, reason, yes)


def _found(record: object, kind: str, key: object) -> object:
    if record is None:
        raise click.ClickException(f"no {kind} {key}")
    return record
