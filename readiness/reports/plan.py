"""Filtering the action plan by owner, status and due date (pure: the caller passes "today")."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .parts import ActionRow

DUE_CHOICES = ("overdue", "7", "30", "none")


@dataclass(frozen=True)
class PlanFilter:
    owner: str = ""
    status: str = ""
    due: str = ""  # "overdue", a number of days ahead, "none" (no due date), or "" for any

    @property
    def active(self) -> bool:
        return bool(self.owner or self.status or self.due)


def filter_actions(rows: Sequence[ActionRow], wanted: PlanFilter, today: date) -> list[ActionRow]:
    """:return: the rows that match every filter given; a number of days keeps what is due by then, overdue included."""
    return [row for row in rows if _matches(row, wanted, today)]


def _matches(row: ActionRow, wanted: PlanFilter, today: date) -> bool:
    if wanted.owner and row.owner.casefold() != wanted.owner.casefold():
        return False
    if wanted.status and row.status != wanted.status:
        return False
    if wanted.due == "overdue":
        return row.overdue
    if wanted.due == "none":
        return row.due_date is None
    if wanted.due.isdigit():
        return row.due_date is not None and row.due_date <= today + timedelta(days=int(wanted.due))
    return True


def owners(rows: Sequence[ActionRow]) -> list[str]:
    """:return: the distinct owners named in the plan, alphabetically."""
    return sorted({row.owner for row in rows if row.owner}, key=str.casefold)
