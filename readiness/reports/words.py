"""What people said: free-text answers and comments, by question, anonymity kept.

The report shows a bounded number per question (the newest, read by ``read/words.py``) with how
many there are and where to read them all: every word still reaches a reader.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    total: int  # everything said about the question (withheld roles left out); ``lines`` may be fewer
    list_path: str  # the paged list of all of them

    @property
    def shown(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class WordsView:
    groups: list[SaidGroup]
    withheld: str | None  # why a role's words are not shown


def said_lines(said: Sequence[Said], q: Questionnaire, lang: str) -> list[SaidLine]:
    """:return: one line per thing said, in the given order, masked words replaced."""
    roles = {role.id: text(role.label, lang) for role in q.roles}
    masked = text(wording.SENTENCES["masked"], lang)
    return [SaidLine(roles.get(s.role, s.role), text(wording.SENTENCES[f"kind_{s.kind}"], lang),
                     masked if s.masked else s.text, s.masked, s.answer_id) for s in said]


def words_view(said: Sequence[Said], withheld_roles: Sequence[str], q: Questionnaire, lang: str,
               totals: Mapping[str, int] | None = None, list_path: str = "") -> WordsView:
    """Group what people wrote by question (questionnaire order), in the order given (the newest first).

    :param withheld_roles: the result's withheld roles: the same rule as for their scores.
    :param totals: item id -> everything said about it, when ``said`` holds only some (None: all of it).
    :param list_path: the paged list of everything said; ``?item=<id>`` is added per question.
    """
    shown = protect_words(said, withheld_roles)
    roles = {role.id: text(role.label, lang) for role in q.roles}
    groups = []
    for item in q.items:
        entries = [s for s in shown if s.item_id == item.id]
        total = len(entries) if totals is None else totals.get(item.id, 0)
        if entries or total:
            groups.append(SaidGroup(item.id, text(item.text, lang), said_lines(entries, q, lang), max(total, len(entries)),
                                    f"{list_path}?item={item.id}" if list_path else ""))
    note = None
    if withheld_roles:
        names = ", ".join(roles.get(r, r) for r in withheld_roles)
        note = text(wording.SENTENCES["withheld_words"], lang).format(roles=names, minimum=q.min_group_size)
    return WordsView(groups, note)


@dataclass(frozen=True)
class WordsQuestion:
    item_id: str
    question: str
    total: int


@dataclass(frozen=True)
class WordsPage:
    """Everything said about one question, a page at a time; or, without a question, the questions."""

    questions: list[WordsQuestion]  # every question something was said about, questionnaire order
    current: WordsQuestion | None
    lines: list[SaidLine]
    page: int
    pages: int
    withheld: str | None


def words_page_view(said: Sequence[Said], totals: Mapping[str, int], item_id: str | None, page: int, size: int,
                    withheld_roles: Sequence[str], q: Questionnaire, lang: str) -> WordsPage | None:
    """:param said: the page's entries (already without the withheld roles' words).
    :param totals: item id -> everything said about it, withheld roles left out.
    :return: the page; None when ``item_id`` is not a question of ``q`` or ``page`` is past the last.
    """
    questions = [WordsQuestion(item.id, text(item.text, lang), totals[item.id]) for item in q.items if totals.get(item.id)]
    note = words_view([], withheld_roles, q, lang).withheld
    if not item_id:
        return WordsPage(questions, None, [], 1, 1, note)
    if item_id not in {item.id for item in q.items}:
        return None
    current = next((c for c in questions if c.item_id == item_id), WordsQuestion(item_id, text(q.item(item_id).text, lang), 0))
    pages = max(1, -(-current.total // size))
    if page > pages:
        return None
    return WordsPage(questions, current, said_lines(protect_words(said, withheld_roles), q, lang), page, pages, note)
