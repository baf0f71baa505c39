"""Headquarters pages: who may see them, the portfolio with its URL filters, benchmarks and trends."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from readiness.extensions import db
from readiness.models import ActionStatus, AssessmentStatus, ContextType, Outcome, Role

from .hq_factory import make_action, make_delegation, make_portfolio, make_result

HQ_PAGES = ["/hq/", "/hq/heatmap", "/hq/distribution", "/hq/flags", "/hq/api"]


def chart_data(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', html, re.S)
    assert match, f"no data for chart {chart_id}"
    return json.loads(match.group(1))


def body_rows(html: str) -> list[str]:
    tbody = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in tbody.split("<tr>")[1:]]


@pytest.fixture
def west_and_europe(db_session):
    """Three delegations: two West African (one with history), one European."""
    dakar = make_delegation("Dakar office", "West Africa", ContextType.STABLE)
    bamako = make_delegation("Bamako office", "West Africa", ContextType.ACUTE_EMERGENCY)
    kyiv = make_delegation("Kyiv office", "Europe", ContextType.ACUTE_EMERGENCY)
    old = make_result(dakar, days=0, scores={"needs": 40, "system": 30, "ict": 20, "staff": 50, "organisation": 45},
                      recommendation="no_go", flags={"dimension_floor:ict": "critical", "perception_gap:staff": "major"},
                      conditions=["perception_gap:staff", "dimension_floor:system"], title="First look")
    latest = make_result(dakar, days=300, scores={"needs": 70, "system": 65, "ict": 55, "staff": 50, "organisation": 61},
                         flags={"dimension_floor:ict": "critical", "critical_gate:cm_procedures": "critical",
                                "unknowns:needs": "minor"},
                         decision=Outcome.GO_WITH_CONDITIONS, title="Second look")
    make_action(latest, "dimension_floor:ict", date(2024, 1, 1), ActionStatus.DONE)  # done: no longer open
    make_action(latest, "critical_gate:cm_procedures", date(2020, 1, 1))  # overdue
    make_action(latest, "unknowns:needs", date(2999, 1, 1))  # not due yet
    make_result(bamako, days=100, scores={"needs": 30, "system": 20, "ict": 10, "staff": 25, "organisation": 15},
                recommendation="no_go", flags={"dimension_floor:ict": "critical"}, status=AssessmentStatus.CLOSED)
    make_result(kyiv, days=200, scores={"needs": 90, "system": 85, "ict": 80, "staff": 75, "organisation": 88},
                recommendation="go")
    db.session.commit()
    return {"dakar": dakar.id, "bamako": bamako.id, "kyiv": kyiv.id, "old": old.id, "latest": latest.id}


@pytest.mark.parametrize("url", HQ_PAGES)
def test_members_are_refused_and_anonymous_visitors_sent_to_login(client, login_as, url):
    assert client.get(url).status_code == 302
    login_as(Role.MEMBER)
    assert client.get(url).status_code == 403


def test_the_headquarters_link_is_hidden_from_members(client, login_as):
    login_as(Role.MEMBER)

    assert 'href="/hq/"' not in client.get("/").get_data(as_text=True)


def test_portfolio_lists_each_delegation_with_its_latest_assessment(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get("/hq/").get_data(as_text=True)

    assert 'href="/hq/"' in html and ">Headquarters<" in html  # nav link for headquarters
    rows = {row.split(" ")[0]: row for row in body_rows(html)}
    assert set(rows) == {"Bamako", "Dakar", "Kyiv"}
    dakar = rows["Dakar"]
    assert "Second look" in dakar and "First look" not in html
    assert "Go with conditions" in dakar  # recommendation and decision
    # Critical flags: two raised, one with its action done -> 1 open; one overdue action.
    assert re.search(r"60 1 1 not submitted$", dakar), dakar
    assert "No-go" in rows["Bamako"] and "Go" in rows["Kyiv"]


def test_portfolio_filters_live_in_the_url_and_combine(client, login_as, west_and_europe):
    login_as(Role.HQ)

    west = body_rows(client.get("/hq/?region=West+Africa").get_data(as_text=True))
    emergency_west = body_rows(client.get("/hq/?region=West+Africa&context=acute_emergency").get_data(as_text=True))
    decided = body_rows(client.get("/hq/?status=decided").get_data(as_text=True))
    early = body_rows(client.get("/hq/?to=2024-06-01").get_data(as_text=True))

    assert [r.split(" ")[0] for r in west] == ["Bamako", "Dakar"]
    assert [r.split(" ")[0] for r in emergency_west] == ["Bamako"]
    assert [r.split(" ")[0] for r in decided] == ["Dakar"]
    # Started before June 2024: Dakar's latest in that window is its first assessment.
    assert any(r.startswith("Dakar") and "First look" in r for r in early)
    assert not any(r.startswith("Kyiv") for r in early)


def test_portfolio_sorts_and_keeps_filters_in_its_links(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get("/hq/?region=West+Africa&sort=score&desc=1").get_data(as_text=True)

    assert [r.split(" ")[0] for r in body_rows(html)] == ["Dakar", "Bamako"]
    assert 'href="/hq/export.csv?region=West+Africa&amp;sort=score&amp;desc=1"' in html
    assert 'href="/hq/heatmap?region=West+Africa&amp;sort=score&amp;desc=1"' in html
    assert 'aria-sort="descending"' in html


def test_filters_that_make_no_sense_are_dropped_with_a_warning(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get("/hq/?status=exploded&from=yesterday").get_data(as_text=True)

    assert "were not understood" in html and "status, from" in html
    assert len(body_rows(html)) == 3


def test_heatmap_has_one_row_per_delegation_sorted_by_score_and_a_table(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get("/hq/heatmap").get_data(as_text=True)
    data = chart_data(html, "heatmap")

    assert data["rows"] == ["Kyiv office", "Dakar office", "Bamako office"]
    assert data["columns"][0] == "Needs and relevance"
    assert data["z"][1] == [70, 65, 55, 50, 61]
    assert "The same figures as a table" in html
    by_name = chart_data(client.get("/hq/heatmap?order=name").get_data(as_text=True), "heatmap")
    assert by_name["rows"] == ["Bamako office", "Dakar office", "Kyiv office"]


def test_distribution_shows_quartiles_per_dimension(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get("/hq/distribution").get_data(as_text=True)

    ict = next(r for r in body_rows(html) if r.startswith("ICT"))
    assert ict == "ICT infrastructure 10 32 55 68 80"  # 10, 55, 80
    assert chart_data(html, "distribution")["series"][2]["values"] == [10, 55, 80]


def test_flags_page_ranks_flags_by_delegations_and_summarises_perception_gaps(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get("/hq/flags").get_data(as_text=True)
    rows = body_rows(html)

    assert rows[0].startswith("ICT infrastructure below its floor Critical 2 67 %")
    assert any(r.startswith("Critical item below its minimum") for r in rows)
    assert "In the latest results of 3 delegations" in html
    assert "Perception gaps" in html


def test_peers_are_the_same_context_or_the_same_region(app, client, login_as, west_and_europe):
    app.config["HQ_MIN_PEERS"] = 1  # positions with one peer here; the minimum has its own test
    login_as(Role.HQ)
    ids = west_and_europe

    by_context = client.get(f"/hq/delegations/{ids['bamako']}/peers").get_data(as_text=True)
    by_region = client.get(f"/hq/delegations/{ids['bamako']}/peers?by=region").get_data(as_text=True)

    assert "against 1 peer delegation" in by_context  # Kyiv: also an acute emergency
    assert chart_data(by_context, "peers")["peers"][0] == [90]
    assert "against 1 peer delegation" in by_region  # Dakar: also West Africa
    ict = next(r for r in body_rows(by_region) if r.startswith("ICT"))
    assert ict == "ICT infrastructure 10 55 55 55 below most peers"


def test_trend_shows_every_result_and_what_changed_since_the_previous(client, login_as, west_and_europe):
    login_as(Role.HQ)
    html = client.get(f"/hq/delegations/{west_and_europe['dakar']}/trend").get_data(as_text=True)
    data = chart_data(html, "trend")

    assert data["x"] == ["2024-02-04", "2024-11-30"]
    assert data["series"][0]["values"] == [37.0, 60.2]
    assert "ICT infrastructure 20 55 +35" in body_rows(html)
    assert 'class="num up">+35<' in html
    assert "Flags resolved (1)" in html and "Staff capacity and attitudes: roles see it differently" in html
    assert "New flags (2)" in html and "Critical item below its minimum" in html
    assert "Conditions met (2 / 2)" in html  # neither condition's flag is raised any more


def test_a_delegation_without_results_says_so(client, login_as, db_session):
    empty = make_delegation("Empty office")
    db.session.commit()
    login_as(Role.HQ)

    assert "No closed assessment yet" in client.get(f"/hq/delegations/{empty.id}/trend").get_data(as_text=True)
    assert "nothing to compare" in client.get(f"/hq/delegations/{empty.id}/peers").get_data(as_text=True)
    assert "No assessment yet" in client.get("/hq/").get_data(as_text=True)
    assert client.get("/hq/delegations/99999/trend").status_code == 404


def test_pages_stay_correct_with_a_larger_portfolio(client, login_as, db_session):
    make_portfolio(12)
    login_as(Role.HQ)

    assert "12 delegations" in client.get("/hq/").get_data(as_text=True)
    assert len(chart_data(client.get("/hq/heatmap").get_data(as_text=True), "heatmap")["rows"]) == 12
