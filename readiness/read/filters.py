"""Portfolio filters, read from and written back to the URL so a view can be shared."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from readiness.models import AssessmentStatus, ContextType

SORTS = ("name", "region", "started", "score", "recommendation", "critical", "overdue")


@dataclass(frozen=True)
class Filters:
    region: str = ""
    context: str = ""
    versions: tuple[str, ...] = ()
    status: str = ""
    started_from: date | None = None
    started_to: date | None = None
    sort: str = "name"
    descending: bool = False
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def on_assessments(self) -> bool:
        """Whether a filter narrows assessments (so delegations without one drop out)."""
        return bool(self.versions or self.status or self.started_from or self.started_to)

    def to_args(self, **changes: Any) -> dict[str, Any]:
        """The filters as URL query arguments, leaving out defaults; ``changes`` override fields."""
        f = replace(self, **changes)
        args: dict[str, Any] = {
            "region": f.region,
            "context": f.context,
            "version": list(f.versions),
            "status": f.status,
            "from": f.started_from.isoformat() if f.started_from else "",
            "to": f.started_to.isoformat() if f.started_to else "",
            "sort": "" if f.sort == "name" else f.sort,
            "desc": "1" if f.descending else "",
        }
        return {key: value for key, value in args.items() if value}


def parse_filters(args: Any) -> Filters:
    """Read filters from request arguments; unknown values are dropped and reported, never guessed.

    :param args: a werkzeug ``MultiDict`` (or any mapping with ``get`` and ``getlist``).
    """
    problems: list[str] = []
    context = _choice(args, "context", [c.value for c in ContextType], problems)
    status = _choice(args, "status", [s.value for s in AssessmentStatus], problems)
    sort = _choice(args, "sort", list(SORTS), problems) or "name"
    versions = tuple(sorted({v.strip() for v in _getlist(args, "version") if v.strip()}))
    return Filters(
        region=(args.get("region") or "").strip()[:100],
        context=context,
        versions=versions,
        status=status,
        started_from=_date(args, "from", problems),
        started_to=_date(args, "to", problems),
        sort=sort,
        descending=args.get("desc") == "1",
        problems=tuple(problems),
    )


def _getlist(args: Any, key: str) -> list[str]:
    return list(args.getlist(key)) if hasattr(args, "getlist") else [v for v in [args.get(key)] if v]


def _choice(args: Mapping[str, str], key: str, allowed: list[str], problems: list[str]) -> str:
    value = (args.get(key) or "").strip()
    if value and value not in allowed:
        problems.append(key)
        return ""
    return value


def _date(args: Mapping[str, str], key: str, problems: list[str]) -> date | None:
    value = (args.get(key) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(key)
        return None
