"""Anonymity kept: one rule for every output, applied to results, people's words and the audit trail.

An anonymous role (``Role.anonymous``) heard by fewer people than the questionnaire's
``min_group_size`` would have its "role" figures be one or two people's answers. Below that
minimum, the role's own scores, perception gaps, counts and words are withheld from every
output; the answers still count in the overall and dimension results. The audit trail never
holds an anonymous respondent's values, comments or an identifier that maps to a link.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from readiness.questionnaire.schema import Questionnaire

from .answers import Respondent
from .result import Flag, IndicatorResult, ItemResult, Result

# Flags that are about the difference between two roles: with one side withheld there is nothing left to show.
_ROLE_PAIR_KEYS = ("high_role", "low_role")
_VALUE_KEYS = ("score", "self_rating", "gap", "value_by_role")
ANONYMOUS_ACTOR = "anonymous respondent ({role})"
_ANONYMOUS_LABEL = re.compile(r"^anonymous respondent \(.+\)$")
_RESPONDENT_LABEL = re.compile(r"^respondent #\d+ \((?P<role>.+)\)$")


def heard_counts(respondents: Iterable[Respondent]) -> dict[str, int]:
    """:return: per role, how many respondents answered at least one question."""
    counts: dict[str, int] = {}
    for respondent in respondents:
        if respondent.answers:
            counts[respondent.role] = counts.get(respondent.role, 0) + 1
    return counts


def roles_to_withhold(questionnaire: Questionnaire, heard: Mapping[str, int]) -> list[str]:
    """:return: the anonymous roles heard by at least one and fewer than ``min_group_size`` people."""
    minimum = questionnaire.min_group_size
    return [role.id for role in questionnaire.roles if role.anonymous and 0 < heard.get(role.id, 0) < minimum]


def protect_result(result: Result, questionnaire: Questionnaire, heard: Mapping[str, int] | None = None) -> Result:
    """Withhold what an anonymous role too small to hide in would reveal; idempotent.

    :param heard: respondents who answered, per role; None reads ``result.roles`` (a stored result).
    :return: the same result without the withheld roles' role scores, gaps, counts and free-text values.
    """
    withheld = set(result.withheld_roles) | set(roles_to_withhold(questionnaire, result.roles if heard is None else heard))
    if not withheld:
        return result
    alone = {item.id for item in questionnaire.items if set(item.roles) <= withheld}
    shared = {item.id for item in questionnaire.items if set(item.roles) & withheld} - alone
    items = {i: _protect_item(r, withheld, i in alone, i in shared) for i, r in result.items.items()}
    dimensions = {d: replace(r, by_role=_without(r.by_role, withheld)) for d, r in result.dimensions.items()}
    indicators = {i: _protect_indicator(r, alone) for i, r in result.indicators.items()}
    flags = [_protect_flag(flag, withheld, alone) for flag in result.flags]
    kept = [flag for flag in flags if flag is not None]
    codes = {flag.code for flag in kept}
    recommendation = replace(result.recommendation,
                             conditions=[c for c in result.recommendation.conditions if c in codes])
    return replace(
        result, items=items, dimensions=dimensions, indicators=indicators, flags=kept,
        roles=_without(result.roles, withheld), recommendation=recommendation,
        withheld_roles=[role.id for role in questionnaire.roles if role.id in withheld],
    )


def _without(mapping: Mapping[str, Any], withheld: set[str]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if key not in withheld}


def _protect_item(r: ItemResult, withheld: set[str], alone: bool, shared: bool) -> ItemResult:
    if alone:
        # Asked of the withheld role only: every figure of the item is that role's.
        return replace(r, score=None, by_role={}, respondents=0, dont_know=0, not_applicable=0, values=[])
    # Free-text and number values carry no role: where the withheld role could have written them, drop them.
    return replace(r, by_role=_without(r.by_role, withheld), values=[] if shared else r.values)


def _protect_indicator(r: IndicatorResult, alone: set[str]) -> IndicatorResult:
    if r.self_rating_item in alone:
        return replace(r, self_rating=None, gap=None)
    return r


def _protect_flag(flag: Flag, withheld: set[str], alone: set[str]) -> Flag | None:
    ev = flag.evidence
    if any(ev.get(key) in withheld for key in _ROLE_PAIR_KEYS):
        return None
    roles = ev.get("roles")
    if isinstance(roles, list) and roles and set(roles) <= withheld:
        return None
    evidence = _scrub(ev, withheld)
    if flag.subject in alone or ev.get("self_rating_item") in alone:
        evidence = {k: v for k, v in evidence.items() if k not in _VALUE_KEYS}
    return replace(flag, evidence=evidence)


def _scrub(value: Any, withheld: set[str]) -> Any:
    """Remove every role-keyed entry and role name of a withheld role, however deep in the evidence."""
    if isinstance(value, dict):
        return {k: _scrub(v, withheld) for k, v in value.items() if k not in withheld}
    if isinstance(value, list):
        return [_scrub(v, withheld) for v in value if not (isinstance(v, str) and v in withheld)]
    return value


# --- People's words ------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """One thing a respondent wrote: a free-text answer or a comment on an item."""

    item_id: str
    role: str
    text: str
    kind: str  # "answer" or "comment"
    answer_id: int | None = None
    masked: bool = False


def protect_words(said: Sequence[Said], withheld_roles: Iterable[str]) -> list[Said]:
    """:return: what people wrote, without the words of withheld roles (the same rule as the scores)."""
    hidden = set(withheld_roles)
    return [entry for entry in said if entry.role not in hidden]


# --- The audit trail -----------------------------------------------------------------


@dataclass(frozen=True)
class AuditView:
    """An audit entry as any page or export may show it."""

    action: str
    at: Any
    actor_label: str
    target_type: str
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def anonymous_change(action: str, after: Mapping[str, Any] | None) -> tuple[None, dict[str, Any] | None]:
    """What an anonymous respondent's change may record: the item it was about, never the values.

    :return: ``(before, after)`` for the audit entry.
    """
    del action  # every kind of respondent change is reduced the same way
    if after and "item" in after:
        return None, {"item": after["item"]}
    return None, None


def is_anonymous_actor(label: str) -> bool:
    """:return: whether an audit actor label names an anonymous respondent."""
    return _ANONYMOUS_LABEL.match(label) is not None


def names_anonymous_respondent(label: str, anonymous_role_labels: Iterable[str]) -> bool:
    """:return: whether an audit actor label stands for a respondent of an anonymous role (older entries too)."""
    if is_anonymous_actor(label or ""):
        return True
    match = _RESPONDENT_LABEL.match(label or "")
    return match is not None and match["role"] in set(anonymous_role_labels)


def redact_entry(entry: Any, anonymous_role_labels: Iterable[str]) -> AuditView:
    """Show an audit entry without anything that ties an anonymous respondent to a link or an answer.

    Entries written before anonymity was kept name "respondent #12 (Social worker)": those of an
    anonymous role lose the number, the target id and the values.
    """
    labels = set(anonymous_role_labels)
    match = _RESPONDENT_LABEL.match(entry.actor_label or "")
    view = AuditView(entry.action, entry.at, entry.actor_label, entry.target_type, entry.target_id,
                     entry.before, entry.after)
    if match is None or match["role"] not in labels:
        return view
    before, after = anonymous_change(entry.action, entry.after)
    return replace(view, actor_label=ANONYMOUS_ACTOR.format(role=match["role"]), target_id="",
                   before=before, after=after)
