"""CSV and XLSX exports: one row per assessment, the filters applied, no formula can run."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from readiness.exports.safe import neutralise
from readiness.extensions import db
from readiness.models import Outcome, Role

from .hq_factory import make_delegation, make_result

EVIL = "=HYPERLINK(\"http://evil.example\",\"click\")"


@pytest.fixture
def results(db_session):
    # A delegation name is typed by an admin: it could hold a formula.
    evil = make_delegation(EVIL, "West Africa")
    make_result(evil, days=0, scores={"ict": 40.0, "staff": 62.5}, flags={"dimension_floor:ict": "critical"},
                decision=Outcome.NO_GO, recommendation="no_go", title="@SUM(1+1)")
    make_result(make_delegation("Kyiv office", "Europe"), days=10, scores={"ict": 80.0, "staff": 70.0},
                recommendation="go", title="-2+3")
    db.session.commit()


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), ("a=b", "a=b"), (-3.5, -3.5), (None, None),
])
def test_text_that_a_spreadsheet_would_run_is_neutralised(value, expected):
    assert neutralise(value) == expected


def test_csv_has_one_row_per_assessment_with_scores_decision_and_flags(client, login_as, results):
    login_as(Role.HQ)
    response = client.get("/hq/export.csv")

    assert response.headers["Content-Disposition"].startswith('attachment; filename="readiness-results-')
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 2
    first = rows[0]
    assert first["delegation"] == "'" + EVIL and first["title"] == "'@SUM(1+1)"
    assert (first["score_ict"], first["score_staff"], first["overall_score"]) == ("40.0", "62.5", "51.2")
    assert (first["recommendation"], first["decision"], first["flags"]) == ("no_go", "no_go", "dimension_floor:ict")
    assert first["started"] == "2024-01-15" and first["coverage"] == "0.9"
    assert rows[1]["title"] == "'-2+3"


def test_xlsx_holds_values_not_formulas_and_follows_the_filters(client, login_as, results):
    login_as(Role.HQ)
    response = client.get("/hq/export.xlsx?region=West+Africa")

    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 1  # the filter applies
    record = dict(zip(header, body[0]))
    assert record["delegation"] == "'" + EVIL
    assert record["score_ict"] == 40.0 and record["decision"] == "no_go"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_exports_are_for_headquarters_only(client, login_as, results):
    login_as(Role.MEMBER)

    assert client.get("/hq/export.csv").status_code == 403
    assert client.get("/hq/export.xlsx").status_code == 403
