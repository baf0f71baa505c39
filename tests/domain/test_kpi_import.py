"""Figures from a Primero / CPIMS+ KPI export: Primero's names, located problems, nothing partial."""
from __future__ import annotations

from pathlib import Path

import pytest

from readiness.domain.kpi_import import Located, Problem, read_kpis
from readiness.questionnaire.loader import load_directory

ROOT = Path(__file__).resolve().parents[2]
FOLLOWUP = load_directory(ROOT / "questionnaires").questionnaire("followup", "1.0")


def test_primero_names_and_our_own_ids_are_read() -> None:
    data = (b"kpi,value,period\n"
            b"supervisor_to_caseworker_ratio,12:2,2027-Q1\n"
            b"case_load,18.5,2027-Q1\n"
            b"staff_trained_cm,9,\n"
            b"Working devices,10,\n")
    found = read_kpis(data, FOLLOWUP)
    assert found.ok
    # 12 case workers and 2 supervisors from "12:2"; open cases = 18.5 per worker x 12 workers = 222.
    assert found.figures == {"social_workers_fte": 12, "supervisors_fte": 2, "open_cases": 222,
                             "staff_trained_cm": 9, "devices_available": 10}


def test_semicolons_decimal_commas_and_a_byte_order_mark() -> None:
    found = read_kpis("\ufeffIndicator;Value\nnumber_of_cases;1 250\ncase_workers;12,5\n".encode(), FOLLOWUP)
    assert found.figures == {"open_cases": 1250, "social_workers_fte": 12.5}


def test_every_problem_is_located_and_nothing_is_kept() -> None:
    data = (b"kpi,value\n"
            b"case_workers,ten\n"          # row 2: not a number
            b"tablets_in_a_drawer,3\n"     # row 3: unknown
            b"supervisors,-1\n"            # row 4: negative
            b"number_of_cases,200\n"
            b"open_cases,210\n")  # row 6: the same figure twice
    found = read_kpis(data, FOLLOWUP)
    assert not found.ok
    assert found.problems == [
        Located(Problem.NOT_A_NUMBER, 2, "value", "ten"),
        Located(Problem.UNKNOWN_KPI, 3, "kpi", "tablets_in_a_drawer"),
        Located(Problem.OUT_OF_RANGE, 4, "value", "-1"),
        Located(Problem.TWICE, 6, "kpi", "open_cases"),
    ]


@pytest.mark.parametrize("data, problem", [
    (b"\xff\xfe not text", Problem.UNREADABLE),
    (b"period,total\n2027,3\n", Problem.NO_COLUMNS),
    (b"kpi,value\n", Problem.NO_ROWS),
    (b"kpi,value\ncase_load,18\n", Problem.NEEDS_WORKERS),
])
def test_files_that_cannot_give_figures(data: bytes, problem: Problem) -> None:
    found = read_kpis(data, FOLLOWUP)
    assert [p.problem for p in found.problems] == [problem] and not found.ok
