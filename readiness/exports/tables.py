"""Tables written as CSV or XLSX a chunk at a time, so a long export starts at once and stays small.

A :class:`Table`'s rows may be any iterable (a generator reading the database a page at a
time): the writers consume it once, yielding bytes as they go. The XLSX is a zip written to a
non-seekable stream (entries carry data descriptors), so its first bytes leave before the
last row is read; the workbook holds one sheet of inline strings and numbers.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from readiness.exports.safe import neutralise
from readiness.read.results import ResultRow

ROWS_PER_CHUNK = 200


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: Iterable[list[Any]]


def results_table(rows: Iterable[ResultRow], dimensions: Sequence[str]) -> Table:
    """:return: one row per assessment; a column per dimension in ``dimensions``; flags joined by "; "."""
    dims = list(dimensions)
    header = [
        "assessment_id", "delegation", "country", "region", "context_type", "title", "tool", "status",
        "questionnaire_version", "started", "closed", "decided",
        *[f"score_{d}" for d in dims], "overall_score", "coverage", "recommendation", "rule", "decision",
        "flag_count", "flags",
    ]
    body = (
        [
            r.assessment_id, r.delegation, r.country, r.region, r.context_type, r.title, r.tool_name, r.status,
            r.questionnaire_version, _day(r.started), _day(r.closed), _day(r.decided),
            *[_round(r.dimensions.get(d)) for d in dims], _round(r.overall_score),
            None if r.coverage is None else round(r.coverage, 3), r.recommendation, r.rule_id, r.decision,
            len(r.flags), "; ".join(r.flags),
        ]
        for r in rows
    )
    return Table("results", header, body)


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _chunks(rows: Iterable[list[Any]]) -> Iterator[list[list[Any]]]:
    chunk: list[list[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ROWS_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_chunks(table: Table) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel opens accents correctly), a chunk of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(table.header)
    yield _taken(buffer)  # the header leaves before any row is read: the download starts at once
    for chunk in _chunks(table.rows):
        writer.writerows([neutralise(cell) for cell in row] for row in chunk)
        yield _taken(buffer)


def _taken(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def to_csv(table: Table) -> bytes:
    return b"".join(csv_chunks(table))


class _Pipe(io.RawIOBase):
    """A write-only, non-seekable sink whose bytes are taken out as they arrive."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pending += data
        return len(data)

    def take(self) -> bytes:
        data = bytes(self.pending)
        self.pending.clear()
        return data


def xlsx_chunks(table: Table) -> Iterator[bytes]:
    """A one-sheet workbook (header frozen, values never formulas), a chunk of rows at a time."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text.replace("{title}", escape(table.title[:31])))
        yield pipe.take()  # the workbook's fixed parts leave before any row is read
        letters = [_column(i) for i in range(1, len(table.header) + 1)]
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_sheet_start(table.header).encode())
            sheet.write(_row(1, table.header, letters).encode())
            number = 1
            for chunk in _chunks(table.rows):
                sheet.write("".join(_row(number + i, row, letters) for i, row in enumerate(chunk, start=1)).encode())
                number += len(chunk)
                yield pipe.take()
            sheet.write(b"</sheetData></worksheet>")
    yield pipe.take()


def to_xlsx(table: Table) -> bytes:
    return b"".join(xlsx_chunks(table))


# Characters XML 1.0 forbids: dropped, as a spreadsheet could not hold them either.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(_NOT_XML.sub("", str(neutralise(value))))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, values: Sequence[Any], letters: Sequence[str]) -> str:
    return f'<row r="{number}">' + "".join(_cell(f"{letter}{number}", v) for letter, v in zip(letters, values)) + "</row>"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_start(header: Sequence[str]) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(10, min(40, len(name) + 4))}" customWidth="1"/>'
        for i, name in enumerate(header, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"/>'
        '</sheetView></sheetViews>'
        f"<cols>{widths}</cols><sheetData>"
    )


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}
