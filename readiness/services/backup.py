"""Backups you can trust: database, evidence files and definition files, in one checked archive.

The database is dumped logically through SQLAlchemy, one JSON-lines file per table, inside a
single read transaction (REPEATABLE READ on PostgreSQL, one read transaction on SQLite), so the
rows are consistent with each other and the same archive restores on either engine. Evidence
files are written once under random keys and never changed, so copying the files the dumped rows
name, after the dump, gives a consistent set. The manifest lists every member with its SHA-256
and is signed with an HMAC of ``SECRET_KEY``; a restore refuses an archive whose members or
manifest do not match.

This is an operations module run from the command line: unlike the use-case services it owns
its transaction.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import Connection, Date, DateTime, LargeBinary, Table, func, insert, select, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator

from readiness.extensions import db
from readiness.models import Assessment, Evidence, ProposalFile
from readiness.models.types import utcnow
from readiness.services import audit
from readiness.storage import evidence_store

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


class BackupError(RuntimeError):
    """The archive cannot be trusted or cannot be restored here; nothing was written."""


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    evidence: int = 0
    definitions: int = 0
    missing_files: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"{sum(self.rows.values())} rows in {len(self.rows)} tables, "
                 f"{self.evidence} evidence files, {self.definitions} definition files"]
        lines += [f"warning: evidence file {key} named in the database is missing" for key in self.missing_files]
        return "\n".join(lines)


# ---- encoding rows ---------------------------------------------------------------------------

def _encode(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        return value.isoformat()
    if isinstance(column_type, Date):
        return value.isoformat()
    if isinstance(column_type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    return value


def _decode(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column_type, SAEnum) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    return value


def _column_type(column: Any) -> Any:
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def dump_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of ``table`` in primary-key order, as JSON-ready values."""
    order = list(table.primary_key.columns) or list(table.columns)
    for row in connection.execute(select(table).order_by(*order)).mappings():
        yield {c.name: _encode(_column_type(c), row[c.name]) for c in table.columns}


# ---- create ----------------------------------------------------------------------------------

def _sign(manifest: bytes) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), manifest, hashlib.sha256).hexdigest()


def _add(archive: tarfile.TarFile, name: str, data: bytes, files: dict[str, str]) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))
    files[name] = hashlib.sha256(data).hexdigest()


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _snapshot_connection() -> Connection:
    connection = db.engine.connect()
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    else:
        connection.exec_driver_sql("BEGIN")  # one SQLite read transaction: a consistent view
    return connection


def _pinned_definitions(connection: Connection) -> set[str]:
    pairs = connection.execute(select(
        Assessment.questionnaire_id, Assessment.questionnaire_version, Assessment.charter_id, Assessment.charter_version,
    ).distinct()).all()
    return {f"{qid}/{qv}.yaml" for qid, qv, _c, _cv in pairs} | {f"{cid}/{cv}.yaml" for _q, _qv, cid, cv in pairs}


def create_backup(target: Path) -> Summary:
    """Write a backup archive (``.tar.gz``, readable by its owner only) of the database, evidence and
    definition files to ``target``; a failed backup leaves no archive behind.

    :raise BackupError: ``target`` already exists (a backup is never overwritten).
    """
    if target.exists():
        raise BackupError(f"{target} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw, \
                tarfile.open(fileobj=raw, mode="w:gz") as archive:
            summary = _write_archive(archive)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _write_archive(archive: tarfile.TarFile) -> Summary:
    summary, files = Summary(), dict[str, str]()
    with _snapshot_connection() as connection:
        revision = _revision(connection)
        for table in _tables():
            lines = [json.dumps(row, ensure_ascii=False) for row in dump_rows(connection, table)]
            _add(archive, f"database/{table.name}.jsonl", ("\n".join(lines) + "\n" if lines else "").encode(), files)
            summary.rows[table.name] = len(lines)
        keys = sorted(set(connection.scalars(select(Evidence.storage_key)))
                      | set(connection.scalars(select(ProposalFile.storage_key))))
        pinned = _pinned_definitions(connection)
        connection.rollback()
    # With the database backend the bytes are already in the stored_blobs table.
    if current_app.config.get("EVIDENCE_STORAGE") != "database":
        _add_evidence(archive, keys, summary, files)
    folder = Path(current_app.config["QUESTIONNAIRE_DIR"])
    for path in sorted(folder.rglob("*.yaml")):
        _add(archive, f"definitions/{path.relative_to(folder).as_posix()}", path.read_bytes(), files)
        summary.definitions += 1
    manifest = {
        "format": FORMAT, "created_at": utcnow().isoformat(), "revision": revision,
        "engine": db.engine.dialect.name, "evidence_storage": current_app.config.get("EVIDENCE_STORAGE", "filesystem"),
        "rows": summary.rows, "pinned_definitions": sorted(pinned), "files": files,
    }
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    _add(archive, MANIFEST, body, {})
    _add(archive, SIGNATURE, _sign(body).encode(), {})
    return summary


def _add_evidence(archive: tarfile.TarFile, keys: list[str], summary: Summary, files: dict[str, str]) -> None:
    store = evidence_store()
    for key in keys:
        data = store.load(key)
        if data is None:
            summary.missing_files.append(key)
            continue
        _add(archive, f"evidence/{key}", data, files)
        summary.evidence += 1


# ---- restore ---------------------------------------------------------------------------------

def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and len(path.parts) >= 1


def _unpack(source: Path, into: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Extract regular files only, hashing each on the way; return the manifest and the digests."""
    digests: dict[str, str] = {}
    try:
        with tarfile.open(source, "r:gz") as archive:
            for member in archive:
                if not member.isfile() or not _safe_name(member.name) or member.name in digests:
                    raise BackupError(f"{source}: unexpected member {member.name!r}")
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as stream, target.open("wb") as out:  # type: ignore[union-attr]
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(chunk)
                        out.write(chunk)
                digests[member.name] = digest.hexdigest()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source}: not a readable backup archive ({error})") from None
    return _checked_manifest(into, digests), digests


def _checked_manifest(folder: Path, digests: dict[str, str]) -> dict[str, Any]:
    if MANIFEST not in digests or SIGNATURE not in digests:
        raise BackupError("the archive has no manifest or no signature")
    body = (folder / MANIFEST).read_bytes()
    try:
        manifest = json.loads(body)
    except ValueError:
        raise BackupError("the manifest is not valid JSON") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    listed = manifest.get("files", {})
    present = {name: digest for name, digest in digests.items() if name not in (MANIFEST, SIGNATURE)}
    for name in sorted(set(listed) ^ set(present)):
        raise BackupError(f"{name}: in the {'manifest' if name in listed else 'archive'} only")
    for name, digest in sorted(present.items()):
        if not hmac.compare_digest(digest.encode(), str(listed[name]).encode()):
            raise BackupError(f"{name}: checksum does not match the manifest")
    return manifest


def _check_signature(folder: Path, ignore_signature: bool) -> None:
    body = (folder / MANIFEST).read_bytes()
    signature = (folder / SIGNATURE).read_text(encoding="ascii", errors="replace").strip()
    if not ignore_signature and not hmac.compare_digest(signature.encode(), _sign(body).encode()):
        raise BackupError("the manifest's signature does not match: the archive was altered, or made with "
                          "another SECRET_KEY (use --ignore-signature only if you trust the archive)")


def _check_target(connection: Connection, manifest: dict[str, Any]) -> None:
    revision = _revision(connection)
    if revision != manifest["revision"]:
        raise BackupError(f"the database is at schema revision {revision}, the backup at {manifest['revision']}: "
                          "run 'flask db upgrade' on an empty database of the same version first")
    if manifest["evidence_storage"] == "database" and current_app.config.get("EVIDENCE_STORAGE") != "database":
        raise BackupError("the backup keeps evidence in the database: set EVIDENCE_STORAGE=database to restore it")
    for table in _tables():
        if connection.scalar(select(func.count()).select_from(table)):
            raise BackupError(f"the database is not empty (table {table.name} has rows): restore into an empty instance")


def _definitions_to_write(folder: Path, manifest: dict[str, Any], unpacked: Path) -> list[tuple[Path, Path]]:
    """Missing definition files to copy; a different pinned file is refused (results would change)."""
    writes, target = [], Path(current_app.config["QUESTIONNAIRE_DIR"])
    for name in sorted(n for n in manifest["files"] if n.startswith("definitions/")):
        relative = name.removeprefix("definitions/")
        here = target / relative
        if not here.exists():
            writes.append((unpacked / name, here))
        elif here.read_bytes() != (unpacked / name).read_bytes() and relative in manifest["pinned_definitions"]:
            raise BackupError(f"{here} differs from the backup's copy, and assessments are pinned to it")
    return writes


def _load_rows(connection: Connection, unpacked: Path, summary: Summary) -> None:
    for table in _tables():
        path = unpacked / "database" / f"{table.name}.jsonl"
        types = {c.name: _column_type(c) for c in table.columns}
        count, batch = 0, []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    batch.append({k: _decode(types[k], v) for k, v in json.loads(line).items()})
                if len(batch) == 500:
                    connection.execute(insert(table), batch)
                    count, batch = count + len(batch), []
        if batch:
            connection.execute(insert(table), batch)
            count += len(batch)
        summary.rows[table.name] = count
        _reset_sequence(connection, table, bool(count))


def _reset_sequence(connection: Connection, table: Table, has_rows: bool) -> None:
    # Rows came with their ids; PostgreSQL's counters must continue after them.
    if connection.dialect.name != "postgresql" or not has_rows or "id" not in table.c or not table.c.id.autoincrement:
        return
    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT MAX(id) FROM {table.name}))"))


def verify_backup(source: Path, workdir: Path, *, ignore_signature: bool = False) -> dict[str, Any]:
    """Unpack ``source`` into ``workdir`` and check every checksum and the signature.

    :return: the manifest.
    :raise BackupError: the archive is damaged or altered.
    """
    manifest, _digests = _unpack(source, workdir)
    _check_signature(workdir, ignore_signature)
    return manifest


def restore_backup(source: Path, workdir: Path, *, ignore_signature: bool = False) -> Summary:
    """Restore an archive into this empty instance: rows into the session's transaction, files to their store.

    :param workdir: an empty scratch folder for the unpacked archive.
    :raise BackupError: the archive is damaged or altered, or this instance is not empty or not at the
        backup's schema revision; nothing is written then.
    """
    manifest = verify_backup(source, workdir, ignore_signature=ignore_signature)
    connection = db.session.connection()
    _check_target(connection, manifest)
    definitions = _definitions_to_write(Path(current_app.config["QUESTIONNAIRE_DIR"]), manifest, workdir)
    summary = Summary()
    _load_rows(connection, workdir, summary)
    store = evidence_store()
    for name in sorted(n for n in manifest["files"] if n.startswith("evidence/")):
        store.save(name.removeprefix("evidence/"), (workdir / name).read_bytes())
        summary.evidence += 1
    for origin, here in definitions:
        here.parent.mkdir(parents=True, exist_ok=True)
        here.write_bytes(origin.read_bytes())
        summary.definitions += 1
    audit.record("command line", "backup.restore", Backup(manifest["created_at"]),
                 after={"rows": sum(summary.rows.values()), "files": summary.evidence})
    return summary


@dataclass(frozen=True)
class Backup:
    """The audit target of a restore: the backup, named by when it was taken."""

    id: str
