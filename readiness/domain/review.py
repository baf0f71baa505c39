"""Ethics review: reviewers' marks side by side, disagreements, and what changed between versions."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Mark(StrEnum):
    ACCEPTABLE = "acceptable"
    NEEDS_CHANGE = "needs_change"
    NOT_ACCEPTABLE = "not_acceptable"
    NOT_APPLICABLE = "not_applicable"


class Opinion(StrEnum):
    APPROVE = "approved"
    APPROVE_WITH_CONDITIONS = "approved_with_conditions"
    REVISE = "revise_and_resubmit"
    REJECT = "rejected"


_SEVERITY = {Mark.ACCEPTABLE: 0, Mark.NOT_APPLICABLE: 0, Mark.NEEDS_CHANGE: 1, Mark.NOT_ACCEPTABLE: 2}


@dataclass(frozen=True)
class ItemReviews:
    item_id: str
    marks: dict[str, Mark]  # reviewer -> mark, reviewers in a stable order
    disagreement: bool  # reviewers who marked it did not all agree
    strong_disagreement: bool  # one found it acceptable, another not acceptable
    worst: Mark | None


def side_by_side(item_ids: list[str], reviews: Mapping[str, Mapping[str, Mark]]) -> list[ItemReviews]:
    """Lay reviewers' marks out item by item, in charter order.

    :param item_ids: the charter items, in order.
    :param reviews: reviewer -> item id -> mark (missing items are simply not marked yet).
    """
    rows = []
    for item_id in item_ids:
        marks = {reviewer: reviews[reviewer][item_id] for reviewer in sorted(reviews) if item_id in reviews[reviewer]}
        distinct = set(marks.values())
        rows.append(
            ItemReviews(
                item_id=item_id,
                marks=marks,
                disagreement=len(distinct) > 1,
                strong_disagreement=Mark.ACCEPTABLE in distinct and Mark.NOT_ACCEPTABLE in distinct,
                worst=max(distinct, key=lambda m: (_SEVERITY[m], m.value)) if distinct else None,
            )
        )
    return rows


def opinions_disagree(opinions: Mapping[str, Opinion]) -> bool:
    return len(set(opinions.values())) > 1


@dataclass(frozen=True)
class Change:
    section: str  # "answers", "charter" or "description"
    key: str
    before: Any
    after: Any


def diff_versions(before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    """What changed between two versions of a proposal, section by section, key by key.

    :param before: section -> key -> value for the earlier version (e.g. charter item -> status).
    :param after: the same for the resubmitted version.
    :return: one change per key whose value differs, was added or was removed, in a stable order.
    """
    changes = []
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section, {}), after.get(section, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(Change(section, key, old.get(key), new.get(key)))
    return changes
