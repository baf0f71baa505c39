"""Each delegation's current result: kept when assessments close, reopen, are decided or erased."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from readiness.domain.benchmark import comparable_run
from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, CurrentResult, Outcome, Role, User
from readiness.read.benchmark import DelegationScores, sort_scores
from readiness.services import erasure
from readiness.services.assessments import reopen_assessment

from .hq_factory import make_action, make_delegation, make_result
from .test_hq import body_rows


def _draft(delegation, title: str, status=AssessmentStatus.DRAFT) -> Assessment:
    assessment = Assessment(
        delegation=delegation, title=title, tool_name="Primero", questionnaire_id="readiness",
        questionnaire_version="1.0", charter_id="ethics_charter", charter_version="1.0", status=status,
        created_at=datetime(2025, 6, 1, tzinfo=timezone.utc),
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _current(delegation_id: int) -> int | None:
    return db.session.scalar(select(CurrentResult.assessment_id).where(CurrentResult.delegation_id == delegation_id))


def test_a_newer_draft_does_not_hide_the_decided_result_and_shows_a_badge(client, login_as, db_session):
    dakar = make_delegation("Dakar office")
    decided = make_result(dakar, days=10, recommendation="go", decision=Outcome.GO, title="Decided one")
    newer = _draft(dakar, "Next round", AssessmentStatus.COLLECTING)
    db.session.commit()
    login_as(Role.HQ)

    html = client.get("/hq/").get_data(as_text=True)

    (row,) = body_rows(html)
    assert "Decided one" in row and "Decision: Go" in row and "not yet" not in row
    assert f'data-newer="{newer.id}"' in html and "Newer assessment: collecting answers" in row
    assert f'href="/assessments/{decided.id}/report"' in html  # the title links to its report


def test_counts_at_the_top_add_up_the_rows(client, login_as, db_session):
    a, b, c = make_delegation("Abidjan office"), make_delegation("Bamako office"), make_delegation("Conakry office")
    make_result(a, recommendation="go", decision=Outcome.GO)
    closed = make_result(b, recommendation="no_go")
    make_action(closed, "dimension_floor:ict", date(2020, 1, 1))  # overdue
    make_action(closed, "unknowns:needs", date(2020, 2, 1))  # overdue
    make_result(c, recommendation="go_with_conditions")
    db.session.commit()
    login_as(Role.HQ)

    html = client.get("/hq/").get_data(as_text=True)
    counts = html.split('id="portfolio-counts"', 1)[1].split("</dl>", 1)[0]

    def count(key: str) -> str:
        return counts.split(f'data-count="{key}"', 1)[1].split("<dd", 1)[1].split(">", 1)[1].split("<", 1)[0]

    assert [count(k) for k in ("go", "go_with_conditions", "no_go", "insufficient_evidence")] == ["1", "1", "1", "0"]
    assert count("decisions_pending") == "2"  # Bamako and Conakry are closed, not decided
    assert count("overdue_actions") == "2"


def test_reopening_and_erasing_move_the_current_result_back(db_session):
    dakar = make_delegation("Dakar office")
    first = make_result(dakar, days=0, title="First")
    second = make_result(dakar, days=100, title="Second")
    admin = User(email="admin@example.org", name="Admin", password_hash="x", role=Role.ADMIN)
    db.session.add(admin)
    db.session.flush()
    assert _current(dakar.id) == second.id

    reopen_assessment(admin, second)
    assert _current(dakar.id) == first.id  # collecting again: no longer a result

    erasure.erase_assessment(admin, first, "test")
    assert _current(dakar.id) is None


def test_heatmap_cells_link_to_reports_and_rows_sort_both_ways(client, login_as, db_session):
    low = make_result(make_delegation("Lome office"), scores={d: 20.0 for d in ("needs", "system", "ict", "staff", "organisation")})
    make_result(make_delegation("Accra office"), scores={d: 80.0 for d in ("needs", "system", "ict", "staff", "organisation")})
    db.session.commit()
    login_as(Role.HQ)

    best_first = body_rows(client.get("/hq/heatmap").get_data(as_text=True))
    # The filters' own "desc" (the portfolio's sort) travels along and does not interfere.
    worst_first = body_rows(client.get("/hq/heatmap?order=score&dir=asc&desc=1").get_data(as_text=True))
    html = client.get("/hq/heatmap").get_data(as_text=True)

    assert [r.split()[:2] for r in best_first] == [["1", "Accra"], ["2", "Lome"]]  # rank, then name
    assert [r.split()[1] for r in worst_first] == ["Lome", "Accra"]
    assert html.count(f'href="/assessments/{low.id}/report"') == 6  # five dimensions and the overall score


def test_sort_scores_puts_results_without_a_score_last_either_way():
    rows = [DelegationScores(i, name, "", "", i, "1.0", "go", score) for i, (name, score) in
            enumerate([("b", 50.0), ("a", None), ("c", 70.0), ("d", 50.0)])]

    assert [s.name for s in sort_scores(rows, "score", True)] == ["c", "b", "d", "a"]
    assert [s.name for s in sort_scores(rows, "score", False)] == ["b", "d", "c", "a"]
    assert [s.name for s in sort_scores(rows, "name", True)] == ["d", "c", "b", "a"]


def test_the_trend_line_starts_where_the_tool_or_questionnaire_last_changed():
    declared = {"2.0": ["1.1"]}
    points = [("Excel", "1.0"), ("Primero", "1.0"), ("Primero", "1.1"), ("Primero", "2.0")]

    assert comparable_run(points, declared) == 2  # 1.0 is not comparable with 2.0; Excel is another tool
    assert comparable_run([("Primero", "1.0")] * 3, {}) == 0
    assert comparable_run([], {}) == 0


def test_below_the_minimum_of_peers_the_page_says_too_few_peers(app, client, login_as, db_session):
    scores = {d: 50.0 for d in ("needs", "system", "ict", "staff", "organisation")}
    own = make_delegation("Goma office")
    make_result(own, scores=scores)
    for n in range(3):
        make_result(make_delegation(f"Peer{n} office"), scores={d: 90.0 for d in scores})
    db.session.commit()
    login_as(Role.HQ)

    html = client.get(f"/hq/delegations/{own.id}/peers").get_data(as_text=True)
    app.config["HQ_MIN_PEERS"] = 3
    enough = client.get(f"/hq/delegations/{own.id}/peers").get_data(as_text=True)

    assert 'id="too-few-peers"' in html and "below most peers" not in html  # default minimum: 5
    assert "too few peers" in html
    assert 'id="too-few-peers"' not in enough and "below most peers" in enough


def test_the_trend_shows_the_latest_results_however_long_the_history(client, login_as, db_session):
    from readiness.web.hq import TREND_RESULTS

    from .test_hq import chart_data

    kano = make_delegation("Kano office")
    for n in range(TREND_RESULTS + 6):  # 30 results, a month apart
        make_result(kano, days=30 * n, title=f"Round {n + 1:02d}", scores={"ict": float(n)})
    db.session.commit()
    login_as(Role.HQ)

    html = client.get(f"/hq/delegations/{kano.id}/trend").get_data(as_text=True)

    rows = body_rows(html.split('class="hq-history"', 1)[1])
    assert TREND_RESULTS == 24 and len(rows) == 24
    assert rows[0].startswith("Round 30") and rows[-1].startswith("Round 07")  # newest first; rounds 1-6 left out
    assert "The latest 24 of 30 stored results are shown" in html
    assert chart_data(html, "trend")["series"][0]["values"] == [float(n) for n in range(6, 30)]  # overall = the one score
    assert rows[-1].endswith("–") and "with the one before" in rows[-2]  # the oldest shown has none before it on the page
