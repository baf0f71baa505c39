"""What the review form shows around its fields: themes with progress, the error summary, the draft's fields."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readiness.domain.review import Mark, Opinion
from readiness.services.ethics_views import CharterRow

CONCERNS = (Mark.NEEDS_CHANGE.value, Mark.NOT_ACCEPTABLE.value)
DRAFT_MAX = 5000  # the longest any review field accepts


@dataclass
class Theme:
    label: str
    rows: list[CharterRow] = field(default_factory=list)
    marked: int = 0
    has_error: bool = False

    @property
    def done(self) -> bool:
        return self.marked == len(self.rows)


def themes(rows: list[CharterRow], form: Any) -> list[Theme]:
    """Charter rows grouped by theme, in charter order, with how many items of each the reviewer has marked."""
    grouped: dict[str, Theme] = {}
    for row in rows:
        theme = grouped.setdefault(row.theme, Theme(row.theme))
        theme.rows.append(row)
        mark = form[f"mark_{row.item_id}"]
        theme.marked += mark.data in {m.value for m in Mark}
        theme.has_error |= any(form[f"{kind}_{row.item_id}"].errors for kind in ("mark", "comment", "committee"))
    return list(grouped.values())


@dataclass(frozen=True)
class ErrorLink:
    target: str  # the id of the first input of the field
    where: str  # the item's text, or the field's label
    message: str


def error_summary(form: Any, rows: list[CharterRow]) -> list[ErrorLink]:
    """Every error of the form, in page order, each linking to its field."""
    links = []
    for row in rows:
        for kind in ("mark", "comment", "committee"):
            f = form[f"{kind}_{row.item_id}"]
            if f.errors:
                target = f"{f.id}-0" if kind == "mark" else f.id
                links.append(ErrorLink(target, row.text, " ".join(map(str, f.errors))))
    for name in ("opinion", "opinion_comment", "committee_comment"):
        f = form[name]
        if f.errors:
            links.append(ErrorLink(f"{f.id}-0" if name == "opinion" else f.id, str(f.label.text),
                                   " ".join(map(str, f.errors))))
    return links


def draft_fields(form: Any) -> dict[str, str]:
    """The review form's fields as typed, for a draft: marks and opinion only when they are real choices."""
    allowed = {"opinion": {o.value for o in Opinion}}
    marks = {m.value for m in Mark}
    fields = {}
    for name, f in form._fields.items():
        if name == "csrf_token" or not isinstance(f.data, str):
            continue
        choices = allowed.get(name) or (marks if name.startswith("mark_") else None)
        if choices is not None and f.data not in choices:
            continue
        fields[name] = f.data[:DRAFT_MAX]
    return fields

