"""The results table (one row per assessment), built once and written as CSV or XLSX."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from readiness.exports.safe import neutralise
from readiness.read.results import ResultRow, iter_dimension_ids


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]


def results_table(rows: Sequence[ResultRow]) -> Table:
    """:return: one row per assessment; a column per dimension seen; flags joined by "; "."""
    dims = list(iter_dimension_ids(list(rows)))
    header = [
        "assessment_id", "delegation", "country", "region", "context_type", "title", "tool", "status",
        "questionnaire_version", "started", "closed", "decided",
        *[f"score_{d}" for d in dims], "overall_score", "coverage", "recommendation", "rule", "decision",
        "flag_count", "flags",
    ]
    body = [
        [
            r.assessment_id, r.delegation, r.country, r.region, r.context_type, r.title, r.tool_name, r.status,
            r.questionnaire_version, _day(r.started), _day(r.closed), _day(r.decided),
            *[_round(r.dimensions.get(d)) for d in dims], _round(r.overall_score),
            None if r.coverage is None else round(r.coverage, 3), r.recommendation, r.rule_id, r.decision,
            len(r.flags), "; ".join(r.flags),
        ]
        for r in rows
    ]
    return Table("results", header, body)


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([neutralise(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title)
    for index, name in enumerate(table.header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(name) + 4))
    sheet.freeze_panes = "C2"
    sheet.append(table.header)
    for row in table.rows:
        # openpyxl stores any str starting with "=" as a formula: neutralise first.
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
