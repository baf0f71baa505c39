"""Figures entered as a ratio or a percentage become the counts the engine uses (worked examples)."""
from __future__ import annotations

from pathlib import Path

import pytest

from readiness.domain.indicators import compute_indicator, input_from_ratio, percent_from_counts, ratio_inputs
from readiness.questionnaire.loader import load_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def q():
    return load_file(ROOT / "questionnaires" / "readiness" / "1.0.yaml")


def test_each_ratio_indicator_has_one_input_of_its_own(q):
    own = {input_id: ind.id for input_id, ind in ratio_inputs(q).items()}
    assert own == {"open_cases": "caseload", "supervisors_fte": "supervision_ratio",
                   "staff_trained_cm": "share_trained", "devices_available": "devices_per_worker"}


def test_worked_examples(q):
    by_id = {ind.id: ind for ind in q.indicators}
    # 25 cases per worker with 6 social workers: 25 x 6 = 150 open cases.
    assert input_from_ratio(by_id["caseload"], "open_cases", 25, 6) == 150
    # 60 % trained of 6 social workers: 0.60 x 6 = 3.6 trained.
    assert input_from_ratio(by_id["share_trained"], "staff_trained_cm", 60, 6) == 3.6
    # 8 social workers per supervisor with 6 social workers: 6 / 8 = 0.75 supervisors.
    assert input_from_ratio(by_id["supervision_ratio"], "supervisors_fte", 8, 6) == 0.75
    assert input_from_ratio(by_id["supervision_ratio"], "supervisors_fte", 0, 6) is None
    # 4 of 10 field sites connected: 40 %.
    assert percent_from_counts(4, 10) == 40.0 and percent_from_counts(4, 0) is None


def test_the_derived_count_gives_back_the_ratio(q):
    caseload = next(ind for ind in q.indicators if ind.id == "caseload").model_copy(update={"checks_item": None})
    opened = input_from_ratio(caseload, "open_cases", 25, 6)
    assert compute_indicator(caseload, {"open_cases": opened, "social_workers_fte": 6}, {}).value == pytest.approx(25)
