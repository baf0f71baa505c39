"""Model behaviour the database must guarantee: optimistic locking, UTC times, constraints."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from readiness.web.auth import public
from flask import Blueprint, Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.exc import StaleDataError

from readiness.extensions import db
from readiness.models import (
    Answer,
    Assessment,
    ContextType,
    Delegation,
    Respondent,
    SpecialAnswer,
    User,
)


def make_assessment(session: Session | scoped_session) -> Assessment:
    delegation = Delegation(
        name="Delegation A", country="Chad", region="Africa", context_type=ContextType.PROTRACTED_CRISIS
    )
    assessment = Assessment(
        delegation=delegation,
        title="CM tool pilot",
        tool_name="Primero",
        questionnaire_id="readiness",
        questionnaire_version="1",
        charter_id="ethics",
        charter_version="1",
    )
    session.add(assessment)
    session.commit()
    return assessment


def test_second_concurrent_edit_of_an_assessment_is_refused(db_session: scoped_session) -> None:
    assessment_id = make_assessment(db_session).id
    with Session(db.engine) as first, Session(db.engine) as second:
        mine = first.get(Assessment, assessment_id)
        theirs = second.get(Assessment, assessment_id)

        mine.title = "Saved first"
        first.commit()
        theirs.title = "Saved second"

        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()

    db_session.expire_all()
    assert db_session.get(Assessment, assessment_id).title == "Saved first"


def test_a_stale_save_becomes_a_409_with_a_clear_message(app: Flask, client) -> None:
    bp = Blueprint("stale_probe", __name__)

    @bp.get("/stale-probe")
    @public
    def probe() -> str:
        raise StaleDataError("simulated concurrent edit")

    app.register_blueprint(bp)

    response = client.get("/stale-probe")

    assert response.status_code == 409
    assert b"Someone else saved this record" in response.data


def test_user_email_is_stored_lowercased_and_unique(make_user: Callable[..., User], db_session) -> None:
    user = make_user(email="  Ana.Lopez@Example.ORG ")
    assert user.email == "ana.lopez@example.org"

    with pytest.raises(IntegrityError):
        make_user(email="ana.lopez@example.org")
    db_session.rollback()


def test_datetimes_come_back_timezone_aware_in_utc(make_user: Callable[..., User], db_session) -> None:
    paris = timezone(timedelta(hours=2))
    user = make_user(last_login_at=datetime(2025, 6, 1, 12, 0, tzinfo=paris))
    db_session.expire_all()

    stored = db_session.get(User, user.id)
    assert stored.created_at.tzinfo is not None
    assert stored.last_login_at == datetime(2025, 6, 1, 10, 0, tzinfo=timezone.utc)


def test_naive_datetimes_are_refused(make_user: Callable[..., User], db_session) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        make_user(last_login_at=datetime(2025, 6, 1, 12, 0))
    db_session.rollback()


def _answer(respondent: Respondent, **fields) -> Answer:
    defaults = {"item_id": "q1", "questionnaire_id": "readiness", "questionnaire_version": "1"}
    return Answer(respondent=respondent, **(defaults | fields))


def _respondent(assessment: Assessment) -> Respondent:
    return Respondent(
        assessment_id=assessment.id,
        role="social_worker",
        token_hash="a" * 64,
        token_expires_at=datetime.now(timezone.utc) + timedelta(days=14),
    )


def test_an_answer_cannot_be_both_a_value_and_dont_know(db_session: scoped_session) -> None:
    respondent = _respondent(make_assessment(db_session))
    db_session.add(_answer(respondent, value=3, special=SpecialAnswer.DONT_KNOW))

    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_answer_values_keep_their_json_type(db_session: scoped_session) -> None:
    respondent = _respondent(make_assessment(db_session))
    db_session.add_all(
        [
            _answer(respondent, value=3),
            _answer(respondent, item_id="q2", value={"text": "ok"}),
            _answer(respondent, item_id="q3", special=SpecialAnswer.NOT_APPLICABLE),
        ]
    )
    db_session.commit()
    db_session.expire_all()

    values = dict(db_session.execute(select(Answer.item_id, Answer.value)).all())
    assert values == {"q1": 3, "q2": {"text": "ok"}, "q3": None}


def test_foreign_keys_are_enforced(db_session: scoped_session) -> None:
    db_session.add(
        Respondent(
            assessment_id=999_999,
            role="manager",
            token_hash="b" * 64,
            token_expires_at=datetime.now(timezone.utc),
        )
    )

    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
