"""Answers counted per item, role and level: all scoring needs, without the respondents.

Scoring from counts keeps a result's cost independent of the number of respondents once they
are counted, so the robustness check can re-score hundreds of "what if" cases quickly.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import repeat

from readiness.questionnaire.schema import ItemType, Questionnaire

from .answers import DONT_KNOW, NOT_APPLICABLE, Respondent, level_of

VALUE = "value"  # the count key of an unscored (number or text) answer

Counts = dict[object, int]  # level (0-4), DONT_KNOW, NOT_APPLICABLE or VALUE -> number of answers
# role -> the items one respondent marked "not applicable" -> respondents who said nothing else (not heard)
Silent = dict[str, dict[frozenset[str], int]]


@dataclass(frozen=True)
class Tally:
    counts: dict[str, dict[str, Counts]]  # item id -> role -> counts
    values: dict[str, list[object]]  # item id -> unscored answers (numbers and texts)
    respondents: dict[str, int]  # role -> respondents
    heard: dict[str, int]  # role -> respondents who answered at least one item (not "not applicable")
    extra: dict[str, int] = field(default_factory=dict)  # role -> respondents assumed by a "what if"
    # Who is not heard yet, and which items each found not applicable: a "what if" that gives them an
    # answer makes them heard (see ``with_items_raised``). Empty when every respondent spoke.
    silent: Silent = field(default_factory=dict)

    def role_counts(self, item_id: str) -> dict[str, Counts]:
        return self.counts.get(item_id, {})

    def heard_count(self, role: str) -> int:
        return self.heard.get(role, 0) + self.extra.get(role, 0)


AnswerCount = tuple[str, str, object, int]  # role, item id, answer, how many respondents gave that answer


def tally(questionnaire: Questionnaire, respondents: Iterable[Respondent]) -> Tally:
    """:return: the answers of ``respondents`` counted per item, role and level (answers already validated)."""
    raw: Counter[tuple[str, str, object]] = Counter()
    people: Counter[str] = Counter()
    heard: Counter[str] = Counter()
    silent: Counter[tuple[str, frozenset[str]]] = Counter()
    for respondent in respondents:
        answers = respondent.answers
        people[respondent.role] += 1
        # Someone who found nothing applicable has not spoken about this context.
        if any(value != NOT_APPLICABLE for value in answers.values()):
            heard[respondent.role] += 1
        else:
            silent[respondent.role, frozenset(answers)] += 1
        raw.update(zip(repeat(respondent.role), answers.keys(), answers.values()))  # counted in C
    counted = ((role, item_id, value, number) for (role, item_id, value), number in raw.items())
    return tally_counts(questionnaire, counted, people, heard, silent_groups(silent.items()))


def silent_groups(rows: Iterable[tuple[tuple[str, frozenset[str]], int]]) -> Silent:
    """:param rows: ((role, items marked "not applicable"), respondents) for respondents not heard.
    :return: the same, as ``Tally.silent``."""
    found: Silent = {}
    for (role, items), number in rows:
        by_items = found.setdefault(role, {})
        by_items[items] = by_items.get(items, 0) + number
    return found


def tally_counts(
    questionnaire: Questionnaire, counted: Iterable[AnswerCount], respondents: Mapping[str, int],
    heard: Mapping[str, int], silent: Silent | None = None,
) -> Tally:
    """Build the tally from answers already counted (by ``tally``, or by the database's GROUP BY).

    :param counted: (role, item id, answer, number); the same answer may come in several rows.
    :param respondents: respondents per role, with or without answers.
    :param heard: per role, respondents who gave at least one answer other than "not applicable".
    :param silent: the others, grouped by role and the items they marked "not applicable" (needed by
        ``with_items_raised`` only).
    :return: the same tally ``tally`` gives for the respondents behind these counts.
    """
    types = {item.id: item.type for item in questionnaire.items}
    counts: dict[str, dict[str, Counts]] = {}
    values: dict[str, list[object]] = defaultdict(list)
    for role, item_id, value, number in counted:
        key = _key(types[item_id], value)
        if key == VALUE:
            values[item_id] += [value] * number
        by_role = counts.setdefault(item_id, {}).setdefault(role, {})
        by_role[key] = by_role.get(key, 0) + number
    return Tally(
        counts=counts,
        values={item: sorted(found, key=repr) for item, found in values.items()},
        respondents={role: n for role, n in respondents.items() if n},
        heard={role: n for role, n in heard.items() if n},
        silent=dict(silent or {}),
    )


def _key(item_type: ItemType, value: object) -> object:
    if value in (DONT_KNOW, NOT_APPLICABLE):
        return value
    if item_type in (ItemType.LEVEL, ItemType.YES_NO):
        return level_of(item_type, value)  # type: ignore[arg-type]
    return VALUE


def with_item_resolved(base: Tally, item_id: str, roles: Iterable[str], level: int) -> Tally:
    """:return: ``base`` with the item's "don't know" answers, and the silence of ``roles``, at ``level``."""
    by_role = {role: dict(c) for role, c in base.role_counts(item_id).items()}
    for counts in by_role.values():
        unknown = counts.pop(DONT_KNOW, 0)
        if unknown:
            counts[level] = counts.get(level, 0) + unknown
    for role in roles:
        by_role.setdefault(role, {level: 1})
    return _replace_items(base, {item_id: by_role})


def with_role_heard(base: Tally, questionnaire: Questionnaire, role: str, level: int) -> Tally:
    """:return: ``base`` plus one respondent of ``role`` answering every scored item at ``level``."""
    changed = {}
    for item in questionnaire.items_for_role(role):
        if item.scored:
            by_role = {r: dict(c) for r, c in base.role_counts(item.id).items()}
            counts = by_role.setdefault(role, {})
            counts[level] = counts.get(level, 0) + 1
            changed[item.id] = by_role
    role_def = questionnaire.role(role)
    extra = {**base.extra, role: base.extra.get(role, 0) + role_def.min_respondents}
    return _replace_items(replace(base, extra=extra), changed)


def lifted_value(item_type: ItemType, level: int) -> int | str:
    """:return: the answer that stands for "at ``level``" (a yes/no question: yes above level 2, else partly)."""
    if item_type is ItemType.YES_NO:
        return "yes" if level > 2 else "partly"
    return level


def with_items_raised(base: Tally, questionnaire: Questionnaire, raised: Mapping[str, int]) -> Tally:
    """The counts as if every respondent asked each item of ``raised`` had answered it at its level or above.

    Per role asked: "don't know", levels below and no answer at all become the level's answer
    (``lifted_value``); "not applicable" and answers at or above it stay. A respondent not heard
    yet who is given an answer this way is heard. The same counts as re-tallying respondents
    lifted one by one (``way_forward.apply_changes``), at a cost that does not grow with them.

    :param raised: scored item id -> level.
    """
    changed = {}
    for item_id, level in raised.items():
        item = questionnaire.item(item_id)
        new_key = level_of(item.type, lifted_value(item.type, level))
        by_role = {role: dict(c) for role, c in base.role_counts(item_id).items()}
        for role in item.roles:
            counts = by_role.get(role, {})
            moved = base.respondents.get(role, 0) - sum(counts.values())  # those who did not answer it
            for key in [k for k in counts if k == DONT_KNOW or (isinstance(k, int) and k < level)]:
                moved += counts.pop(key)
            if moved:
                counts[new_key] = counts.get(new_key, 0) + moved
                by_role[role] = counts
        if by_role:
            changed[item_id] = by_role
    heard = dict(base.heard)
    for role, groups in base.silent.items():
        asked = [i for i in raised if role in questionnaire.item(i).roles]
        woken = sum(n for not_applicable, n in groups.items() if any(i not in not_applicable for i in asked))
        if woken:
            heard[role] = heard.get(role, 0) + woken
    return _replace_items(replace(base, heard=heard), changed)


def _replace_items(base: Tally, changed: dict[str, dict[str, Counts]]) -> Tally:
    return replace(base, counts={**base.counts, **changed})
