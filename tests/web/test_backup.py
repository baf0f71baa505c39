"""Backups: a restore into an empty instance gives back every row and every file; damage is refused."""
from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import select

from readiness.extensions import db
from readiness.models import Answer, AuditEntry
from readiness.services.backup import dump_rows
from readiness.services.demo import load_demo_data
from readiness.services.evidence import attach_to_answer
from readiness.storage import evidence_store

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def empty_instance(make_app: Callable[..., Flask], empty_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A second instance, migrated to head, with its own evidence and definitions folders."""
    target = make_app(empty_database_url, EVIDENCE_DIR=str(tmp_path / "restored-evidence"))
    with target.app_context():
        flask_migrate.upgrade()
    target.config["QUESTIONNAIRE_DIR"] = str(tmp_path / "restored-definitions")
    yield target
    with target.app_context():
        db.engine.dispose()


@pytest.fixture
def demo_with_files(app: Flask) -> list[bytes]:
    """The demo data plus three evidence files; returns the files' bytes."""
    with app.app_context():
        load_demo_data(delegations=2, assessments=4, seed=5)
        answers = db.session.scalars(select(Answer).order_by(Answer.id).limit(3)).all()
        contents = [PDF + f"% file {n}\n".encode() for n in range(3)]
        for answer, data in zip(answers, contents, strict=True):
            attach_to_answer("test", answer, f"evidence {answer.id}.pdf", data)
        db.session.commit()
    return contents


def _tables(app: Flask) -> dict[str, list[dict]]:
    with app.app_context(), db.engine.connect() as connection:
        return {table.name: list(dump_rows(connection, table)) for table in db.metadata.sorted_tables}


def _files(app: Flask) -> dict[str, bytes]:
    with app.app_context():
        store = evidence_store()
        return {key: store.load(key) for key in store.keys()}  # noqa: SIM118 (a store, not a dict)


def _backup(app: Flask, path: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _restore(app: Flask, archive: Path, *extra: str):
    return app.test_cli_runner().invoke(args=["backup", "restore", str(archive), *extra])


def _check_round_trip(app: Flask, target: Flask, contents: list[bytes], tmp_path: Path) -> None:
    archive = _backup(app, tmp_path / "backup.tar.gz")
    result = _restore(target, archive)
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    before, after = _tables(app), _tables(target)
    assert set(before) == set(after)
    restore_entry = after["audit_entries"].pop()
    assert restore_entry["action"] == "backup.restore"
    for name in before:
        assert after[name] == before[name], name
    assert sum(len(rows) for rows in before.values()) > 100
    files = _files(target)
    assert files == _files(app) and sorted(files.values()) == sorted(contents)
    definitions = Path(target.config["QUESTIONNAIRE_DIR"])
    source = Path(app.config["QUESTIONNAIRE_DIR"])
    restored = sorted(p.relative_to(definitions) for p in definitions.rglob("*.yaml"))
    assert restored == sorted(p.relative_to(source) for p in source.rglob("*.yaml"))
    assert all((definitions / p).read_bytes() == (source / p).read_bytes() for p in restored)
    # The restored instance keeps counting ids after the restored rows.
    with target.app_context():
        entry = AuditEntry(actor_label="x", action="x", target_type="x", target_id="1")
        db.session.add(entry)
        db.session.commit()
        assert entry.id > max(row["id"] for row in before["audit_entries"])


def test_restore_into_an_empty_instance_gives_every_row_and_file(app, demo_with_files, empty_instance, tmp_path):
    _check_round_trip(app, empty_instance, demo_with_files, tmp_path)


@pytest.mark.postgres
def test_restore_on_postgresql_gives_every_row_and_file(app, demo_with_files, empty_instance, tmp_path):
    assert empty_instance.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    _check_round_trip(app, empty_instance, demo_with_files, tmp_path)


def _rewrite(archive: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of ``archive`` with each member passed through ``change``."""
    altered = archive.with_name("altered.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as target:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return altered


def test_a_changed_row_is_refused_and_nothing_is_written(app, demo_with_files, empty_instance, tmp_path):
    archive = _backup(app, tmp_path / "backup.tar.gz")
    altered = _rewrite(archive, lambda name, data: data.replace(b"admin", b"nimda") if name == "database/users.jsonl" else data)
    result = _restore(empty_instance, altered)
    assert result.exit_code != 0 and "database/users.jsonl: checksum does not match" in result.output
    assert all(rows == [] for rows in _tables(empty_instance).values())
    assert _files(empty_instance) == {}


def test_a_changed_row_with_a_matching_checksum_fails_the_signature(app, demo_with_files, empty_instance, tmp_path):
    import hashlib

    archive = _backup(app, tmp_path / "backup.tar.gz")
    changed = {}

    def change(name: str, data: bytes) -> bytes:
        if name == "database/users.jsonl":
            data = data.replace(b"admin", b"nimda")
            changed["digest"] = hashlib.sha256(data).hexdigest()
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["database/users.jsonl"] = changed["digest"]
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        return data

    result = _restore(empty_instance, _rewrite(archive, change))
    assert result.exit_code != 0 and "signature does not match" in result.output
    assert _tables(empty_instance)["users"] == []


def test_a_missing_evidence_file_is_refused(app, demo_with_files, empty_instance, tmp_path):
    archive = _backup(app, tmp_path / "backup.tar.gz")
    altered = archive.with_name("short.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as target:
        for member in source:
            if not member.name.startswith("evidence/"):
                target.addfile(member, source.extractfile(member))
    result = _restore(empty_instance, altered)
    assert result.exit_code != 0 and "in the manifest only" in result.output


def test_restore_refuses_an_instance_that_has_data(app, demo_with_files, tmp_path):
    archive = _backup(app, tmp_path / "backup.tar.gz")
    result = _restore(app, archive)
    assert result.exit_code != 0 and "not empty" in result.output


def test_verify_reports_a_good_archive(app, demo_with_files, tmp_path):
    archive = _backup(app, tmp_path / "backup.tar.gz")
    result = app.test_cli_runner().invoke(args=["backup", "verify", str(archive)])
    assert result.exit_code == 0 and result.output.strip().endswith(": ok")
    assert _backup(app, tmp_path / "second.tar.gz").exists()
    again = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
    assert again.exit_code != 0 and "already exists" in again.output


def test_demo_load_refuses_in_production(app):
    app.config["READINESS_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "cannot be loaded in production" in result.output
    with app.app_context():
        assert _tables(app)["users"] == []


def test_restore_refuses_a_different_copy_of_a_pinned_definition(app, demo_with_files, empty_instance, tmp_path):
    archive = _backup(app, tmp_path / "backup.tar.gz")
    folder = Path(empty_instance.config["QUESTIONNAIRE_DIR"]) / "readiness"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text("changed: true\n", encoding="utf-8")
    result = _restore(empty_instance, archive)
    assert result.exit_code != 0 and "assessments are pinned to it" in result.output
    assert _tables(empty_instance)["assessments"] == []


def test_evidence_kept_in_the_database_travels_in_the_dump(make_app, database_url, empty_database_url, tmp_path):
    source = make_app(database_url, EVIDENCE_STORAGE="database")
    try:
        with source.app_context():
            load_demo_data(delegations=1, assessments=2, seed=9)
            answer = db.session.scalars(select(Answer).order_by(Answer.id).limit(1)).one()
            attach_to_answer("test", answer, "in-db.pdf", PDF)
            db.session.commit()
        archive = _backup(source, tmp_path / "backup.tar.gz")
        with tarfile.open(archive) as members:
            assert not [m for m in members.getnames() if m.startswith("evidence/")]
        on_disk = make_app(empty_database_url, EVIDENCE_DIR=str(tmp_path / "disk"))
        with on_disk.app_context():
            flask_migrate.upgrade()
        refused = _restore(on_disk, archive)
        assert refused.exit_code != 0 and "EVIDENCE_STORAGE=database" in refused.output
        on_disk.config["EVIDENCE_STORAGE"] = "database"
        assert _restore(on_disk, archive).exit_code == 0
        assert _files(on_disk) == _files(source) and list(_files(on_disk).values()) == [PDF]
        with on_disk.app_context():
            db.engine.dispose()
    finally:
        with source.app_context():
            from ..conftest import delete_all_rows

            delete_all_rows()
            db.engine.dispose()


def test_the_archive_is_readable_by_its_owner_only_and_a_failed_backup_leaves_nothing(app, demo_with_files, tmp_path):
    archive = _backup(app, tmp_path / "backup.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0
    broken = tmp_path / "defs"
    (broken / "readiness").mkdir(parents=True)
    (broken / "readiness" / "1.0.yaml").mkdir()  # a folder where a file is expected: reading it fails
    app.config["QUESTIONNAIRE_DIR"] = str(broken)
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(tmp_path / "failed.tar.gz")])
    assert result.exit_code != 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("failed")) == []
