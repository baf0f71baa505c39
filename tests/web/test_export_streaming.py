"""Exports stream: the first bytes leave before the rows are all read, and the files stay whole."""
from __future__ import annotations

import csv
import io
import itertools

from openpyxl import load_workbook

from readiness.exports.tables import ROWS_PER_CHUNK, Table, csv_chunks, xlsx_chunks
from readiness.extensions import db
from readiness.models import Role
from readiness.read.filters import Filters
from readiness.read.results import iter_result_rows

from .hq_factory import make_delegation, make_result

TOTAL = ROWS_PER_CHUNK * 4 + 7


class CountingRows:
    """Rows handed out one by one, remembering how many were taken."""

    def __init__(self, total: int) -> None:
        self.taken = 0
        self.total = total

    def __iter__(self):
        for n in range(self.total):
            self.taken += 1
            yield [n, f"Délégation {n}", n * 1.5, None, "=cmd()"]


def _table(rows) -> Table:
    return Table("results", ["id", "name", "score", "empty", "text"], rows)


def test_csv_yields_its_first_chunk_before_reading_every_row():
    rows = CountingRows(TOTAL)
    chunks = csv_chunks(_table(rows))

    first = next(chunks)

    assert first.startswith("\ufeffid,name".encode()) and rows.taken <= ROWS_PER_CHUNK
    whole = first + b"".join(chunks)
    lines = list(csv.reader(io.StringIO(whole.decode("utf-8-sig"))))
    assert len(lines) == TOTAL + 1 and lines[-1] == [str(TOTAL - 1), f"Délégation {TOTAL - 1}", str((TOTAL - 1) * 1.5), "", "'=cmd()"]


def test_xlsx_yields_bytes_before_reading_every_row_and_opens_whole_in_a_spreadsheet():
    rows = CountingRows(TOTAL)
    chunks = xlsx_chunks(_table(rows))

    first = next(chunks)

    assert first.startswith(b"PK") and rows.taken <= ROWS_PER_CHUNK  # a zip, begun after one chunk
    sheet = load_workbook(io.BytesIO(first + b"".join(chunks))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("id", "name", "score", "empty", "text")
    assert len(values) == TOTAL + 1
    assert values[3] == (2, "Délégation 2", 3.0, None, "'=cmd()")  # numbers stay numbers, text never a formula
    assert sheet.freeze_panes == "C2"


def test_result_rows_are_read_a_page_at_a_time_and_none_is_missed(db_session):
    place = make_delegation("Dakar office")
    made = [make_result(place, days=n).id for n in range(5)]
    db.session.commit()

    pages = iter_result_rows(Filters(), page=2)

    assert [r.assessment_id for r in itertools.islice(pages, 3)] == made[:3]
    assert [r.assessment_id for r in pages] == made[3:]


def test_the_export_response_streams(client, login_as, db_session):
    make_result(make_delegation("Dakar office"))
    db.session.commit()
    login_as(Role.HQ)

    response = client.get("/hq/export.csv")

    assert response.is_streamed
    assert "Dakar office" in response.get_data(as_text=True)


def test_a_stalled_download_does_not_block_the_next_export_for_ever(monkeypatch):
    from readiness.exports import throttle

    monkeypatch.setattr(throttle, "WAIT", 0.2)
    monkeypatch.setattr(throttle, "SHARE", 0.0)
    stalled = throttle.one_export_at_a_time(iter([b"a", b"b"]))
    assert next(stalled) == b"a"  # holds the slot, as a client that stopped reading would
    assert list(throttle.one_export_at_a_time(iter([b"x", b"y"]))) == [b"x", b"y"]
    stalled.close()  # the slot is given back when the download ends
    assert throttle.EXPORTS.acquire(timeout=0)
    throttle.EXPORTS.release()
