"""Calibration: set what happened after go-live against what the readiness assessment predicted.

Pure functions. Nothing here changes a threshold: the figures feed a note written by people.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean


@dataclass(frozen=True)
class Case:
    """One decided assessment with its latest closed follow-up."""

    assessment_id: int
    recommendation: str  # what the tool recommended at the decision
    decision: str  # what was decided
    override: bool  # the decision differs from the recommendation
    flag_groups: frozenset[str] = frozenset()  # the dimensions the baseline's flags were about
    trouble: bool | None = None  # None: the follow-up could not say
    recording_hours: float | None = None  # mean hours a week on the tool at the follow-up


@dataclass(frozen=True)
class Cell:
    key: str
    cases: int  # cases in the group
    judged: int  # of those, the ones whose follow-up could say whether there was trouble
    trouble: int
    rate: float | None  # trouble / judged; None when nothing could be judged
    recording_hours: float | None  # mean over the cases that gave a figure
    hours_cases: int  # how many cases that mean rests on
    too_few: bool  # fewer judged cases than the threshold: no conclusion


@dataclass(frozen=True)
class Calibration:
    cases: int
    min_cases: int
    overall: Cell
    by_recommendation: list[Cell] = field(default_factory=list)
    by_decision: list[Cell] = field(default_factory=list)
    by_flag: list[Cell] = field(default_factory=list)


def cell(key: str, cases: Sequence[Case], min_cases: int) -> Cell:
    """:return: the counts, trouble rate and mean recording hours of a group of cases."""
    judged = [c for c in cases if c.trouble is not None]
    trouble = sum(1 for c in judged if c.trouble)
    hours = [c.recording_hours for c in cases if c.recording_hours is not None]
    return Cell(
        key=key, cases=len(cases), judged=len(judged), trouble=trouble,
        rate=trouble / len(judged) if judged else None,
        recording_hours=fmean(hours) if hours else None, hours_cases=len(hours),
        too_few=len(judged) < min_cases,
    )


def _grouped(cases: Iterable[Case], keys: Callable[[Case], Iterable[str]], min_cases: int) -> list[Cell]:
    groups: dict[str, list[Case]] = {}
    for case in cases:
        for key in keys(case):
            groups.setdefault(key, []).append(case)
    return [cell(key, members, min_cases) for key, members in sorted(groups.items())]


def decision_key(case: Case) -> str:
    """:return: the decision, marked when it overrode the recommendation ("go_with_conditions+override")."""
    return f"{case.decision}+override" if case.override else case.decision


def calibrate(cases: Sequence[Case], min_cases: int) -> Calibration:
    """Outcomes by recommendation, by decision (and override) and by the areas flagged beforehand.

    A case counts once in each grouping, except by flag, where it counts under every area its
    baseline flagged and under "none" when nothing was flagged.
    :param min_cases: below this many judged cases a group's figures are shown with a warning.
    """
    return Calibration(
        cases=len(cases), min_cases=min_cases, overall=cell("all", cases, min_cases),
        by_recommendation=_grouped(cases, lambda c: [c.recommendation], min_cases),
        by_decision=_grouped(cases, lambda c: [decision_key(c)], min_cases),
        by_flag=_grouped(cases, lambda c: sorted(c.flag_groups) or ["none"], min_cases),
    )
