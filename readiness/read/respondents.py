"""An assessment's respondents for its page: counts per role and state, and one page of people.

Counted in the database, so the page costs the same for 10 or 10,000 respondents.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select

from readiness.domain.collection import token_status
from readiness.extensions import db
from readiness.models import Answer, Respondent

STATES = ("invited", "in_progress", "answered")  # not started, some answers given, submitted
PAGE_SIZE = 50


def _answer_given() -> ColumnElement[bool]:
    """The SQL form of ``AnswerState.answered``: a special answer, or a value that is not empty."""
    return or_(Answer.special.is_not(None), and_(Answer.value.is_not(None), Answer.value != literal("", Answer.value.type)))


def _state() -> ColumnElement[str]:
    started = exists().where(Answer.respondent_id == Respondent.id, _answer_given())
    return case((Respondent.submitted_at.is_not(None), "answered"), (started, "in_progress"), else_="invited")


def state_counts(assessment_id: int) -> dict[str, dict[str, int]]:
    """:return: role -> state -> respondents (states with nobody left out)."""
    state = _state().label("state")
    counts: dict[str, dict[str, int]] = {}
    for role, found, number in db.session.execute(
        select(Respondent.role, state, func.count()).where(Respondent.assessment_id == assessment_id)
        .group_by(Respondent.role, state)
    ):
        counts.setdefault(role, {})[found] = number
    return counts


@dataclass(frozen=True)
class RespondentRow:
    respondent: Respondent
    state: str  # one of STATES
    answered: int  # questions answered
    link: str  # valid / expired / revoked


def respondent_page(assessment_id: int, role: str | None, state: str | None, page: int,
                    now: datetime) -> tuple[Pagination, list[RespondentRow]]:
    """:param role: only this role; :param state: only respondents in this state (see ``STATES``).
    :return: the page of respondents, oldest invitation first, and a row for each.
    """
    query = select(Respondent).where(Respondent.assessment_id == assessment_id).order_by(Respondent.id)
    if role:
        query = query.where(Respondent.role == role)
    if state in STATES:
        query = query.where(_state() == state)
    found = db.paginate(query, page=page, per_page=PAGE_SIZE, max_per_page=PAGE_SIZE, error_out=False)
    ids = [r.id for r in found.items]
    answered: dict[int, int] = {rid: n for rid, n in db.session.execute(
        select(Answer.respondent_id, func.count()).where(Answer.respondent_id.in_(ids), _answer_given())
        .group_by(Answer.respondent_id))} if ids else {}
    rows = [RespondentRow(r, _state_of(r, answered.get(r.id, 0)), answered.get(r.id, 0),
                          token_status(r.token_expires_at, r.revoked_at, now).value) for r in found.items]
    return found, rows


def _state_of(respondent: Respondent, answered: int) -> str:
    return "answered" if respondent.submitted_at else "in_progress" if answered else "invited"
