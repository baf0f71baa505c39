"""One demo assessment with thousands of respondents, written in bulk, to try the pages at full size.

Answers are drawn as a crowd gives them: mostly social workers, a few "don't know" on every
item (``dont_know``), free text from some. The assessment is left collecting, so its page shows
the live preview and the owner can close it.
"""
from __future__ import annotations

import hashlib
import random
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from readiness.definitions import get_definitions
from readiness.domain.answers import DONT_KNOW
from readiness.extensions import db
from readiness.models import Answer, Assessment, AuditEntry, CharterAnswer, Delegation, MeasuredInput, Respondent, User
from readiness.models.types import utcnow
from readiness.questionnaire.schema import Item, ItemType, Questionnaire
from readiness.services.demo_bulk import COMMENTS, Plan, _answer_row, _audit, _bulk, _charter, _figures, _insert_assessments, _move

# Who answers in a large roll-out: mostly social workers, some supervisors, few managers and IT staff.
ROLE_SHARES = {"social_worker": 0.8, "supervisor": 0.1, "manager": 0.03, "it_admin": 0.02, "partner": 0.05}
MEANS = {"needs": 3.0, "system": 2.6, "ict": 2.2, "staff": 2.5, "organisation": 2.4}
ROWS_PER_INSERT = 20_000


def load_big_assessment(owner: User, delegation: Delegation, respondents: int, dont_know: float = 0.05,
                        seed: int = 7) -> int:
    """Insert one collecting assessment with ``respondents`` people who have all submitted their answers.

    :param dont_know: the share of answers that are "don't know".
    :return: the new assessment's id.
    """
    rng = random.Random(seed)
    definitions = get_definitions()
    q, charter = definitions.latest_questionnaire("readiness"), definitions.latest_charter()
    now = utcnow()
    plan = Plan(delegation, 0, "collecting", "partial", 0.5, now - timedelta(days=10), now, now)
    [assessment_id] = _insert_assessments(rng, [plan], q, charter, owner)
    db.session.execute(update(Assessment).where(Assessment.id == assessment_id)
                       .values(title=f"Large roll-out readiness ({respondents} respondents)"))
    roles = [role.id for role in q.roles if role.id in ROLE_SHARES]
    people = rng.choices(roles, weights=[ROLE_SHARES[r] for r in roles], k=respondents)
    for start in range(0, respondents, ROWS_PER_INSERT // 20):
        _insert_people(rng, q, assessment_id, people[start:start + ROWS_PER_INSERT // 20], dont_know, plan)
    _bulk(MeasuredInput, [{"assessment_id": assessment_id, "input_id": k, "value": float(v), "unknown": False,
                           "comment": "", "version_id": 1} for k, v in _figures(rng, plan).items()])
    _bulk(CharterAnswer, [{"assessment_id": assessment_id, "item_id": k, "status": v, "comment": "", "version_id": 1}
                          for k, v in _charter(rng, charter, plan).items()])
    _bulk(AuditEntry, [
        _audit(owner, "assessment.create", "Assessment", assessment_id, plan.created, after={"status": "draft"}),
        _move(owner, "open", assessment_id, plan.created + timedelta(days=1), "draft", "collecting"),
    ])
    return assessment_id


def _insert_people(rng: random.Random, q: Questionnaire, assessment_id: int, roles: list[str], dont_know: float,
                   plan: Plan) -> None:
    sent = plan.created + timedelta(days=1)
    rows = [{
        "assessment_id": assessment_id, "role": role, "name": None,
        # Random, never derived from the seed: a guessable token would open the answer pages.
        "token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        "token_expires_at": sent + timedelta(days=30), "created_at": sent,
        "submitted_at": sent + timedelta(days=rng.randint(1, 8)) if rng.random() < 0.9 else None,
    } for role in roles]
    ids = list(db.session.scalars(Respondent.__table__.insert().returning(Respondent.id, sort_by_parameter_order=True), rows))
    asked = {role: q.items_for_role(role) for role in set(roles)}
    answers = [
        _answer_row(respondent_id, q, item.id, value)
        for respondent_id, role in zip(ids, roles)
        for item in asked[role]
        if (value := _value(rng, item, dont_know)) is not None
    ]
    _bulk(Answer, answers)


def _value(rng: random.Random, item: Item, dont_know: float) -> Any:
    if item.type is ItemType.TEXT:
        return rng.choice(COMMENTS) if rng.random() < 0.1 else None
    if rng.random() < dont_know:
        return DONT_KNOW
    level = max(0, min(4, round(rng.gauss(MEANS.get(item.dimension, 2.5), 0.8))))
    if item.type is ItemType.YES_NO:
        return "yes" if level >= 3 else "partly" if level == 2 else "no"
    if item.type is ItemType.NUMBER:
        return rng.randint(0, 40)
    return level


def demo_owner() -> tuple[User, Delegation]:
    """:return: the demo's first member and their first delegation (the demo must be loaded)."""
    owner = db.session.scalar(select(User).where(User.email.like("member@%")).order_by(User.id))
    if owner is None or not owner.delegations:
        raise LookupError("load the demo first (flask demo load)")
    return owner, sorted(owner.delegations, key=lambda d: d.id)[0]
