"""Operations commands: backups, retention purges and erasure; thin clients of the services."""
from __future__ import annotations

import tempfile
from pathlib import Path

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
