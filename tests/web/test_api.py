"""The read-only JSON API: bearer tokens, data matching the pages, an OpenAPI description."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from readiness.extensions import db
from readiness.models import ApiToken, AuditEntry, Role, utcnow
from readiness.services import accounts
from tests.helpers import csrf_token_in

from .hq_factory import make_delegation, make_result
from .test_double_submit import once_token_in


@pytest.fixture
def portfolio(db_session):
    west = make_delegation("Dakar office", "West Africa")
    make_result(west, days=0, scores={"ict": 40.0}, recommendation="no_go")
    make_result(west, days=100, scores={"ict": 60.0}, flags={"unknowns:ict": "minor"})
    make_result(make_delegation("Kyiv office", "Europe"), days=50, scores={"ict": 80.0}, recommendation="go")
    db.session.commit()
    return west.id


def issue(client, login_as, role=Role.HQ) -> str:
    login_as(role)
    page = client.get("/hq/api").get_data(as_text=True)
    form = {"name": "Regional dashboard", "csrf_token": csrf_token_in(page), "once": once_token_in(page)}
    response = client.post("/hq/api/tokens", data=form, follow_redirects=True)  # shown once, on the page it leads to
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return html.split('<code id="new-token" class="hq-token">', 1)[1].split("</code>", 1)[0]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_without_a_valid_token_the_api_answers_401_in_json(client, portfolio):
    for headers in ({}, bearer("rdy_not-a-token"), {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/portfolio", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "token" in response.get_json()["error"]["message"]


def test_a_token_reads_the_portfolio_and_is_stored_only_as_a_hash(client, login_as, portfolio, app):
    token = issue(client, login_as)

    data = client.get("/api/v1/portfolio?region=West+Africa", headers=bearer(token)).get_json()["data"]

    assert [row["delegation"] for row in data] == ["Dakar office"]
    assert data[0]["overall_score"] == 60.0 and data[0]["ethics"] == "not_submitted"
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.token_hash != token and len(stored.token_hash) == 64
        assert stored.last_used_at is not None
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "api_token.issue"))


def test_results_are_paged_by_id(client, login_as, portfolio):
    token = issue(client, login_as)

    first = client.get("/api/v1/results?limit=2", headers=bearer(token)).get_json()
    rest = client.get(f"/api/v1/results?limit=2&after={first['next_after']}", headers=bearer(token)).get_json()

    assert [r["dimensions"]["ict"] for r in first["data"]] == [40.0, 60.0]
    assert [r["delegation"] for r in rest["data"]] == ["Kyiv office"] and rest["next_after"] is None
    assert first["data"][1]["flags"] == ["unknowns:ict"]


def test_benchmark_and_trend(client, login_as, portfolio):
    token = issue(client, login_as)

    bench = client.get("/api/v1/benchmark", headers=bearer(token)).get_json()
    trend = client.get(f"/api/v1/delegations/{portfolio}/trend", headers=bearer(token)).get_json()["data"]

    assert bench["delegations"] == 2 and bench["dimensions"]["ict"]["median"] == 70.0
    assert [p["dimensions"]["ict"] for p in trend] == [40.0, 60.0]
    assert client.get("/api/v1/delegations/999/trend", headers=bearer(token)).status_code == 404


def test_a_revoked_token_stops_working(client, login_as, portfolio, app):
    token = issue(client, login_as)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    page = client.get("/hq/api").get_data(as_text=True)

    client.post(f"/hq/api/tokens/{token_id}/revoke", data={"csrf_token": csrf_token_in(page)})

    assert client.get("/api/v1/portfolio", headers=bearer(token)).status_code == 401
    assert "revoked" in client.get("/hq/api").get_data(as_text=True)


def test_a_token_stops_working_when_its_owner_leaves_headquarters(client, login_as, portfolio, app):
    token = issue(client, login_as)
    with app.app_context():
        owner = db.session.scalar(select(ApiToken)).user
        owner.role = Role.MEMBER
        db.session.commit()

    assert client.get("/api/v1/portfolio", headers=bearer(token)).status_code == 401


def test_bad_filters_are_refused_not_guessed(client, login_as, portfolio):
    token = issue(client, login_as)

    response = client.get("/api/v1/portfolio?status=nonsense", headers=bearer(token))

    assert response.status_code == 400 and "status" in response.get_json()["error"]["message"]


def test_the_openapi_document_describes_every_endpoint(client, app):
    document = client.get("/api/v1/openapi.json").get_json()

    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    documented = {"/api/v1" + path for path in document["paths"]}
    served = {
        re.sub(r"<int:(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
    }
    assert served == documented


def test_the_api_page_links_to_the_openapi_document(client, login_as):
    login_as(Role.HQ)

    assert 'href="/api/v1/openapi.json"' in client.get("/hq/api").get_data(as_text=True)


def test_a_token_expires(client, login_as, portfolio, app):
    token = issue(client, login_as)
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert (row.expires_at - row.created_at).days == app.config["API_TOKEN_DAYS"] == 90
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

    assert client.get("/api/v1/portfolio", headers=bearer(token)).status_code == 401
    assert "expired" in client.get("/hq/api").get_data(as_text=True)


def test_a_demoted_users_token_dies_and_stays_dead_when_the_role_comes_back(client, login_as, portfolio, app):
    token = issue(client, login_as)
    with app.test_request_context():
        owner = db.session.scalar(select(ApiToken)).user
        fields = {"email": owner.email, "name": owner.name, "is_active": True, "delegations": [], "version": None}
        accounts.update_user("admin", owner, role=Role.MEMBER, **fields)
        db.session.commit()
        assert client.get("/api/v1/portfolio", headers=bearer(token)).status_code == 401

        accounts.update_user("admin", owner, role=Role.HQ, **fields)
        db.session.commit()
        assert db.session.scalar(select(ApiToken)).role == "hq"

    assert client.get("/api/v1/portfolio", headers=bearer(token)).status_code == 401


def test_a_token_is_bound_to_the_role_it_was_issued_for(client, login_as, portfolio, app):
    # Even a change made behind the services' back (a database edit) does not carry a token over.
    token = issue(client, login_as, role=Role.ADMIN)
    with app.app_context():
        owner = db.session.scalar(select(ApiToken)).user
        owner.role = Role.HQ
        db.session.commit()

    assert client.get("/api/v1/portfolio", headers=bearer(token)).status_code == 401


def test_the_benchmark_carries_intervals_ranks_with_ties_and_too_few_peers(client, login_as, db_session, app):
    # Overall scores 70, 66 and 40 with intervals 60-80, 58-72 and 35-45: the first two overlap (a tie
    # for first), the third lies wholly below both (rank 3). Three delegations: two peers each, below 5.
    for name, score, interval in [("Abidjan", 70.0, (60.0, 80.0)), ("Bamako", 66.0, (58.0, 72.0)), ("Conakry", 40.0, (35.0, 45.0))]:
        make_result(make_delegation(f"{name} office"), scores={"ict": score},
                    intervals={"overall": interval, "ict": interval})
    db.session.commit()
    token = issue(client, login_as)

    body = client.get("/api/v1/benchmark", headers=bearer(token)).get_json()
    app.config["HQ_MIN_PEERS"] = 2
    enough = client.get("/api/v1/benchmark", headers=bearer(token)).get_json()

    by_name = {s["delegation"]: s for s in body["scores"]}
    assert [(by_name[n]["rank"], by_name[n]["tied"]) for n in ("Abidjan office", "Bamako office", "Conakry office")] == [
        (1, True), (1, True), (3, False)]
    assert by_name["Conakry office"]["overall_interval"] == [35.0, 45.0]
    assert by_name["Bamako office"]["dimensions"]["ict"] == {"score": 66.0, "interval": [58.0, 72.0]}
    assert body["min_peers"] == 5 and body["too_few_peers"] is True
    assert enough["too_few_peers"] is False


def test_the_result_list_streams_and_carries_intervals(client, login_as, db_session):
    make_result(make_delegation("Dakar office"), scores={"ict": 50.0}, intervals={"overall": (44.0, 57.0), "ict": (44.0, 57.0)})
    db.session.commit()
    token = issue(client, login_as)

    response = client.get("/api/v1/results", headers=bearer(token))

    assert response.is_streamed
    (row,) = response.get_json()["data"]
    assert row["overall_interval"] == [44.0, 57.0] and row["dimension_intervals"] == {"ict": [44.0, 57.0]}
    assert response.get_json()["next_after"] is None


def test_the_result_list_written_a_chunk_at_a_time_is_the_model_dumped_row_by_row(client, login_as, db_session):
    """Each row as ``ResultRow`` renders it alone, in the same key order, across chunk boundaries."""
    import json

    from readiness.read.filters import Filters
    from readiness.read.results import result_rows
    from readiness.web import api_models as shapes

    from .hq_factory import make_portfolio

    make_portfolio(4)  # eight assessments, with flags, decisions and intervals
    make_result(make_delegation("Goma office"), scores={"ict": 50.0, "needs": 70.0},
                intervals={"overall": (44.0, 57.0), "ict": (44.0, 57.0)}, title="Évaluation « Goma »")
    db.session.commit()
    token = issue(client, login_as)
    expected = [shapes.render(shapes.ResultRow.model_validate(row)) for row in result_rows(Filters())]

    def ordered(text: str) -> list:
        return json.loads(text, object_pairs_hook=list)

    page = client.get("/api/v1/results?limit=7", headers=bearer(token)).get_data(as_text=True)
    seventh = expected[6]["assessment_id"]
    rest = client.get(f"/api/v1/results?limit=7&after={seventh}", headers=bearer(token)).get_data(as_text=True)

    sent = ordered(page)[0][1] + ordered(rest)[0][1]
    assert sent == [ordered(json.dumps(row)) for row in expected]  # values and key order alike
    assert ordered(page)[1] == ("next_after", seventh) and ordered(rest)[1] == ("next_after", None)
    assert "Évaluation « Goma »" in rest  # written as UTF-8, not escaped
    from readiness.web.api import _json_list

    in_threes = b"".join(_json_list(result_rows(Filters()), None, chunk=3)).decode()  # 9 rows: three chunks
    assert ordered(in_threes)[0][1] == [ordered(json.dumps(row)) for row in expected]
