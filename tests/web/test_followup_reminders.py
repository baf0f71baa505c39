"""Reminders for due follow-ups: a cron-able command, dry run, at most once a day, audited; on the pages too."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from readiness.models import AuditEntry, FollowupReminder, Outcome, Role
from readiness.models.types import set_clock
from readiness.services.decisions import record_decision

from .test_links import smtp  # noqa: F401  (a real SMTP server fixture)
from .test_report_page import make_assessment


@pytest.fixture
def due(db_session, make_user):
    """A rollout that went live on 15 January 2026; its 3-month follow-up falls due on 15 April."""
    baseline = make_assessment("partial-readiness")
    record_decision(None, baseline, outcome=Outcome.GO_WITH_CONDITIONS, decided_by_name="Awa", rationale="Ready enough.",
                    conditions="Train supervisors", go_live_on=date(2026, 1, 15))
    db_session.commit()
    make_user(role=Role.MEMBER, email="awa@example.org", delegations=[baseline.delegation])
    make_user(role=Role.MEMBER, email="left@example.org", is_active=False, delegations=[baseline.delegation])
    set_clock(datetime(2026, 4, 20, 6, tzinfo=timezone.utc))
    yield baseline
    set_clock(None)


def test_the_command_e_mails_members_once_a_day_and_records_it(runner, due, smtp, db_session):  # noqa: F811
    dry = runner.invoke(args=["followups", "remind", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"assessment {due.id}, 3-month follow-up due 2026-04-15: would e-mail 1 member(s)" in dry.output
    assert smtp.messages == [] and db_session.scalar(select(func.count()).select_from(FollowupReminder)) == 0
    first = runner.invoke(args=["followups", "remind"])
    assert "e-mailed 1 member(s)" in first.output
    assert [m["To"] for m in smtp.messages] == ["awa@example.org"]  # not the inactive account
    assert "3-month follow-up of “Primero readiness 2026”" in smtp.messages[0].get_content()
    again = runner.invoke(args=["followups", "remind"])
    assert "already reminded today" in again.output and len(smtp.messages) == 1
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "followup.remind"))
    assert entry.assessment_id == due.id and entry.after["recipients"] == 1
    set_clock(datetime(2026, 4, 21, 6, tzinfo=timezone.utc))
    runner.invoke(args=["followups", "remind"])
    assert len(smtp.messages) == 2  # a new day, still due: one more reminder


def test_without_e_mail_the_command_lists_what_is_due_and_sends_nothing(runner, due, db_session):
    result = runner.invoke(args=["followups", "remind"])
    assert result.exit_code == 0 and "e-mail is off" in result.output and "1 follow-up(s) due." in result.output
    assert db_session.scalar(select(func.count()).select_from(FollowupReminder)) == 0


def test_due_follow_ups_show_on_the_delegation_and_hq_pages(client, due, login_as):
    login_as(Role.MEMBER, delegations=[due.delegation])
    home = client.get(f"/delegations/{due.delegation_id}").get_data(as_text=True)
    assert "Follow-ups due" in home and "3-month follow-up of “Primero readiness 2026”, due since April 15, 2026" in home
    login_as(Role.HQ)
    hq = client.get("/hq/calibration/").get_data(as_text=True)
    assert "Follow-ups due" in hq and "Mali – Gao" in hq
