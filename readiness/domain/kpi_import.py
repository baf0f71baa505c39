"""Read the figures from a case-management tool's KPI export (Primero, CPIMS+): one KPI per row.

Expected CSV: a header row with a name column (``kpi``, ``indicator`` or ``name``) and a
``value`` column; other columns (period, notes) are ignored. A row names either one of the
questionnaire's inputs by its id, or a KPI the way Primero names it:

======================================  ==============================================
``number_of_cases`` / ``open_cases``     open cases
``case_workers`` / ``social_workers``    social workers (FTE)
``supervisors``                          case-management supervisors (FTE)
``supervisor_to_caseworker_ratio``       "case workers:supervisors" as Primero shows it ("10:2")
``case_load``                            open cases per case worker (needs the case workers too)
``trained_staff``                        social workers trained in case management
``working_devices`` / ``devices``        working devices
======================================  ==============================================

Pure: text in, figures or located problems out. Nothing is saved unless the whole file is clean.
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from readiness.questionnaire.schema import Questionnaire

from .indicators import input_from_ratio

MAX_BYTES = 100_000
NAME_COLUMNS = ("kpi", "indicator", "name", "key")
VALUE_COLUMNS = ("value", "total")
# Primero's KPI names (and plain synonyms) -> the questionnaire's input ids.
ALIASES = {
    "number_of_cases": "open_cases", "open_cases": "open_cases", "cases_open": "open_cases",
    "case_workers": "social_workers_fte", "caseworkers": "social_workers_fte", "social_workers": "social_workers_fte",
    "supervisors": "supervisors_fte",
    "trained_staff": "staff_trained_cm", "staff_trained": "staff_trained_cm",
    "working_devices": "devices_available", "devices": "devices_available",
}
RATIO_KPI = "supervisor_to_caseworker_ratio"
CASE_LOAD_KPI = "case_load"


class Problem(StrEnum):
    UNREADABLE = "unreadable"  # not UTF-8 text, or too large
    NO_COLUMNS = "no_columns"  # no name or no value column in the header
    NO_ROWS = "no_rows"
    UNKNOWN_KPI = "unknown_kpi"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    TWICE = "twice"  # the same figure given twice
    NEEDS_WORKERS = "needs_workers"  # a case load without the number of case workers


@dataclass(frozen=True)
class Located:
    problem: Problem
    row: int | None = None  # the file's line number, the header being row 1
    column: str | None = None
    value: str = ""


@dataclass
class KpiFile:
    figures: dict[str, float] = field(default_factory=dict)  # input id -> value
    rows: list[tuple[int, str, str, str]] = field(default_factory=list)  # (row, kpi as written, input id, value)
    problems: list[Located] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.figures)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _column(header: Sequence[str], names: tuple[str, ...]) -> str | None:
    return next((h for h in header if h.strip().lower() in names), None)


def read_kpis(data: bytes, questionnaire: Questionnaire) -> KpiFile:
    """:return: the figures the file gives, or every problem found, each with its row and column."""
    found = KpiFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        found.problems.append(Located(Problem.UNREADABLE))
        return found
    if len(data) > MAX_BYTES:
        found.problems.append(Located(Problem.UNREADABLE))
        return found
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = reader.fieldnames or []
    name_col, value_col = _column(header, NAME_COLUMNS), _column(header, VALUE_COLUMNS)
    if name_col is None or value_col is None:
        found.problems.append(Located(Problem.NO_COLUMNS, 1, None, ", ".join(header)))
        return found
    inputs = {entry.id: entry for entry in questionnaire.inputs}
    case_load: tuple[int, float] | None = None
    for row_number, row in enumerate(reader, start=2):
        name, raw = (row.get(name_col) or "").strip(), (row.get(value_col) or "").strip()
        if not name and not raw:
            continue
        key = name.lower().replace(" ", "_").replace("-", "_")
        if key == RATIO_KPI:
            _ratio(found, row_number, value_col, raw, name)
            continue
        if key == CASE_LOAD_KPI:
            value = _checked(found, row_number, value_col, raw)
            if value is not None:
                case_load = (row_number, value)
                found.rows.append((row_number, name, "open_cases", raw))
            continue
        input_id = key if key in inputs else ALIASES.get(key)
        if input_id is None or input_id not in inputs:
            found.problems.append(Located(Problem.UNKNOWN_KPI, row_number, name_col, name))
            continue
        value = _checked(found, row_number, value_col, raw, inputs[input_id].max)
        if value is not None:
            _put(found, row_number, name_col, name, input_id, value, raw)
    if case_load is not None:
        _open_cases_from_load(found, questionnaire, case_load, value_col)
    if not found.figures and not found.problems:
        found.problems.append(Located(Problem.NO_ROWS))
    return found


def _checked(found: KpiFile, row: int, column: str, raw: str, maximum: float | None = None) -> float | None:
    value = _number(raw)
    if value is None:
        found.problems.append(Located(Problem.NOT_A_NUMBER, row, column, raw))
    elif value < 0 or (maximum is not None and value > maximum):
        found.problems.append(Located(Problem.OUT_OF_RANGE, row, column, raw))
        return None
    return value


def _put(found: KpiFile, row: int, column: str, name: str, input_id: str, value: float, raw: str) -> None:
    if input_id in found.figures:
        found.problems.append(Located(Problem.TWICE, row, column, name))
        return
    found.figures[input_id] = value
    found.rows.append((row, name, input_id, raw))


def _ratio(found: KpiFile, row: int, column: str, raw: str, name: str) -> None:
    """Primero shows the ratio as "case workers:supervisors" ("10:2"); both counts are kept."""
    workers, sep, supervisors = raw.partition(":")
    a, b = _number(workers), _number(supervisors)
    if not sep or a is None or b is None:
        found.problems.append(Located(Problem.NOT_A_NUMBER, row, column, raw))
        return
    if a < 0 or b < 0:
        found.problems.append(Located(Problem.OUT_OF_RANGE, row, column, raw))
        return
    _put(found, row, column, name, "social_workers_fte", a, workers.strip())
    _put(found, row, column, name, "supervisors_fte", b, supervisors.strip())


def _open_cases_from_load(found: KpiFile, q: Questionnaire, case_load: tuple[int, float], column: str) -> None:
    row, load = case_load
    workers = found.figures.get("social_workers_fte")
    indicator = next((i for i in q.indicators if i.numerator == "open_cases" and i.denominator == "social_workers_fte"), None)
    if workers is None or indicator is None:
        found.problems.append(Located(Problem.NEEDS_WORKERS, row, column, f"{load:g}"))
        return
    if "open_cases" in found.figures:
        found.problems.append(Located(Problem.TWICE, row, column, CASE_LOAD_KPI))
        return
    value = input_from_ratio(indicator, "open_cases", load, workers)
    if value is not None:
        found.figures["open_cases"] = value
