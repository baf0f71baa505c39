"""The Primero API client against a local fake Primero (no network): token, KPIs, time-outs, refusals."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from readiness.domain.kpi_import import read_kpis
from readiness.questionnaire.loader import load_directory
from readiness.services.primero import PrimeroError, PrimeroSettings, fetch_kpis_csv
from tests.domain.conftest import ROOT

FOLLOWUP = load_directory(ROOT / "questionnaires").questionnaire("followup", "1.0")


class FakePrimero(BaseHTTPRequestHandler):
    delay = 0.0
    seen: list[tuple[str, str | None]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _json(self, status: int, body: object) -> None:
        time.sleep(self.delay)
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: what the time-out test wants

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakePrimero.seen.append((self.path, None))
        if self.path == "/api/v2/tokens" and body == {"user": {"user_name": "readiness", "password": "s3cret"}}:
            self._json(200, {"id": 7, "user_name": "readiness", "token": "jwt-abc"})
        else:
            self._json(401, {"errors": [{"status": 401}]})

    def do_GET(self) -> None:  # noqa: N802
        FakePrimero.seen.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != "Bearer jwt-abc":
            self._json(401, {"errors": []})
        elif self.path == "/api/v2/kpis/supervisor_to_caseworker_ratio":
            self._json(200, {"data": {"supervisors": 2, "case_workers": 11}})
        elif self.path == "/api/v2/kpis/number_of_cases":
            self._json(200, {"data": {"value": 264}})
        else:
            self._json(404, {"errors": []})


@pytest.fixture
def primero():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePrimero)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakePrimero.delay, FakePrimero.seen = 0.0, []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def settings(url: str, **changes) -> PrimeroSettings:
    return PrimeroSettings(**({"url": url, "user": "readiness", "password": "s3cret",
                               "kpis": ("supervisor_to_caseworker_ratio", "number_of_cases"), "timeout": 2} | changes))


def test_kpis_are_fetched_with_a_token_and_read_like_an_export(primero):
    data = fetch_kpis_csv(settings(primero))
    assert data == b"kpi,value\nsupervisor_to_caseworker_ratio,11:2\nnumber_of_cases,264\n"
    assert read_kpis(data, FOLLOWUP).figures == {"social_workers_fte": 11, "supervisors_fte": 2, "open_cases": 264}
    assert FakePrimero.seen[1] == ("/api/v2/kpis/supervisor_to_caseworker_ratio", "Bearer jwt-abc")


def test_a_refused_account_a_missing_kpi_and_a_dead_server_are_said_plainly(primero):
    with pytest.raises(PrimeroError, match="answered 401 for /api/v2/tokens"):
        fetch_kpis_csv(settings(primero, password="wrong"))
    with pytest.raises(PrimeroError, match="answered 404"):
        fetch_kpis_csv(settings(primero, kpis=("no_such_kpi",)))
    with pytest.raises(PrimeroError, match="could not be reached"):
        fetch_kpis_csv(settings("http://127.0.0.1:9"))


def test_a_slow_server_is_given_up_on_after_the_time_out(primero):
    FakePrimero.delay = 1.5
    started = time.monotonic()
    with pytest.raises(PrimeroError, match="could not be reached"):
        fetch_kpis_csv(settings(primero, timeout=0.3))
    assert time.monotonic() - started < 1.4


def test_the_client_is_off_without_a_url():
    assert PrimeroSettings.from_config({}) is None
    configured = PrimeroSettings.from_config({"PRIMERO_URL": "https://p.example.org/", "PRIMERO_KPIS": "a, b"})
    assert (configured.url, configured.kpis, configured.timeout) == ("https://p.example.org", ("a", "b"), 10.0)


def test_the_import_page_fetches_from_primero_into_the_same_preview(app, client, db_session, login_as, primero):
    from sqlalchemy import select

    from readiness.models import Assessment, MeasuredInput, Role
    from readiness.services.assessments import open_assessment, start_assessment
    from tests.helpers import csrf_token_in
    from tests.web.test_report_page import make_assessment

    delegation = make_assessment("partial-readiness").delegation
    user = login_as(Role.MEMBER, delegations=[delegation])
    found = start_assessment(user, delegation, title="Second look", tool_name="Primero")
    open_assessment(user, found)
    db_session.commit()
    url = f"/assessments/{found.id}/figures/import"
    assert "Fetch the figures from Primero" not in client.get(url).get_data(as_text=True)
    app.config.update(PRIMERO_URL=primero, PRIMERO_USER="readiness", PRIMERO_PASSWORD="s3cret", PRIMERO_TIMEOUT=2)
    page = client.get(url).get_data(as_text=True)
    assert "Fetch the figures from Primero" in page
    preview = client.post(url + "/primero", data={"csrf_token": csrf_token_in(page)})
    assert preview.status_code == 200 and "11.0" in preview.get_data(as_text=True)
    assert db_session.scalar(select(MeasuredInput).where(MeasuredInput.assessment_id == found.id)) is None
    app.config.update(PRIMERO_PASSWORD="wrong")
    refused = client.post(url + "/primero", data={"csrf_token": csrf_token_in(page)}, follow_redirects=True)
    assert "Primero could not give the figures: Primero answered 401" in refused.get_data(as_text=True)
    app.config.update(PRIMERO_URL=None)
    assert db_session.get(Assessment, found.id) is not None
