"""Reading a KoboToolbox / ODK submissions export (CSV or XLSX) of a form made by :mod:`xlsform`.

Kobo names columns by the XLSForm field names ("XML values and headers"), optionally with
the group path (``needs/needs_written``); ODK Central joins groups with "-" and puts the
submission id in ``meta-instanceID`` or ``KEY``; Kobo puts it in ``_uuid``. Every problem
names its row and column as a spreadsheet shows them. Pure: bytes in, data out.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE
from readiness.domain.collection import AnswerState, normalise_text
from readiness.questionnaire.schema import Item, ItemType, Questionnaire
from readiness.questionnaire.xlsform import COMMENT, LINK, PIN_FIELD, SPECIAL, YES_NO, Pin

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an XLSX is a zip: refuse one that swells past this
MAX_RATIO = 100
MAX_ROWS = 5000
UUID_COLUMNS = ("_uuid", "instanceID", "KEY")
SPECIALS = (DONT_KNOW, NOT_APPLICABLE)


class Problem(StrEnum):
    MALFORMED = "malformed"  # not a CSV or XLSX file we can read
    TOO_LARGE = "too_large"
    BOMB = "bomb"  # the XLSX would unpack to far more than its size
    NO_PIN = "no_pin"  # no readiness_form column: not a form made here
    NO_ROWS = "no_rows"
    NO_UUID = "no_uuid"  # no submission id column, or an empty one
    OTHER_FORM = "other_form"  # the row answers another questionnaire or version
    UNKNOWN_ROLE = "unknown_role"
    MIXED_FORMS = "mixed_forms"  # rows of different roles or versions in one file
    DUPLICATE = "duplicate"  # the same submission twice in the file
    UNKNOWN_CHOICE = "unknown_choice"
    NOT_A_NUMBER = "not_a_number"


@dataclass(frozen=True)
class Located:
    problem: Problem
    row: int | None = None  # 1-based, as the spreadsheet shows it (row 1: headers)
    column: str | None = None  # the column's header
    letter: str | None = None  # the column's letter, A, B, ... AA
    value: str = ""


@dataclass(frozen=True)
class Row:
    number: int
    uuid: str
    answers: dict[str, AnswerState]


@dataclass
class Parsed:
    pin: Pin | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[Located] = field(default_factory=list)


# --- Reading the file ----------------------------------------------------------------


def read_table(filename: str, data: bytes) -> tuple[list[list[str]], Located | None]:
    """:return: the file's rows as text (first: headers), or a problem."""
    if len(data) > MAX_FILE_BYTES:
        return [], Located(Problem.TOO_LARGE)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xls", ".zip")):
        return [], Located(Problem.MALFORMED)
    return _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[list[str]], Located | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], Located(Problem.MALFORMED)
    first = text.split("\n", 1)[0]
    # Kobo's CSV uses ";" by default; ODK Central's and Excel's use ",".
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error:
        return [], Located(Problem.MALFORMED)
    return _trimmed(rows)


def _read_xlsx(data: bytes) -> tuple[list[list[str]], Located | None]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_RATIO * max(len(data), 1) + 1024 * 1024:
                return [], Located(Problem.BOMB)
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [[_cell_text(v) for v in values] for _, values in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True))]
        book.close()
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same to the reader
        return [], Located(Problem.MALFORMED)
    return _trimmed(rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _trimmed(rows: list[list[str]]) -> tuple[list[list[str]], Located | None]:
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) > MAX_ROWS + 1:
        return [], Located(Problem.TOO_LARGE)
    if len(rows) < 2:
        return rows, Located(Problem.NO_ROWS)
    return rows, None


# --- Understanding the rows ----------------------------------------------------------


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def field_name(header: str) -> str:
    """The XLSForm field a column holds, without Kobo's "/" or ODK Central's "-" group path."""
    return header.strip().replace("-", "/").rsplit("/", 1)[-1]


def parse(rows: list[list[str]], questionnaire: Questionnaire) -> Parsed:
    """Check every row against the assessment's questionnaire and turn it into answers.

    :param rows: the file's rows, headers first (see :func:`read_table`).
    """
    headers = rows[0]
    columns = {field_name(h): i for i, h in reversed(list(enumerate(headers)))}
    parsed = Parsed()
    if PIN_FIELD not in columns:
        parsed.problems.append(Located(Problem.NO_PIN, 1))
        return parsed
    uuid_at = next((columns[c] for c in UUID_COLUMNS if c in columns), None)
    if uuid_at is None:
        parsed.problems.append(Located(Problem.NO_UUID, 1))
        return parsed
    seen: set[str] = set()
    for number, values in enumerate(rows[1:], start=2):
        cells = values + [""] * (len(headers) - len(values))
        where = _Where(number, headers, columns, cells, parsed.problems)
        pin = _check_pin(where, questionnaire, parsed)
        uuid = cells[uuid_at].strip().removeprefix("uuid:")
        if not uuid:
            where.add(Problem.NO_UUID, uuid_at)
        elif uuid in seen:
            where.add(Problem.DUPLICATE, uuid_at, uuid)
        seen.add(uuid)
        if pin is not None:
            answers = {item.id: state for item in questionnaire.items_for_role(pin.role)
                       if (state := _answer(item, where)) is not None}
            parsed.rows.append(Row(number, uuid, answers))
    return parsed


@dataclass
class _Where:
    number: int
    headers: list[str]
    columns: dict[str, int]
    cells: list[str]
    problems: list[Located]

    def get(self, name: str) -> tuple[str, int | None]:
        at = self.columns.get(name)
        return (self.cells[at].strip() if at is not None else "", at)

    def add(self, problem: Problem, at: int | None, value: str = "") -> None:
        """:param at: the column, or None when the file lacks it (the problem then names no column)."""
        header, column = (self.headers[at], letter(at)) if at is not None else (None, None)
        self.problems.append(Located(problem, self.number, header, column, value))


def _check_pin(where: _Where, questionnaire: Questionnaire, parsed: Parsed) -> Pin | None:
    raw, at = where.get(PIN_FIELD)
    pin = Pin.parse(raw)
    if pin is None or (pin.questionnaire_id, pin.version) != questionnaire.key:
        where.add(Problem.OTHER_FORM, at, raw)
        return None
    if pin.role not in {r.id for r in questionnaire.roles}:
        where.add(Problem.UNKNOWN_ROLE, at, pin.role)
        return None
    if parsed.pin is None:
        parsed.pin = pin
    elif pin != parsed.pin:
        where.add(Problem.MIXED_FORMS, at, raw)
        return None
    return pin


def _answer(item: Item, where: _Where) -> AnswerState | None:
    raw, at = where.get(item.id)
    comment = normalise_text(where.get(item.id + COMMENT)[0])
    link = normalise_text(where.get(item.id + LINK)[0]) or None
    special, special_at = where.get(item.id + SPECIAL)
    value: object = None
    if item.type is ItemType.LEVEL:
        allowed = {str(level) for level in (item.levels or {})}
        if raw in SPECIALS:
            special = raw
        elif raw and raw not in allowed:
            where.add(Problem.UNKNOWN_CHOICE, at, raw)
        elif raw:
            value = int(raw)
    elif item.type is ItemType.YES_NO:
        if raw in SPECIALS:
            special = raw
        elif raw and raw not in YES_NO:
            where.add(Problem.UNKNOWN_CHOICE, at, raw)
        elif raw:
            value = raw
    elif special and special not in SPECIALS:
        where.add(Problem.UNKNOWN_CHOICE, special_at, special)
    elif item.type is ItemType.NUMBER and raw:
        value = _number(raw)
        if value is None:
            where.add(Problem.NOT_A_NUMBER, at, raw)
    else:
        value = normalise_text(raw) or None
    state = AnswerState(None if special else value, special or None, comment, link)
    return state if state.answered or comment or link else None


def _number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
