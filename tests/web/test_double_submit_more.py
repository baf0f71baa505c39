"""The other creating forms found without a one-use token: an incident and a calibration note.

A double click on either used to write two rows (two incidents count twice on the risk map and
in the reopening rule). Sent twice now, each is written once and both posts lead to it.
"""
from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from readiness.extensions import db
from readiness.models import CalibrationNote, Incident, Role

from ..helpers import csrf_token_in
from .committee_fixtures import log_in
from .test_committee import people, proposal  # noqa: F401  (fixtures)
from .test_continuing_review import approved, incident
from .test_double_submit import once_token_in


def form_of(client: FlaskClient, page: str) -> dict[str, str]:
    html = client.get(page).get_data(as_text=True)
    return {"csrf_token": csrf_token_in(html), "once": once_token_in(html)}


def test_an_incident_sent_twice_is_logged_once(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    log_in(client, people["member"])
    url = f"/proposals/{proposal.id}/incidents"
    form = form_of(client, url) | incident(3, 3)

    first, second = (client.post(url, data=form) for _ in range(2))

    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert db.session.scalar(select(func.count()).select_from(Incident).where(Incident.proposal_id == proposal.id)) == 1
    assert "sent twice" in client.get(second.location).get_data(as_text=True)


def test_a_calibration_note_sent_twice_is_saved_once(client: FlaskClient, login_as: Any, db_session: Any) -> None:
    login_as(Role.HQ)
    form = form_of(client, "/hq/calibration/") | {"text": "One case: watch staff flags."}

    first, second = (client.post("/hq/calibration/notes", data=form) for _ in range(2))

    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert db_session.scalar(select(func.count()).select_from(CalibrationNote)) == 1
