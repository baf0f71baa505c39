"""What people wrote (free-text answers and comments), counted and read a bounded number at a time.

An assessment with thousands of respondents holds thousands of comments: the report shows the
newest few per question with how many there are, and a paged list shows them all. The roles
whose words are withheld (``domain/anonymity.py``) are left out by the query itself, so no count,
page or page number can tell that they wrote anything.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, String, Text, and_, cast, func, literal, select, union_all

from readiness.domain.anonymity import Said
from readiness.extensions import db
from readiness.models import Answer, Respondent
from readiness.questionnaire.schema import ItemType, Questionnaire

LATEST_PER_QUESTION = 5  # on the report (page and PDF); the rest is on the paged list
PAGE_SIZE = 50  # on the paged list


def _entries(assessment_id: int, q: Questionnaire, withheld: Iterable[str]) -> Select:
    """One row per thing said: (answer id, item id, role, kind, text, masked), a free-text answer and
    a comment on the same answer being two rows."""
    free_text = [item.id for item in q.items if item.type is ItemType.TEXT]
    mine = and_(Respondent.assessment_id == assessment_id, Respondent.role.not_in(list(withheld)))

    def part(kind: str, words, condition) -> Select:
        return (select(Answer.id.label("answer_id"), Answer.item_id.label("item_id"), Respondent.role.label("role"),
                       literal(kind, String).label("kind"), words.label("words"),
                       Answer.masked_at.is_not(None).label("masked"))
                .join(Respondent, Answer.respondent_id == Respondent.id).where(mine, condition))

    answers = part("answer", cast(Answer.value, Text), and_(
        Answer.item_id.in_(free_text), Answer.special.is_(None), Answer.value.is_not(None),
        Answer.value != literal("", Answer.value.type)))
    comments = part("comment", Answer.comment, func.trim(Answer.comment) != "")
    return union_all(answers, comments).subquery("said").select()


def words_counts(assessment_id: int, q: Questionnaire, withheld: Iterable[str]) -> dict[str, int]:
    """:return: item id -> things said about it (answers and comments, withheld roles left out); one query."""
    said = _entries(assessment_id, q, withheld).subquery()
    rows = db.session.execute(select(said.c.item_id, func.count()).group_by(said.c.item_id))
    return {item_id: number for item_id, number in rows}


def latest_words(assessment_id: int, q: Questionnaire, withheld: Iterable[str],
                 per_question: int = LATEST_PER_QUESTION) -> list[Said]:
    """:return: the newest ``per_question`` things said about each question (newest answer first); one query."""
    said = _entries(assessment_id, q, withheld).subquery()
    rank = func.row_number().over(partition_by=said.c.item_id,
                                  order_by=(said.c.answer_id.desc(), said.c.kind)).label("rank")
    ranked = select(said, rank).subquery()
    rows = db.session.execute(select(ranked).where(ranked.c.rank <= per_question)
                              .order_by(ranked.c.item_id, ranked.c.rank))
    return _said(rows)


def words_page(assessment_id: int, q: Questionnaire, withheld: Iterable[str], item_id: str, page: int,
               size: int = PAGE_SIZE) -> list[Said]:
    """:return: page ``page`` (from 1) of what was said about one question, newest answer first; one query."""
    said = _entries(assessment_id, q, withheld).subquery()
    rows = db.session.execute(select(said).where(said.c.item_id == item_id)
                              .order_by(said.c.answer_id.desc(), said.c.kind)
                              .limit(size).offset((max(1, page) - 1) * size))
    return _said(rows)


def _said(rows: Iterable[Sequence]) -> list[Said]:
    found = []
    for answer_id, item_id, role, kind, words, masked, *_rank in rows:
        text = json.loads(words) if kind == "answer" else words
        found.append(Said(item_id, role, str(text).strip(), kind, answer_id, bool(masked)))
    return found
