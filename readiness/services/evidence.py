"""Evidence files: checked by extension and content, stored under a random key in the evidence store.

The uploader's file name is kept only as a label; it never becomes a path.
"""
from __future__ import annotations

import secrets
from typing import IO

from readiness.domain.collection import MAX_EVIDENCE_BYTES, EvidenceCheck, check_evidence, display_filename
from readiness.extensions import db
from readiness.models import Answer, Evidence, User
from readiness.services import audit
from readiness.storage import discard_after_commit, evidence_store


class EvidenceRejected(ValueError):
    def __init__(self, check: EvidenceCheck) -> None:
        super().__init__(str(check.problem))
        self.check = check


def read_upload(stream: IO[bytes]) -> bytes:
    """Read at most one byte past the limit, so an oversized file is known without reading it all."""
    return stream.read(MAX_EVIDENCE_BYTES + 1)


def inspect_upload(filename: str, data: bytes) -> EvidenceCheck:
    return check_evidence(filename, data)


def load_file(storage_key: str) -> bytes | None:
    """The stored bytes, or None when they are gone (erased, or lost outside the app)."""
    return evidence_store().load(storage_key)


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


def write_file(storage_key: str, data: bytes) -> None:
    """Store new bytes; with the folder backend they are readable by the app alone and removed
    again unless the transaction commits (``readiness.storage``)."""
    evidence_store().save(storage_key, data)


def discard_file(evidence: Evidence) -> None:
    """Remove one file's bytes once the transaction that drops its row commits."""
    discard_files([evidence.storage_key])


def discard_files(storage_keys: list[str]) -> None:
    """Remove the stored bytes of evidence or proposal files whose rows this transaction deletes.

    The bytes go when the transaction commits, so a rolled-back deletion loses nothing.
    """
    discard_after_commit(storage_keys)
