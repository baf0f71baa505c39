"""Follow-ups: due dates, the comparison with the baseline, trouble; calibration figures. Worked by hand."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readiness.domain.answers import Respondent
from readiness.domain.calibration import Case, calibrate, cell
from readiness.domain.engine import score_assessment
from readiness.domain.followup import (
    DONE, DUE, IMPROVED, SAME, STARTED, UPCOMING, UNKNOWN, WORSE, add_months, better_when, compare, is_trouble,
    mean_number, schedule,
)
from readiness.questionnaire.loader import load_directory

ROOT = Path(__file__).resolve().parents[2]
DEFS = load_directory(ROOT / "questionnaires")
FOLLOWUP = DEFS.questionnaire("followup", "1.0")
READINESS = DEFS.questionnaire("readiness", "1.0")


def test_months_are_calendar_months_and_the_31st_becomes_the_last_day() -> None:
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 8, 31), 12) == date(2027, 8, 31)


def test_the_shipped_file_schedules_3_6_and_12_months() -> None:
    go_live = date(2026, 3, 31)
    plan = schedule(go_live, FOLLOWUP.followup.months, {}, today=date(2026, 7, 1))
    assert [(s.months, s.due_on, s.state) for s in plan] == [
        (3, date(2026, 6, 30), DUE),
        (6, date(2026, 9, 30), UPCOMING),
        (12, date(2027, 3, 31), UPCOMING),
    ]


def test_a_follow_up_is_due_on_its_day_and_stops_being_due_once_started() -> None:
    go_live = date(2026, 1, 10)
    assert schedule(go_live, [3], {}, today=date(2026, 4, 9))[0].state == UPCOMING
    assert schedule(go_live, [3], {}, today=date(2026, 4, 10))[0].state == DUE
    assert [s.state for s in schedule(go_live, [3, 6], {3: False, 6: True}, today=date(2027, 1, 1))] == [STARTED, DONE]


def test_direction_is_read_from_the_bands() -> None:
    indicators = {i.id: i for i in FOLLOWUP.indicators}
    assert better_when(indicators["caseload"]) == "lower"
    assert better_when(indicators["supervision_ratio"]) == "lower"
    assert better_when(indicators["share_trained"]) == "higher"
    assert better_when(indicators["devices_per_worker"]) == "higher"


def _baseline():
    # Staff items the baseline and the follow-up do not share do not matter: only dimension scores are compared.
    answers = {"cm_training": 2}
    people = [Respondent("m", "manager", answers), Respondent("s", "supervisor", answers)]
    inputs = {"social_workers_fte": 10, "open_cases": 250, "supervisors_fte": 1, "staff_trained_cm": 5,
              "devices_available": 4}
    return score_assessment(READINESS, people, inputs, {})


def _followup(sw_hours: float, workarounds: int, inputs: dict[str, float]):
    people = [
        Respondent("w", "social_worker", {"recording_hours": sw_hours, "workarounds": workarounds}),
        Respondent("v", "supervisor", {"recording_hours": 10, "workarounds": workarounds}),
    ]
    return score_assessment(FOLLOWUP, people, inputs, {})


def test_comparison_is_honest_about_which_way_is_better() -> None:
    # Baseline staff: one level-2 item -> 50. Caseload 250/10 = 25 (band level 1), supervision 10/1 = 10
    # (level 2), trained 5/10 = 50 % (level 2), devices 4/10 = 0.4 (level 1).
    # Follow-up: workarounds at level 3 for both roles -> staff 75 (the number item is not scored).
    # Caseload 120/10 = 12 (level 4, a lower raw value that is better), supervision 10/1 = 10 (level 2,
    # same), trained 5/10 = 50 % (level 2, same), devices: no figure at the follow-up -> unknown.
    baseline = _baseline()
    after = _followup(20, 3, {"social_workers_fte": 10, "open_cases": 120, "supervisors_fte": 1,
                              "staff_trained_cm": 5})
    changes = {c.key: c for c in compare(baseline, after, FOLLOWUP.indicators)}
    assert baseline.dimensions["staff"].score == pytest.approx(50)
    assert changes["staff"].followup == pytest.approx(75)
    assert changes["staff"].verdict == IMPROVED
    caseload = changes["caseload"]
    assert (caseload.baseline, caseload.followup, caseload.better) == (pytest.approx(25), pytest.approx(12), "lower")
    assert (caseload.baseline_level, caseload.followup_level, caseload.verdict) == (1, 4, IMPROVED)
    assert changes["supervision_ratio"].verdict == SAME  # 10 -> 10: same band
    assert changes["share_trained"].verdict == SAME
    assert changes["devices_per_worker"].verdict == UNKNOWN
    # Supervision 10/0.8 = 12.5 per supervisor (level 1, from 2): worse though the raw value rose.
    # Caseload 300/10 = 30 stays in level 1 (below 34.01): the same band, so "same" despite 25 -> 30;
    # 400/10 = 40 drops to level 0: worse. Workarounds at level 1 -> staff 25, 25 points down: worse.
    worse = _followup(20, 1, {"social_workers_fte": 10, "supervisors_fte": 0.8, "open_cases": 300})
    worse_changes = {c.key: c for c in compare(baseline, worse, FOLLOWUP.indicators)}
    assert worse_changes["supervision_ratio"].followup == pytest.approx(12.5)
    assert worse_changes["supervision_ratio"].verdict == WORSE
    assert worse_changes["caseload"].verdict == SAME
    assert worse_changes["staff"].verdict == WORSE
    heavier = _followup(20, 3, {"social_workers_fte": 10, "open_cases": 400})
    assert {c.key: c for c in compare(baseline, heavier, FOLLOWUP.indicators)}["caseload"].verdict == WORSE


def test_trouble_follows_the_file_rule() -> None:
    # Recording hours: social worker 20, supervisor 10 -> mean 15: not above 15.
    # Staff 75 is the only scored dimension answered -> overall 75: not below 50. No trouble.
    fine = _followup(20, 3, {})
    assert mean_number(fine, "recording_hours") == pytest.approx(15)
    assert fine.overall_score == pytest.approx(75)
    assert is_trouble(FOLLOWUP.followup.trouble, fine) is False
    # 22 and 10 -> mean 16 > 15: trouble, whatever the scores.
    assert is_trouble(FOLLOWUP.followup.trouble, _followup(22, 3, {})) is True
    # Workarounds at level 1 -> staff 25 -> overall 25 < 50: trouble.
    assert is_trouble(FOLLOWUP.followup.trouble, _followup(5, 1, {})) is True
    # Nothing answered: no test can be made -> unknown, never "fine".
    empty = score_assessment(FOLLOWUP, [], {}, {})
    assert is_trouble(FOLLOWUP.followup.trouble, empty) is None


def test_calibration_counts_and_rates_by_hand() -> None:
    cases = [
        Case(1, "go", "go", False, frozenset(), trouble=False, recording_hours=8),
        Case(2, "go", "go", False, frozenset({"ict"}), trouble=False, recording_hours=10),
        Case(3, "go_with_conditions", "go", True, frozenset({"staff"}), trouble=True, recording_hours=18),
        Case(4, "go_with_conditions", "go_with_conditions", False, frozenset({"staff", "ict"}), trouble=True,
             recording_hours=20),
        Case(5, "no_go", "go", True, frozenset({"staff"}), trouble=None, recording_hours=None),
    ]
    result = calibrate(cases, min_cases=2)
    # Overall: 5 cases, 4 judged, 2 in trouble -> 2/4 = 0.5; hours (8+10+18+20)/4 = 14.
    assert (result.overall.cases, result.overall.judged, result.overall.trouble) == (5, 4, 2)
    assert result.overall.rate == pytest.approx(0.5)
    assert result.overall.recording_hours == pytest.approx(14)
    by_rec = {c.key: c for c in result.by_recommendation}
    assert (by_rec["go"].trouble, by_rec["go"].judged, by_rec["go"].rate) == (0, 2, 0.0)
    assert (by_rec["go_with_conditions"].trouble, by_rec["go_with_conditions"].rate) == (2, 1.0)
    assert by_rec["no_go"].judged == 0 and by_rec["no_go"].rate is None and by_rec["no_go"].too_few
    by_dec = {c.key: c for c in result.by_decision}
    assert sorted(by_dec) == ["go", "go+override", "go_with_conditions"]
    assert (by_dec["go+override"].cases, by_dec["go+override"].judged, by_dec["go+override"].trouble) == (2, 1, 1)
    assert by_dec["go+override"].too_few  # 1 judged < 2
    by_flag = {c.key: c for c in result.by_flag}
    # Staff flagged in cases 3, 4, 5: judged 3 and 4, both in trouble; hours (18+20)/2 = 19 on 2 cases.
    assert (by_flag["staff"].cases, by_flag["staff"].judged, by_flag["staff"].trouble) == (3, 2, 2)
    assert by_flag["staff"].recording_hours == pytest.approx(19) and by_flag["staff"].hours_cases == 2
    # ICT flagged in cases 2 and 4: one in trouble of two -> 0.5.
    assert by_flag["ict"].rate == pytest.approx(0.5)
    assert by_flag["none"].cases == 1 and by_flag["none"].too_few


def test_an_empty_group_says_nothing() -> None:
    empty = cell("all", [], 5)
    assert (empty.cases, empty.rate, empty.recording_hours, empty.too_few) == (0, None, None, True)
