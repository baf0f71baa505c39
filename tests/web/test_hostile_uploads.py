"""A zip bomb sent through a respondent link is refused with a message, fast, and nothing is saved."""
from __future__ import annotations

import tracemalloc

from sqlalchemy import func, select

from readiness.models import Answer, Evidence

from ..domain.test_hostile_files import _bomb
from .test_evidence import _post, evidence_case  # noqa: F401  (the fixture)


def test_a_zip_bomb_through_a_respondent_link_is_refused_at_once(client, evidence_case, db_session):  # noqa: F811
    item = evidence_case["item"]
    bomb = _bomb("mimetype", 300, {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})

    tracemalloc.start()
    response = _post(client, evidence_case, upload=("budget.xlsx", bomb), **{item.id: "2", item.id + "__comment": "kept"})
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    page = response.get_data(as_text=True)
    # Never inflated: memory, not time, is what a bomb costs (the archive claims hundreds of MB).
    assert response.status_code == 400 and peak < 50_000_000
    assert "expands to far more than any real document" in page and "kept" in page
    assert db_session.scalar(select(func.count()).select_from(Evidence)) == 0
    # The refused file is left out; the page's answer is kept (one refused file never discards the page).
    assert db_session.scalar(select(func.count()).select_from(Answer)) == 1
