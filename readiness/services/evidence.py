"""Evidence files: checked by extension and content, stored under a random key in EVIDENCE_DIR.

The uploader's file name is kept only as a label; it never becomes a path. Files follow the
database transaction: a file written in a transaction that does not commit is removed, and a
discarded file is removed only once the transaction that dropped its row has committed.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from readiness.domain.collection import MAX_EVIDENCE_BYTES, EvidenceCheck, check_evidence, display_filename
from readiness.extensions import db
from readiness.models import Answer, Evidence, User
from readiness.services import audit

# Readable by the app's own user only: evidence may name children and families.
FILE_MODE = 0o600
DIR_MODE = 0o700
_WRITTEN = "evidence_files_written"
_DISCARDED = "evidence_files_discarded"


class EvidenceRejected(ValueError):
    def __init__(self, check: EvidenceCheck) -> None:
        super().__init__(str(check.problem))
        self.check = check


def read_upload(stream: IO[bytes]) -> bytes:
    """Read at most one byte past the limit, so an oversized file is known without reading it all."""
    return stream.read(MAX_EVIDENCE_BYTES + 1)


def inspect_upload(filename: str, data: bytes) -> EvidenceCheck:
    return check_evidence(filename, data)


def storage_path(storage_key: str) -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]) / storage_key


def attach_to_answer(actor: User | str | None, answer: Answer, filename: str, data: bytes) -> Evidence:
    """Check and store a file as evidence for ``answer``.

    :raise EvidenceRejected: when the type or size is not allowed (nothing is written).
    """
    check = check_evidence(filename, data)
    if check.problem is not None:
        raise EvidenceRejected(check)
    key = f"{secrets.token_hex(16)}.{check.kind}"
    write_file(key, data)
    evidence = Evidence(
        answer_id=answer.id, filename=display_filename(filename), content_type=check.content_type or "",
        size=len(data), storage_key=key, uploaded_by_id=actor.id if isinstance(actor, User) else None,
    )
    db.session.add(evidence)
    db.session.flush()
    audit.record(
        actor, "evidence.attach", evidence, assessment_id=answer.respondent.assessment_id,
        after={"item": answer.item_id, "file": evidence.filename, "size": evidence.size},
    )
    return evidence


def write_file(storage_key: str, data: bytes) -> Path:
    """Write a new file readable by the app alone; it is removed again unless the transaction commits."""
    path = storage_path(storage_key)
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    db.session.info.setdefault(_WRITTEN, []).append(path)
    return path


def discard_file(evidence: Any) -> None:
    """Remove the stored bytes once the transaction (which drops the row) commits."""
    db.session.info.setdefault(_DISCARDED, []).append(storage_path(evidence.storage_key))


@event.listens_for(Session, "after_commit")
def _files_committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DISCARDED, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _files_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without a commit (rollback, error, or closed at teardown).
    if transaction.parent is not None or transaction.nested:
        return
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
    session.info.pop(_DISCARDED, None)
