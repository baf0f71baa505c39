"""The XLSX export streams in constant memory: 8,000 rows need no more than 2,000, and the file still opens.

Memory, not time (so allowed in a test): the peak of what Python allocates while the stream is
produced and read (``tracemalloc``), for a table of 2,000 and one of 8,000 rows. Streaming holds one
chunk of ``ROWS_PER_CHUNK`` rows and the zip writer's fixed buffers, whatever the row count (measured:
about 990 kB at the peak for both). Holding the 6,000 extra rows anywhere costs more than ``BOUND``
(512 kB): collected in a list, +4.6 MB; even keeping only the compressed bytes already sent, +0.6 MB
(6,000 rows x ~0.1 kB of deflated XML). Both breakages were tried and fail this test.
"""
from __future__ import annotations

import io
import tracemalloc
from datetime import datetime

from openpyxl import load_workbook

from readiness.exports.tables import results_table, to_xlsx, xlsx_chunks
from readiness.read.results import ResultRow

DIMENSIONS = ["needs", "system", "ict", "staff", "organisation"]
BOUND = 512 * 1024


def rows(count: int):
    """Rows as the database gives them, each with its own texts (no two titles alike)."""
    for n in range(1, count + 1):
        yield ResultRow(
            n, f"Delegation {n % 97}", "Mali", "West Africa", "protracted_crisis", f"Assessment {n}: roll-out to {n * 7} sites",
            "Primero", "closed", "1.0", datetime(2025, 1, 1 + n % 28), datetime(2025, 3, 1), None, 40 + n % 50, 0.75,
            "go_with_conditions", "conditions", None, {d: 30.5 + (n * i) % 60 for i, d in enumerate(DIMENSIONS)},
            [f"gap:{n % 5}", "charter_unmet:consent"],
        )


def peak_while_streaming(count: int) -> int:
    """:return: the peak traced memory (bytes) while the XLSX stream of ``count`` rows is produced and read."""
    table = results_table(rows(count), DIMENSIONS)
    tracemalloc.start()
    try:
        written = 0
        for chunk in xlsx_chunks(table):
            written += len(chunk)  # read as a client would, then dropped
        assert written > count * 100
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_xlsx_stream_needs_no_more_memory_for_8000_rows_than_for_2000():
    small, large = peak_while_streaming(2_000), peak_while_streaming(8_000)
    assert large - small < BOUND, f"2,000 rows: {small / 1024:.0f} kB, 8,000 rows: {large / 1024:.0f} kB at the peak"


def test_the_streamed_workbook_opens_with_the_same_cells():
    table = results_table(list(rows(450)), DIMENSIONS)  # more than two chunks
    sheet = load_workbook(io.BytesIO(to_xlsx(table)), read_only=True).active
    found = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert found[0] == table.header
    assert len(found) == 451
    expected = list(results_table(rows(450), DIMENSIONS).rows)  # the same rows again (the first were consumed)
    assert found[1:] == expected
    assert found[1][table.header.index("flags")] == "gap:1; charter_unmet:consent"
    assert found[450][table.header.index("title")] == "Assessment 450: roll-out to 3150 sites"
