"""Evidence files: checked by extension and content, stored under a random key in EVIDENCE_DIR.

The uploader's file name is kept only as a label; it never becomes a path.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import IO

from flask import current_app

from readiness.domain.collection import MAX_EVIDENCE_BYTES, EvidenceCheck, check_evidence, display_filename
from readiness.extensions import db
from readiness.models import Answer, Evidence, User
from readiness.services import audit


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
    path = storage_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
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


def discard_file(evidence: Evidence) -> None:
    """Remove the stored bytes (the row goes with the transaction)."""
    storage_path(evidence.storage_key).unlink(missing_ok=True)
