"""Follow-ups after go-live: when they fall due, and what changed since the readiness baseline.

Pure functions: no Flask, no database. "No data" is ``None``, never 0.
"""
from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from readiness.questionnaire.schema import Indicator, Trouble

from .result import Result

UPCOMING, DUE, STARTED, DONE = "upcoming", "due", "started", "done"
IMPROVED, WORSE, SAME, UNKNOWN = "improved", "worse", "same", "unknown"
# A dimension moves by about 5 points when one of its items moves a level for one of four
# roles; a smaller change is read as "about the same" rather than as news.
DIMENSION_STEP = 5.0


def add_months(day: date, months: int) -> date:
    """:return: ``day`` moved ``months`` calendar months on; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Scheduled:
    months: int
    due_on: date
    state: str  # upcoming / due / started / done


def schedule(go_live: date, months: Sequence[int], started: Mapping[int, bool], today: date) -> list[Scheduled]:
    """When each follow-up falls due and where it stands.

    :param months: the intervals after go-live, from the follow-up questionnaire.
    :param started: months whose follow-up exists -> whether it is closed.
    :return: one entry per interval, in order; "due" from its due date until it is started.
    """
    entries = []
    for interval in months:
        due_on = add_months(go_live, interval)
        if interval in started:
            state = DONE if started[interval] else STARTED
        else:
            state = DUE if today >= due_on else UPCOMING
        entries.append(Scheduled(interval, due_on, state))
    return entries


def better_when(indicator: Indicator) -> str:
    """:return: "higher" or "lower": read from the bands, whose levels rise with the value or fall."""
    return "lower" if indicator.bands[0].level > indicator.bands[-1].level else "higher"


@dataclass(frozen=True)
class Change:
    kind: str  # "dimension" or "indicator"
    key: str
    baseline: float | None
    followup: float | None
    baseline_level: int | None  # indicators: the band level each value falls in
    followup_level: int | None
    better: str  # "higher" or "lower" is better
    verdict: str  # improved / worse / same / unknown


def _verdict(before: float | None, after: float | None, step: float) -> str:
    if before is None or after is None:
        return UNKNOWN
    if abs(after - before) < step:
        return SAME
    return IMPROVED if after > before else WORSE


def compare(baseline: Result, followup: Result, indicators: Sequence[Indicator]) -> list[Change]:
    """Set the follow-up against the baseline, dimension by dimension and figure by figure.

    Dimensions are scores (higher is better) and change when they move by ``DIMENSION_STEP``.
    A figure changes when it moves to another band: its raw value may go up or down, and whether
    that is better depends on the figure (fewer cases per worker is better, more training is).
    :return: the dimensions both results share, then the indicators both know, in file order.
    """
    changes = []
    for key, after in followup.dimensions.items():
        before = baseline.dimensions.get(key)
        if before is None:
            continue
        changes.append(Change("dimension", key, before.score, after.score, None, None, "higher",
                              _verdict(before.score, after.score, DIMENSION_STEP)))
    for indicator in indicators:
        before_i, after_i = baseline.indicators.get(indicator.id), followup.indicators.get(indicator.id)
        if before_i is None or after_i is None:
            continue
        verdict = _verdict(before_i.level, after_i.level, 1)
        changes.append(Change("indicator", indicator.id, before_i.value, after_i.value, before_i.level,
                              after_i.level, better_when(indicator), verdict))
    return changes


def mean_number(result: Result, item_id: str) -> float | None:
    """:return: the mean of a number item's answers, or None when nobody gave a number."""
    item = result.items.get(item_id)
    values = [float(v) for v in (item.values if item else []) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return fmean(values) if values else None


def is_trouble(rule: Trouble, result: Result) -> bool | None:
    """Whether a follow-up shows trouble under the questionnaire's rule.

    :return: True when any test holds; False when every test could be made and none holds;
        None when a test could not be made and none holds (too little was answered to say).
    """
    tests: list[bool | None] = []
    if rule.overall_below is not None:
        score = result.overall_score
        tests.append(None if score is None else score < rule.overall_below)
    for item_id, limit in rule.item_above.items():
        mean = mean_number(result, item_id)
        tests.append(None if mean is None else mean > limit)
    if any(tests):
        return True
    return None if None in tests else False
