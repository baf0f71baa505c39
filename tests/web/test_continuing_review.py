"""Continuing ethics review on the web: incidents reopen, the chair suspends, the status shows everywhere, reminders."""
from __future__ import annotations
from babel.dates import format_date

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from readiness.domain.incidents import IncidentKind
from readiness.domain.review import Mark, Opinion
from readiness.extensions import db
from readiness.models import AuditEntry, Incident, ReminderSent
from readiness.services import ethics_continuing
from readiness.services.ethics_continuing import IncidentInput

from .committee_fixtures import decided, in_review, log_in, post_form, reviewed
from .test_committee import people, proposal  # noqa: F401  (fixtures)
from .test_links import smtp  # noqa: F401  (fixture: a real SMTP server)

ITEM = "retention_schedule"


def approved(people: dict[str, Any], proposal: Any, outcome: Opinion = Opinion.APPROVE) -> Any:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    reviewed(proposal, people["chair"], people["ben"], Mark.NEEDS_CHANGE)
    return decided(proposal, people["chair"], outcome)


def incident(likelihood: int, severity: int, **changes: Any) -> dict[str, Any]:
    return {"item_id": ITEM, "kind": "lost_device", "likelihood": str(likelihood), "severity": str(severity),
            "occurred_on": date.today().isoformat(), "description": "A supervisor's phone was stolen in the market."} | changes


def test_an_approval_carries_the_policy_interval_or_the_chairs(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    today = date.today()
    assert proposal.review_interval_months == 12  # questionnaires/ethics_screening/1.0.yaml
    assert proposal.review_due == ethics_continuing.review_due_date(today, 12)
    log_in(client, people["member"])
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"Next continuing review: {format_date(proposal.review_due, format='long', locale='en')} (every 12 months)" in page


def test_the_chair_sets_another_interval_when_approving(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    reviewed(proposal, people["chair"], people["ben"])
    log_in(client, people["chair"])
    response = post_form(client, f"/committee/proposals/{proposal.id}/decision",
                         {"outcome": "approved", "rationale": "Sound.", "review_interval_months": "6"})
    assert response.status_code == 302
    assert proposal.review_interval_months == 6
    assert proposal.review_due == ethics_continuing.review_due_date(proposal.decision.decided_at.date(), 6)


def test_a_minor_incident_is_logged_and_a_serious_one_reopens_the_review(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    log_in(client, people["member"])
    url = f"/proposals/{proposal.id}/incidents"

    minor = post_form(client, url, incident(3, 3))  # 9: below both thresholds
    assert minor.status_code == 302 and proposal.status.value == "approved"
    serious = post_form(client, url, incident(4, 3, kind="data_requested"))  # 12: exactly at the threshold
    assert serious.status_code == 302 and proposal.status.value == "review_reopened"

    rows = db.session.scalars(select(Incident).where(Incident.proposal_id == proposal.id).order_by(Incident.id)).all()
    assert [(i.likelihood, i.severity, i.serious) for i in rows] == [(3, 3, False), (4, 3, True)]
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-3:] == ["incident.log", "incident.log", "proposal.reopen"]
    page = client.get(url).get_data(as_text=True)
    assert "Review reopened" in page and "A serious incident was logged." in page
    # The map: one incident in (likelihood 3, severity 3), one in (4, 3), each linking to its incidents.
    assert f"{url}?likelihood=3&amp;severity=3#incident-list" in page and f"{url}?likelihood=4&amp;severity=3#incident-list" in page
    filtered = client.get(url + "?likelihood=4&severity=3").get_data(as_text=True)
    assert filtered.count('class="card overdue"') == 1 and "Data requested by authorities or armed groups" in filtered


def test_a_bad_incident_is_refused_where_it_can_be_corrected(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    log_in(client, people["member"])
    url = f"/proposals/{proposal.id}/incidents"
    future = post_form(client, url, incident(2, 2, occurred_on=(date.today() + timedelta(days=3)).isoformat()))
    out_of_scale = post_form(client, url, incident(6, 2))
    assert future.status_code == 400 and "cannot be in the future" in future.get_data(as_text=True)
    assert out_of_scale.status_code == 400
    assert proposal.incidents == []


def test_a_delegation_member_logs_incidents_but_cannot_suspend(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    log_in(client, people["member"])
    url = f"/committee/proposals/{proposal.id}/approval"
    assert client.get(url).status_code == 403
    assert post_form(client, url, {"action": "suspend", "reason": "x"}, page=f"/proposals/{proposal.id}").status_code == 403
    assert "Review the approval" not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    log_in(client, people["insider"])  # committee member of the proposing delegation: confidentiality as before
    assert client.get(url).status_code == 403
    log_in(client, people["hq"])
    assert client.get(url).status_code == 403
    assert post_form(client, f"/proposals/{proposal.id}/incidents", incident(1, 1), page=f"/proposals/{proposal.id}").status_code == 403
    assert proposal.status.value == "approved"


def test_the_chair_suspends_with_a_reason_and_everyone_sees_suspended(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    ethics_continuing.log_incident(people["member"], proposal, IncidentInput(ITEM, IncidentKind.BREACH, 3, 5, "Server exposed.", date.today()))
    db.session.commit()
    log_in(client, people["chair"])
    url = f"/committee/proposals/{proposal.id}/approval"
    assert "Review reopened" in client.get(url).get_data(as_text=True)

    no_reason = post_form(client, url, {"action": "suspend", "reason": ""})
    done = post_form(client, url, {"action": "suspend", "reason": "Until the server is secured and audited."})

    assert no_reason.status_code == 400 and done.status_code == 302 and proposal.status.value == "suspended"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.suspend")).one()
    assert entry.before == {"status": "review_reopened"} and entry.after["reason"] == "Until the server is secured and audited."
    home, assessment_id = people["home"], proposal.assessment_id
    log_in(client, people["member"])
    for path in (f"/proposals/{proposal.id}", f"/assessments/{assessment_id}", f"/assessments/{assessment_id}/report",
                 f"/delegations/{home.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Approval suspended" in page, path
    assert "Until the server is secured and audited." in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    log_in(client, people["hq"])
    assert ">suspended<" in client.get("/hq/").get_data(as_text=True)

    log_in(client, people["chair"])
    post_form(client, url, {"action": "reinstate", "reason": "Server audited; keys rotated."})
    assert proposal.status.value == "approved" and proposal.review_due == ethics_continuing.review_due_date(date.today(), 12)


def test_remind_reopens_overdue_reviews_and_mails_once_a_day(runner: Any, people: dict[str, Any], proposal: Any, smtp: Any) -> None:
    approved(people, proposal, Opinion.APPROVE_WITH_CONDITIONS)
    proposal.review_due = date.today() - timedelta(days=1)  # a year has gone by
    proposal.conditions[0].due_date = date.today() - timedelta(days=2)
    db.session.commit()

    dry = runner.invoke(args=["ethics", "remind", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would remind" in dry.output and smtp.messages == [] and proposal.status.value == "approved_with_conditions"

    first = runner.invoke(args=["ethics", "remind", "--base-url", "https://readiness.example.org"])
    db.session.expire_all()
    assert first.exit_code == 0, first.output
    assert proposal.status.value == "review_reopened"
    recipients = {m["To"] for m in smtp.messages}
    assert recipients == {people["member"].email, people["chair"].email}  # never the insider, never HQ
    subjects = sorted(" ".join(str(m["Subject"]).split()) for m in smtp.messages)
    assert any(s.startswith("Ethics condition overdue") for s in subjects), subjects
    assert any(s.startswith("Continuing ethics review overdue") for s in subjects), subjects
    assert all(f"https://readiness.example.org/proposals/{proposal.id}" in m.get_content() for m in smtp.messages)
    sent = len(smtp.messages)
    assert db.session.scalar(select(db.func.count()).select_from(ReminderSent)) == sent
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == "reminder.ethics")) == sent

    again = runner.invoke(args=["ethics", "remind"])
    assert again.exit_code == 0 and len(smtp.messages) == sent and f"{sent} already sent today" in again.output

    from readiness.services.erasure import erase_user

    email = people["member"].email
    erase_user(people["chair"], people["member"], "left the organisation")  # no trace of the address stays
    db.session.commit()
    assert db.session.scalars(select(ReminderSent).where(ReminderSent.recipient == email)).all() == []


def test_reminders_show_on_the_chairs_and_the_delegations_pages(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    approved(people, proposal)
    proposal.review_due = date.today() + timedelta(days=10)  # within the 30 days' notice
    db.session.commit()
    for who, path in (("chair", "/committee/"), ("member", f"/delegations/{people['home'].id}")):
        log_in(client, people[who])
        page = client.get(path).get_data(as_text=True)
        assert f"Continuing review due on {format_date(proposal.review_due, format='long', locale='en')}" in page, who
    log_in(client, people["member"])
    assert "Continuing review due" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_the_demo_shows_incidents_a_suspension_and_a_draft(runner: Any, db_session: Any) -> None:
    from readiness.models import Proposal, ReviewerAssignment
    from readiness.services.ethics import shown_status_of

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    proposals = db.session.scalars(select(Proposal).order_by(Proposal.id)).all()
    shown = sorted(shown_status_of(p) for p in proposals)
    assert shown == ["in_review", "review_due", "suspended"]
    assert sum(len(p.incidents) for p in proposals) == 3
    assert any(c.status.value == "submitted" for p in proposals for c in p.conditions)  # the chair's queue
    assert db.session.scalars(select(ReviewerAssignment).where(ReviewerAssignment.draft.is_not(None))).one()


def test_the_letter_carries_the_current_status_and_the_risk_map(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    from .test_committee import letter_text

    approved(people, proposal)
    log_in(client, people["member"])
    assert "Continuing review" not in letter_text(client, proposal, "en")  # nothing has happened since the decision
    for likelihood, severity in ((2, 2), (2, 2), (3, 5)):
        ethics_continuing.log_incident(people["member"], proposal, IncidentInput(
            ITEM, IncidentKind.BREACH, likelihood, severity, "Shared drive left open.", date.today()))
    ethics_continuing.change_approval(people["chair"], proposal, "suspend", "Until the drive is locked down.")
    db.session.commit()

    english, french = letter_text(client, proposal, "en"), letter_text(client, proposal, "fr")

    assert "Continuing review" in english and "Approval suspended" in english and "Until the drive is locked down." in english
    assert "Approbation suspendue" in french
    assert "must not be used until the committee reinstates it" in english and "You may proceed" not in english
    # The grid, row by row from severity 5: (3, 5) counts 1, (2, 2) counts 2.
    assert "5 0 0 1 0 0" in english and "2 0 2 0 0 0" in english
    if os.environ.get("SCREENSHOT_DIR"):
        Path(os.environ["SCREENSHOT_DIR"], "letter-suspended.pdf").write_bytes(
            client.get(f"/proposals/{proposal.id}/letter.pdf?lang=en").data)
