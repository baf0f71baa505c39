"""Spent one-use form tokens are purged once no form could be sent with them again.

A form can be sent only inside the session that showed it (its CSRF token is that session's, and
logging in starts a new one); a session lives at most ``SESSION_ABSOLUTE_MINUTES``. A spent token
is therefore kept that long plus a day's margin, then ``flask data purge --apply`` removes it.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from readiness.extensions import db
from readiness.models import Role, SpentFormToken
from readiness.models.types import set_clock
from readiness.services import form_tokens

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    yield set_clock
    set_clock(None)


def spent_tokens() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(SpentFormToken.result_url)))


def spend_at(clock, user, when: datetime, url: str) -> None:
    clock(when)
    spent = form_tokens.spend(user, form_tokens.new_token())
    assert isinstance(spent, SpentFormToken)
    spent.spent_at = when  # to the microsecond: the set clock runs on from ``when``
    form_tokens.lead_to(spent, url)
    db.session.commit()


def test_the_rule_keeps_a_spent_token_for_the_longest_session_and_a_day():
    # Worked example: sessions live 12 hours at most (the default), so a token spent at 09:00 on
    # 1 March is kept 12 h + 24 h = 36 hours: until 21:00 on 2 March, removed after that.
    assert form_tokens.kept_for(timedelta(minutes=12 * 60)) == timedelta(hours=36)
    assert form_tokens.spent_before(T0 + timedelta(hours=36), timedelta(hours=12)) == T0


def test_the_purge_removes_only_tokens_past_their_use_and_the_rest_still_guard(app, db_session, make_user, clock):
    assert app.config["SESSION_ABSOLUTE_MINUTES"] == 12 * 60
    user = make_user(role=Role.MEMBER)
    spend_at(clock, user, T0, "/old")  # 1 March, 09:00
    spend_at(clock, user, T0 + timedelta(hours=30), "/recent")  # 2 March, 15:00

    # Exactly 36 hours after the first: not past it yet.
    assert form_tokens.purge_spent(T0 + timedelta(hours=36)) == 0 and spent_tokens() == ["/old", "/recent"]
    clock(T0 + timedelta(hours=36, minutes=1))  # the clock's "now" by default
    assert form_tokens.count_spent() == 1
    assert form_tokens.purge_spent() == 1
    db.session.commit()
    assert spent_tokens() == ["/recent"]


def test_flask_data_purge_shows_then_removes_spent_tokens(app, runner, db_session, make_user, clock):
    user = make_user(role=Role.MEMBER)
    spend_at(clock, user, T0, "/old")
    spend_at(clock, user, T0 + timedelta(days=2), "/recent")
    clock(T0 + timedelta(days=2, hours=1))

    dry = runner.invoke(args=["data", "purge"])
    assert dry.exit_code == 0, dry.output
    assert "form tokens kept 36 hours after use" in dry.output and "Would remove: 1 spent form token(s)." in dry.output
    assert spent_tokens() == ["/old", "/recent"]

    applied = runner.invoke(args=["data", "purge", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Removed: 1 spent form token(s)." in applied.output
    assert spent_tokens() == ["/recent"]
    assert db.session.scalar(select(func.count()).select_from(SpentFormToken)) == 1
