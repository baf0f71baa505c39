"""What people said: free-text answers and comments, by question and role, anonymity kept."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readiness.domain.anonymity import Said, protect_words
from readiness.domain.explain import text
from readiness.questionnaire.schema import Questionnaire

from . import wording


@dataclass(frozen=True)
class SaidLine:
    role: str
    kind: str
    text: str
    masked: bool
    answer_id: int | None


@dataclass(frozen=True)
class SaidGroup:
    item_id: str
    question: str
    lines: list[SaidLine]


@dataclass(frozen=True)
class WordsView:
    groups: list[SaidGroup]
    withheld: str | None  # why a role's words are not shown


def words_view(said: Sequence[Said], withheld_roles: Sequence[str], q: Questionnaire, lang: str) -> WordsView:
    """Group what people wrote by question (questionnaire order), then role (questionnaire order).

    :param withheld_roles: the result's withheld roles: the same rule as for their scores.
    """
    shown = protect_words(said, withheld_roles)
    roles = {role.id: text(role.label, lang) for role in q.roles}
    role_order = {role.id: index for index, role in enumerate(q.roles)}
    masked = text(wording.SENTENCES["masked"], lang)
    groups = []
    for item in q.items:
        entries = sorted((s for s in shown if s.item_id == item.id), key=lambda s: (role_order.get(s.role, 99), s.kind))
        if entries:
            lines = [SaidLine(roles.get(s.role, s.role), text(wording.SENTENCES[f"kind_{s.kind}"], lang),
                              masked if s.masked else s.text, s.masked, s.answer_id) for s in entries]
            groups.append(SaidGroup(item.id, text(item.text, lang), lines))
    note = None
    if withheld_roles:
        names = ", ".join(roles.get(r, r) for r in withheld_roles)
        note = text(wording.SENTENCES["withheld_words"], lang).format(roles=names, minimum=q.min_group_size)
    return WordsView(groups, note)
