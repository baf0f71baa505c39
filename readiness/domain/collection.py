"""Collecting answers: invitation tokens, progress, edit conflicts and evidence checks.

Pure functions only: no Flask, no database, no files. The web layer turns the problem
codes returned here into messages in the reader's language.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from readiness.questionnaire.schema import Questionnaire

# --- Invitation tokens -------------------------------------------------------------

_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


class TokenStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def hash_token(token: str) -> str:
    """:return: the sha256 hex digest stored instead of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    """Reject obviously tampered links before touching the database."""
    return bool(_TOKEN_SHAPE.match(token))


def token_status(expires_at: datetime, revoked_at: datetime | None, now: datetime) -> TokenStatus:
    """:return: whether a stored invitation can still be used at ``now`` (revocation wins)."""
    if revoked_at is not None and revoked_at <= now:
        return TokenStatus.REVOKED
    if expires_at <= now:
        return TokenStatus.EXPIRED
    return TokenStatus.VALID


# --- Pages and progress ------------------------------------------------------------

FINISH_PAGE = "finish"


@dataclass(frozen=True)
class Progress:
    page_number: int  # 1-based; 0 when the page is not one of the role's pages
    page_count: int
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


# A page holds one dimension's questions for the role: long ones are split in near-equal parts,
# and a dimension with a single question joins the next one (or the previous, at the end).
MAX_PER_PAGE = 8
MIN_PER_PAGE = 2


@dataclass(frozen=True)
class Page:
    id: str  # "ict", "ict-2" (second part of a split dimension), "needs+system" (two short ones together)
    dimensions: tuple[str, ...]
    item_ids: tuple[str, ...]
    part: int = 0  # 1-based part of a split page, 0 when the page is whole
    parts: int = 1


def role_pages(questionnaire: Questionnaire, role: str) -> list[Page]:
    """:return: the role's pages in the file's order, each of MIN_PER_PAGE to MAX_PER_PAGE questions
    (unless the role has fewer questions in all)."""
    items = questionnaire.items_for_role(role)
    groups = [((d.id,), [i.id for i in items if i.dimension == d.id]) for d in questionnaire.dimensions]
    pages = []
    for dimensions, ids in _join_short([g for g in groups if g[1]]):
        parts = -(-len(ids) // MAX_PER_PAGE)
        base = "+".join(dimensions)
        if parts == 1:
            pages.append(Page(base, dimensions, tuple(ids)))
            continue
        size, extra = divmod(len(ids), parts)
        start = 0
        for part in range(1, parts + 1):
            end = start + size + (1 if part <= extra else 0)
            pages.append(Page(f"{base}-{part}", dimensions, tuple(ids[start:end]), part, parts))
            start = end
    return pages


def _join_short(groups: list[tuple[tuple[str, ...], list[str]]]) -> list[tuple[tuple[str, ...], list[str]]]:
    joined: list[tuple[tuple[str, ...], list[str]]] = []
    carry: tuple[tuple[str, ...], list[str]] | None = None
    for dimensions, ids in groups:
        if carry is not None:
            dimensions, ids, carry = carry[0] + dimensions, carry[1] + ids, None
        if len(ids) < MIN_PER_PAGE:
            carry = (dimensions, ids)
        else:
            joined.append((dimensions, ids))
    if carry is not None:
        if joined:
            last = joined.pop()
            joined.append((last[0] + carry[0], last[1] + carry[1]))
        else:
            joined.append(carry)
    return joined


def pages_for_role(questionnaire: Questionnaire, role: str) -> list[str]:
    """:return: the ids of the role's pages, in order."""
    return [page.id for page in role_pages(questionnaire, role)]


def progress(questionnaire: Questionnaire, role: str, answered_ids: set[str], page: str | None) -> Progress:
    """Count the role's items that have an answer (a level, a value, don't know or not applicable).

    :param answered_ids: ids of items the respondent has answered.
    :param page: the dimension being shown, or None.
    """
    pages = pages_for_role(questionnaire, role)
    item_ids = {item.id for item in questionnaire.items_for_role(role)}
    number = pages.index(page) + 1 if page in pages else 0
    return Progress(number, len(pages), len(item_ids & answered_ids), len(item_ids))


def neighbour(pages: list[str], page: str, step: int) -> str | None:
    """:return: the page ``step`` places away, or None past either end."""
    index = pages.index(page) + step
    return pages[index] if 0 <= index < len(pages) else None


def resume_page(pages: list[str], last_page: str | None) -> str:
    """:return: where a returning respondent continues: the page they saved last, else the first."""
    if last_page == FINISH_PAGE or last_page in pages:
        return last_page
    return pages[0] if pages else FINISH_PAGE


# --- Answer states and edit conflicts ----------------------------------------------


@dataclass(frozen=True)
class AnswerState:
    """What one person said about one item (or one figure, or one charter commitment)."""

    value: Any = None
    special: str | None = None
    comment: str = ""
    evidence_link: str | None = None

    @property
    def answered(self) -> bool:
        return self.special is not None or (self.value is not None and self.value != "")

    def digest(self) -> str:
        """A short fingerprint, posted with the form, of the state the person was shown."""
        return hashlib.sha256(json.dumps(self.canonical(), sort_keys=True).encode()).hexdigest()[:20]

    def canonical(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
        return {
            "value": value,
            "special": self.special,
            "comment": normalise_text(self.comment),
            "evidence_link": self.evidence_link or None,
        }

    def as_dict(self) -> dict[str, Any]:
        """For audit entries: only what is set, so the trail reads well."""
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}


def normalise_text(value: str | None) -> str:
    """Browsers post CRLF line ends; keep one form so a re-post of the same text is no change."""
    return (value or "").replace("\r\n", "\n").strip()


class Change(StrEnum):
    UNCHANGED = "unchanged"  # the person left it as shown
    SAVE = "save"
    SAME_AS_SAVED = "same_as_saved"  # someone saved exactly this meanwhile
    CONFLICT = "conflict"  # someone else saved something different since the page was shown


def classify_change(submitted: AnswerState, shown_digest: str, current: AnswerState, stale: bool) -> Change:
    """Decide what to do with one item of a posted page.

    :param shown_digest: the fingerprint of the state the page showed (posted back).
    :param current: the state stored now.
    :param stale: the stored record's version moved on since the page was shown.
    """
    mine = submitted.digest()
    if mine == shown_digest:
        return Change.UNCHANGED
    if mine == current.digest():
        return Change.SAME_AS_SAVED
    if stale or current.digest() != shown_digest:
        return Change.CONFLICT
    return Change.SAVE


# --- Evidence ----------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
ALLOWED_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "odt")
_ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class EvidenceProblem(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    EXTENSION = "extension"  # the file name's extension is not allowed
    CONTENT = "content"  # the bytes are not what the extension says
    ARCHIVE = "archive"  # an Office file that would expand far beyond any real document (a zip bomb)


@dataclass(frozen=True)
class EvidenceCheck:
    kind: str | None  # canonical extension: pdf, png, jpg, docx, xlsx, odt
    problem: EvidenceProblem | None

    @property
    def content_type(self) -> str | None:
        return CONTENT_TYPES.get(self.kind or "")


def extension_of(filename: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    ext = ext.lower() if dot and stem else ""
    return "jpg" if ext == "jpeg" else ext


def check_evidence(filename: str, data: bytes) -> EvidenceCheck:
    """Accept a file only when its extension is allowed AND its bytes match that type.

    :param data: the whole upload (callers read at most one byte past the limit).
    """
    if not data:
        return EvidenceCheck(None, EvidenceProblem.EMPTY)
    if len(data) > MAX_EVIDENCE_BYTES:
        return EvidenceCheck(None, EvidenceProblem.TOO_LARGE)
    kind = extension_of(filename)
    if kind not in CONTENT_TYPES:
        return EvidenceCheck(None, EvidenceProblem.EXTENSION)
    found = sniff(data)
    if isinstance(found, EvidenceProblem):
        return EvidenceCheck(None, found)
    if found != kind:
        return EvidenceCheck(None, EvidenceProblem.CONTENT)
    return EvidenceCheck(kind, None)


def sniff(data: bytes) -> str | EvidenceProblem | None:
    """:return: the type the bytes really are (by their magic numbers and, for Office files, their parts)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return None


# Sniffing an Office file reads its table of contents and at most a few bytes of one member:
# nothing is ever inflated beyond ``_SNIFF_BUDGET``. An archive that says it expands past these
# bounds is refused outright, so no one downloading the evidence later opens a zip bomb.
MAX_ARCHIVE_MEMBERS = 20_000
MAX_ARCHIVE_EXPANDED = 200 * 1024 * 1024
_SNIFF_BUDGET = 1024


def _sniff_zip(data: bytes) -> str | EvidenceProblem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > MAX_ARCHIVE_EXPANDED:
                return EvidenceProblem.ARCHIVE
            names = {member.filename for member in members}
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(_SNIFF_BUDGET).strip() == CONTENT_TYPES["odt"].encode():
                        return "odt"
    except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError, EOFError, OSError, NotImplementedError):
        return None
    for kind, marker in _ZIP_MEMBERS.items():
        if marker in names and "[Content_Types].xml" in names:
            return kind
    return None


def display_filename(filename: str) -> str:
    """A safe label for the uploaded file (shown, never used as a path)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "evidence"


def is_http_link(value: str) -> bool:
    """:return: whether ``value`` is an absolute http(s) address with a host."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value.strip()
