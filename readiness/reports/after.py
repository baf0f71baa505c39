"""After go-live: each follow-up done, set against this baseline, as plain translated lines.

Built from the comparison the follow-up's own page shows (``services.followups.comparison``):
what improved, what got worse, the time spent on the tool, and the conditions still open.
Pure: the caller reads the comparisons; nothing here touches the database.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from readiness.domain.explain import number, text
from readiness.domain.followup import IMPROVED, WORSE, Change
from readiness.i18n import N_, format_day, gettext_in, is_rtl
from readiness.questionnaire.schema import Questionnaire
from readiness.read.labels import dimension_label

HEADING = N_("After go-live")
DONE = N_("{months}-month follow-up: {title}, closed on {date}.")
IMPROVED_HEADING = N_("What improved")
WORSE_HEADING = N_("What got worse")
NOTHING_IMPROVED = N_("Nothing improved by a band or by 5 points or more.")
NOTHING_WORSE = N_("Nothing got worse by a band or by 5 points or more.")
# The comparison page's own sentences (templates/followups/comparison.html), in %-style.
LEVEL = N_("level %(n)d")
HOURS = N_("Time on the tool: %(hours)s hours a week on average, as respondents gave it.")
HOURS_OVER = N_("That is more than %(limit)s hours: recording is crowding out time with families.")
OPEN = N_("Conditions still open")  # the section's sub-heading
NONE_OPEN = N_("No condition is open.")
UNTRACKED = N_("The decision set these conditions; none is tracked as an action yet:")
DUE = N_("due %(date)s")


class ComparisonLike(Protocol):
    """``services.followups.Comparison``, read only."""

    @property
    def followup(self) -> Any: ...  # id, followup_months, title, closed_at

    @property
    def questionnaire(self) -> Questionnaire: ...

    @property
    def changes(self) -> list[Change]: ...

    @property
    def open_conditions(self) -> Sequence[Any]: ...  # title, due_date

    @property
    def conditions_text(self) -> str: ...

    @property
    def hours(self) -> float | None: ...

    @property
    def hours_limit(self) -> float | None: ...


@dataclass(frozen=True)
class ChangeLine:
    kind: str  # "dimension" or "indicator"
    key: str
    verdict: str  # improved / worse / same / unknown
    line: str  # "Staff capacity and attitudes: 50 → 62", "Open cases per social worker (cases): 30.0 (level 3) → 40.0 (level 2)"


@dataclass(frozen=True)
class AfterGoLive:
    assessment_id: int
    months: int
    done: str  # "3-month follow-up: …, closed on April 20, 2027."
    improved: list[ChangeLine]
    worse: list[ChangeLine]
    hours: str | None  # the hours sentence, and whether they are past the questionnaire's limit
    hours_over: str | None
    open_conditions: list[str]
    conditions_note: str | None  # None for actions still open; else why the list is the decision's text, or that none is open


def after_go_live(c: ComparisonLike, lang: str) -> AfterGoLive:
    """:return: the follow-up ``c`` in ``lang``: its main lines, for the baseline's report."""
    lines = [_line(change, c.questionnaire, lang) for change in c.changes]
    hours = over = None
    if c.hours is not None:
        hours = _say(lang, HOURS) % {"hours": number(c.hours, 1, lang=lang)}
        if c.hours_limit is not None and c.hours > c.hours_limit:
            over = _say(lang, HOURS_OVER) % {"limit": number(c.hours_limit, lang=lang)}
    conditions, note = _conditions(c, lang)
    f = c.followup
    return AfterGoLive(
        assessment_id=f.id, months=f.followup_months,
        done=_say(lang, DONE, months=f.followup_months, title=f.title, date=format_day(f.closed_at, lang)),
        improved=[line for line in lines if line.verdict == IMPROVED],
        worse=[line for line in lines if line.verdict == WORSE],
        hours=hours, hours_over=over, open_conditions=conditions, conditions_note=note,
    )


def after_go_live_all(found: Sequence[ComparisonLike], lang: str) -> list[AfterGoLive]:
    return [after_go_live(c, lang) for c in found]


def _line(change: Change, q: Questionnaire, lang: str) -> ChangeLine:
    # From the baseline to the follow-up, pointing the way the line is read.
    arrow = "←" if is_rtl(lang) else "→"
    if change.kind == "dimension":
        label = dimension_label(q, change.key, lang)
        values = f"{number(change.baseline, lang=lang)} {arrow} {number(change.followup, lang=lang)}"
    else:
        indicator = next(i for i in q.indicators if i.id == change.key)
        label = f"{text(indicator.label, lang)} ({text(indicator.unit, lang)})"
        values = (f"{_figure(change.baseline, change.baseline_level, lang)} {arrow} "
                  f"{_figure(change.followup, change.followup_level, lang)}")
    return ChangeLine(change.kind, change.key, change.verdict, f"{label}: {values}")


def _figure(value: float | None, level: int | None, lang: str) -> str:
    shown = number(value, 1, lang=lang)
    return shown if level is None else f"{shown} ({_say(lang, LEVEL) % {'n': level}})"


def _conditions(c: ComparisonLike, lang: str) -> tuple[list[str], str | None]:
    if c.open_conditions:
        return [a.title + (f" · {_say(lang, DUE) % {'date': format_day(a.due_date, lang)}}" if a.due_date else "")
                for a in c.open_conditions], None
    written = [line.strip() for line in (c.conditions_text or "").splitlines() if line.strip()]
    return (written, _say(lang, UNTRACKED)) if written else ([], _say(lang, NONE_OPEN))


def _say(lang: str, msgid: str, **params: object) -> str:
    return gettext_in(lang, msgid, **params)
