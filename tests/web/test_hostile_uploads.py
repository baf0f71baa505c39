"""A zip bomb sent through a respondent link is refused with a message, fast, and nothing is saved."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from readiness.models import Answer, Evidence

from ..domain.test_hostile_files import _bomb
from .test_evidence import _post, evidence_case  # noqa: F401  (the fixture)


def test_a_zip_bomb_through_a_respondent_link_is_refused_at_once(client, evidence_case, db_session):  # noqa: F811
    item = evidence_case["item"]
    bomb = _bomb("mimetype", 300, {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})

    started = time.perf_counter()
    response = _post(client, evidence_case, upload=("budget.xlsx", bomb), **{item.id: "2", item.id + "__comment": "kept"})
    elapsed = time.perf_counter() - started

    page = response.get_data(as_text=True)
    assert response.status_code == 400 and elapsed < 2
    assert "expands to far more than any real document" in page and "kept" in page
    assert db_session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert db_session.scalar(select(func.count()).select_from(Answer)) == 0
