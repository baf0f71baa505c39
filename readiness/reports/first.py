"""The answer first: decision, recommendation and why, how sure, what to do first, and a way to go.

The same block opens the page, the phone view and the PDF's first page.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readiness.domain.explain import outcome_label, text
from readiness.domain.result import Flag, Result
from readiness.domain.way_forward import WayForward
from readiness.questionnaire.schema import Charter, Questionnaire

from . import wording
from .parts import ActionRow, DecisionView, FlagRow, RecommendationView, RobustnessView

FIRST_THINGS = 3
HEADLINE = 80  # characters: two lines on a phone


def ranked_flags(result: Result) -> list[Flag]:
    """The flags by importance: the one place every summary takes its order from.

    The engine stores ``result.flags`` already ranked (``readiness.domain.ranking``).
    """
    return list(result.flags)


@dataclass(frozen=True)
class FirstThing:
    severity: str
    severity_label: str
    headline: str  # what to do, in a line: the action's first clause, else the flag's message
    message: str
    action: str | None
    who: str | None  # from the action plan, once it has them
    by_when: str | None


@dataclass(frozen=True)
class WayView:
    sentence: str  # "These 3 changes would give “go with conditions” (re-scored, not estimated)."
    changes: list[str]


@dataclass(frozen=True)
class AnswerFirst:
    decision: str  # "Decision: go, by … on …" or "No decision yet. …"
    outcome: str
    label: str
    reason: str
    robustness: str
    stable: bool
    things: list[FirstThing]
    more: str | None  # "12 more, by importance, in “Flags”." when the list is partial
    way: WayView | None


def _say(key: str, lang: str, **params: object) -> str:
    return text(wording.SENTENCES[key], lang).format(**params)


def answer_first(
    rec: RecommendationView, decision: DecisionView | None, robustness: RobustnessView,
    flags: Sequence[FlagRow], actions: Sequence[ActionRow], way: WayView | None, lang: str,
) -> AnswerFirst:
    """:param flags: every flag row, ranked; the first three open the report."""
    plan = {a.source: a for a in actions if a.status in ("open", "in_progress")}
    things: list[FirstThing] = []
    for flag in flags[:FIRST_THINGS]:
        # Two flags can share an action (a gate and the floor it pulls down): then say what the flag is.
        repeated = any(t.headline == headline(flag) for t in things)
        things.append(_thing(flag, plan.get(flag.code), use_message=repeated))
    more = len(flags) - len(things)
    if decision is None:
        said = _say("no_decision_yet", lang)
    else:
        said = _say("decided", lang, outcome=decision.label, name=decision.decided_by, date=decision.decided_on)
    return AnswerFirst(
        decision=said, outcome=rec.outcome, label=rec.label, reason=rec.rule_text,
        robustness=robustness.sentence, stable=robustness.stable, things=things,
        more=_say("more_things", lang, count=more) if more > 0 else None, way=way,
    )


def headline(flag: FlagRow, limit: int = HEADLINE, use_message: bool = False) -> str:
    """:return: the first clause of the flag's action (what to do), clipped at a word; else its message."""
    source = flag.message if use_message or not flag.action else flag.action
    clause = source.split(": ", 1)[0].split(". ", 1)[0].split(" (", 1)[0].rstrip(".")
    if len(clause) > limit:
        clause = clause[: limit - 1].rsplit(" ", 1)[0] + " …"
    return clause


def _thing(flag: FlagRow, action: ActionRow | None, use_message: bool = False) -> FirstThing:
    return FirstThing(
        severity=flag.severity, severity_label=flag.severity_label, headline=headline(flag, use_message=use_message),
        message=flag.message,
        action=flag.action,
        who=(action.owner or None) if action else None,
        by_when=action.due if action and action.due_date else None,
    )


def way_view(way: WayForward | None, q: Questionnaire, charter: Charter | None, lang: str) -> WayView | None:
    """:return: the way to go in words, or None when there is no step up to show."""
    if way is None or way.target is None:
        return None
    target = outcome_label(way.target, lang)
    if way.reached is None:
        return WayView(_say("way_not_found", lang, target=target), [])
    changes = [_change(c.kind, c.target, c.level, c.value, q, charter, lang) for c in way.changes]
    counts = _counts(way, lang)
    return WayView(_say("way_found", lang, changes=counts, target=outcome_label(way.reached, lang)), changes)


def _counts(way: WayForward, lang: str) -> str:
    parts = []
    for kind in ("charter", "item", "figure"):
        n = sum(1 for c in way.changes if c.kind == kind)
        if n:
            parts.append(_say(f"way_{kind}s", lang, count=n))
    joiner = text(wording.SENTENCES["and"], lang)
    return ", ".join(parts[:-1]) + f" {joiner} " + parts[-1] if len(parts) > 1 else parts[0]


def _change(kind: str, target: str, level: int | None, value: float | None, q: Questionnaire,
            charter: Charter | None, lang: str) -> str:
    if kind == "charter" and charter is not None:
        item = next((i for i in charter.items if i.id == target), None)
        return _say("way_charter", lang, text=text(item.text, lang).rstrip(".") if item else target)
    if kind == "figure":
        indicator = next(i for i in q.indicators if i.id == target)
        return _say("way_figure", lang, label=text(indicator.label, lang), value=f"{value:g}",
                    unit=text(indicator.unit, lang), level=level)
    return _say("way_item", lang, text=text(q.item(target).text, lang).rstrip(".?"), level=level)
