"""Benchmarking across delegations: quartiles, peers, changes between assessments, comparability.

Pure functions over plain values. "No data" is ``None``, never 0: a delegation without a
score on a dimension is left out of its distribution, not counted as failing it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Protocol


class Versioned(Protocol):
    id: str
    version: str
    comparable_with: list[str]


@dataclass(frozen=True)
class Quartiles:
    count: int
    minimum: float
    lower: float
    median: float
    upper: float
    maximum: float


def quartiles(values: Iterable[float | None]) -> Quartiles | None:
    """Quartiles by the inclusive method (the one spreadsheets use), ignoring missing values.

    :return: None when there is no value at all.
    """
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    return Quartiles(len(data), data[0], _quantile(data, 0.25), median(data), _quantile(data, 0.75), data[-1])


def _quantile(data: Sequence[float], share: float) -> float:
    position = (len(data) - 1) * share
    low = int(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def position_among(value: float | None, peers: Quartiles | None) -> str | None:
    """Where a score sits among its peers: ``below`` the lower quartile, ``middle`` or ``above`` the upper one.

    :return: None when either the score or the peers are missing.
    """
    if value is None or peers is None:
        return None
    if value < peers.lower:
        return "below"
    if value > peers.upper:
        return "above"
    return "middle"


# --- Comparability ---------------------------------------------------------------------


class NotComparable(ValueError):
    """Raised when assessments on questionnaire versions that measure different things are mixed."""

    def __init__(self, versions: Sequence[str], pair: tuple[str, str], explanation: str) -> None:
        super().__init__(explanation)
        self.versions = list(versions)
        self.pair = pair
        self.explanation = explanation


def comparable(a: str, b: str, declared: Mapping[str, Iterable[str]]) -> bool:
    """Whether two versions of one questionnaire may be compared.

    :param declared: version -> versions its definition file declares comparable (``comparable_with``);
        a declaration in either file is enough, since it is the newer file that knows its past.
    """
    return a == b or b in set(declared.get(a, ())) or a in set(declared.get(b, ()))


def declared_comparability(questionnaires: Iterable[Versioned], questionnaire_id: str) -> dict[str, list[str]]:
    """:return: version -> ``comparable_with`` for the loaded versions of one questionnaire."""
    return {q.version: list(q.comparable_with) for q in questionnaires if q.id == questionnaire_id}


def comparable_run(points: Sequence[tuple[str, str]], declared: Mapping[str, Iterable[str]]) -> int:
    """Where the trend that ends at the newest point starts: the same tool on comparable versions.

    :param points: ``(tool name, questionnaire version)`` of each result, oldest first.
    :return: the index of the first point of that run (0: all comparable; ``len(points)`` when empty).
    """
    if not points:
        return 0
    tool, version = points[-1]
    start = len(points) - 1
    while start > 0 and points[start - 1][0] == tool and comparable(version, points[start - 1][1], declared):
        start -= 1
    return start


def comparable_versions(anchor: str, known: Iterable[str], declared: Mapping[str, Iterable[str]]) -> list[str]:
    """:return: the versions among ``known`` (and ``anchor`` itself) comparable with ``anchor``, sorted."""
    return sorted({v for v in known if comparable(anchor, v, declared)} | {anchor})


def check_comparable(versions: Iterable[str], declared: Mapping[str, Iterable[str]]) -> None:
    """Refuse to mix versions that are not pairwise comparable.

    :raise NotComparable: naming the first pair that may not be compared, and why.
    """
    distinct = sorted(set(versions))
    for index, a in enumerate(distinct):
        for b in distinct[index + 1:]:
            if not comparable(a, b, declared):
                raise NotComparable(
                    distinct,
                    (a, b),
                    f"Questionnaire versions {a} and {b} ask different questions or score them differently, "
                    f"and neither definition file declares the other comparable, so their scores cannot be "
                    f"set side by side. Compare assessments on the same version, or declare "
                    f"'comparable_with' in the newer file if the change does not affect scores.",
                )


# --- Changes between two assessments ---------------------------------------------------


@dataclass(frozen=True)
class SnapshotFacts:
    """What benchmarking needs from one stored result."""

    assessment_id: int
    questionnaire_version: str
    recommendation: str
    overall_score: float | None
    coverage: float
    dimensions: Mapping[str, float | None]
    flags: frozenset[str]
    conditions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Change:
    previous_id: int
    current_id: int
    dimension_deltas: dict[str, float | None]
    overall_delta: float | None
    recommendation_before: str
    recommendation_after: str
    flags_resolved: list[str]
    flags_new: list[str]
    flags_persisting: list[str]
    conditions_met: list[str]
    conditions_open: list[str] = field(default_factory=list)


def change_between(
    previous: SnapshotFacts, current: SnapshotFacts, declared: Mapping[str, Iterable[str]]
) -> Change:
    """What changed from ``previous`` to ``current``.

    A condition is met when the flag it names is no longer raised.

    :raise NotComparable: when the two are on versions that may not be compared.
    """
    check_comparable([previous.questionnaire_version, current.questionnaire_version], declared)
    dims = sorted(set(previous.dimensions) | set(current.dimensions))
    return Change(
        previous_id=previous.assessment_id,
        current_id=current.assessment_id,
        dimension_deltas={d: _delta(previous.dimensions.get(d), current.dimensions.get(d)) for d in dims},
        overall_delta=_delta(previous.overall_score, current.overall_score),
        recommendation_before=previous.recommendation,
        recommendation_after=current.recommendation,
        flags_resolved=sorted(previous.flags - current.flags),
        flags_new=sorted(current.flags - previous.flags),
        flags_persisting=sorted(previous.flags & current.flags),
        conditions_met=sorted(c for c in previous.conditions if c not in current.flags),
        conditions_open=sorted(c for c in previous.conditions if c in current.flags),
    )


def _delta(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return round(after - before, 1)


# --- Portfolio-wide summaries -----------------------------------------------------------


@dataclass(frozen=True)
class RoleGap:
    dimension: str
    role_means: dict[str, float]  # role -> mean of the delegations' role scores (0-100)
    mean_gap: float | None  # mean over delegations of (highest role - lowest role)
    flagged: int  # delegations where the gap raised a flag
    delegations: int  # delegations with at least two roles scored


def perception_gaps(
    by_role: Sequence[Mapping[str, Mapping[str, float] | None]], flagged: Mapping[str, int], dimensions: Sequence[str]
) -> list[RoleGap]:
    """Summarise role differences per dimension across delegations.

    :param by_role: one mapping per delegation: dimension -> role -> score (0-100).
    :param flagged: dimension -> number of delegations whose result raised a perception-gap flag.
    """
    gaps = []
    for dim in dimensions:
        rows = [scores for row in by_role if (scores := row.get(dim))]
        roles = sorted({role for scores in rows for role in scores})
        means = {r: round(sum(s[r] for s in rows if r in s) / sum(1 for s in rows if r in s), 1) for r in roles}
        spreads = [max(s.values()) - min(s.values()) for s in rows if len(s) >= 2]
        mean_gap = round(sum(spreads) / len(spreads), 1) if spreads else None
        gaps.append(RoleGap(dim, means, mean_gap, flagged.get(dim, 0), len(spreads)))
    return gaps
