"""Answers counted per item, role and level: all scoring needs, without the respondents.

Scoring from counts keeps a result's cost independent of the number of respondents once they
are counted, so the robustness check can re-score hundreds of "what if" cases quickly.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat

from readiness.questionnaire.schema import ItemType, Questionnaire

from .answers import DONT_KNOW, NOT_APPLICABLE, Respondent, level_of

VALUE = "value"  # the count key of an unscored (number or text) answer

Counts = dict[object, int]  # level (0-4), DONT_KNOW, NOT_APPLICABLE or VALUE -> number of answers


@dataclass(frozen=True)
class Tally:
    counts: dict[str, dict[str, Counts]]  # item id -> role -> counts
    values: dict[str, list[object]]  # item id -> unscored answers (numbers and texts)
    respondents: dict[str, int]  # role -> respondents
    heard: dict[str, int]  # role -> respondents who answered at least one item (not "not applicable")
    extra: dict[str, int] = field(default_factory=dict)  # role -> respondents assumed by a "what if"

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
    for respondent in respondents:
        answers = respondent.answers
        people[respondent.role] += 1
        # Someone who found nothing applicable has not spoken about this context.
        if any(value != NOT_APPLICABLE for value in answers.values()):
            heard[respondent.role] += 1
        raw.update(zip(repeat(respondent.role), answers.keys(), answers.values()))  # counted in C
    counted = ((role, item_id, value, number) for (role, item_id, value), number in raw.items())
    return tally_counts(questionnaire, counted, people, heard)


def tally_counts(
    questionnaire: Questionnaire, counted: Iterable[AnswerCount], respondents: Mapping[str, int], heard: Mapping[str, int]
) -> Tally:
    """Build the tally from answers already counted (by ``tally``, or by the database's GROUP BY).

    :param counted: (role, item id, answer, number); the same answer may come in several rows.
    :param respondents: respondents per role, with or without answers.
    :param heard: per role, respondents who gave at least one answer other than "not applicable".
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
    return _replace_items(Tally(base.counts, base.values, base.respondents, base.heard, extra), changed)


def _replace_items(base: Tally, changed: dict[str, dict[str, Counts]]) -> Tally:
    return Tally({**base.counts, **changed}, base.values, base.respondents, base.heard, base.extra)
