"""Links that reach people: copy-all, CSV, slips with QR codes, share links, e-mail invitations and reminders."""
from __future__ import annotations

import asyncio
import csv
import email
import io
import re
import socket
import subprocess
from email import policy
from html import unescape

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from readiness.models import AuditEntry, ContextType, Delegation, Respondent
from readiness.models.types import utcnow
from readiness.services.assessments import open_assessment, start_assessment

from ..helpers import csrf_token_in


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free local port; the app is configured to send through it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                      MAIL_DEFAULT_SENDER="readiness@example.org")
    yield inbox
    controller.stop()
    controller.loop.close()
    app.config.update(MAIL_SERVER=None)


@pytest.fixture
def collecting(db_session, login_as):
    delegation = Delegation(name="Gao", country="Mali", region="West Africa", context_type=ContextType.STABLE)
    db_session.add(delegation)
    db_session.commit()
    user = login_as(delegations=[delegation])
    assessment = start_assessment(user, delegation, title="Primero rollout", tool_name="Primero")
    open_assessment(user, assessment)
    db_session.commit()
    return assessment.id


def new_links(client, aid: int, count: int = 3, name: str = "") -> str:
    page = client.get(f"/assessments/{aid}").get_data(as_text=True)
    client.post(f"/assessments/{aid}/respondents", data={
        "csrf_token": csrf_token_in(page), "role": "social_worker", "count": str(count), "name": name, "days": "14"})
    return client.get(f"/assessments/{aid}/links").get_data(as_text=True)


def links_form(page: str) -> dict[str, list[str]]:
    return {"csrf_token": [csrf_token_in(page)], "link": re.findall(r'name="link" class="link-box" value="([^"]+)"', page)}


def test_the_links_page_offers_copy_all_share_links_and_says_email_is_off(client, collecting):
    page = unescape(new_links(client, collecting))
    urls = links_form(page)["link"]
    assert len(urls) == 3
    listing = re.search(r'<textarea id="all-links"[^>]*>(.*?)</textarea>', page, re.S).group(1).strip().splitlines()
    assert [line.split(" · ")[1:] for line in listing] == [["Social worker", "anonymous", u] for u in urls]
    assert page.count('data-copy="link-') == 3 and 'data-copy="all-links"' in page and "/static/js/copy.js" in page
    from urllib.parse import quote
    assert "https://wa.me/?text=" in page and quote(urls[0], safe="/") in page and "mailto:?subject=" in page
    assert "https://t.me/share/url?url=" + quote(urls[1], safe="/") in page
    assert "E-mail is off on this server" in page and 'name="email-' not in page


def test_the_csv_holds_every_posted_link_of_this_assessment_and_nothing_else(client, collecting, db_session):
    page = new_links(client, collecting)
    form = links_form(page)
    forged = form | {"link": form["link"] + ["http://localhost/r/" + "x" * 43, "garbage"]}
    response = client.post(f"/assessments/{collecting}/links/links.csv", data=forged)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert response.mimetype == "text/csv" and rows[0] == ["Respondent", "Role", "Name", "Link", "Valid until"]
    assert [r[3] for r in rows[1:]] == form["link"] and {r[1] for r in rows[1:]} == {"Social worker"}


def test_slips_have_a_qr_code_per_link(client, collecting, tmp_path):
    page = new_links(client, collecting, count=3)
    form = links_form(page)
    response = client.post(f"/assessments/{collecting}/links/slips.pdf", data=form)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (tmp_path / "slips.pdf").write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "slips.pdf"), str(tmp_path / "s")], check=True)
    found = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("s-*.png"))))
    assert sorted(b.text for b in found) == sorted(form["link"])


def test_invitations_are_emailed_through_smtp(client, collecting, smtp, db_session):
    page = new_links(client, collecting, count=2)
    assert "E-mail is off" not in page and 'name="email-' in page
    form = links_form(page)
    ids = re.findall(r'name="email-(\d+)"', page)
    bad = client.post(f"/assessments/{collecting}/links/email", data=form | {f"email-{ids[0]}": "not an address"})
    assert bad.status_code == 400 and "Enter an e-mail address" in unescape(bad.get_data(as_text=True)) and smtp.messages == []
    sent = client.post(f"/assessments/{collecting}/links/email", data=form | {f"email-{ids[0]}": "amina@example.org", f"email-{ids[1]}": ""})
    assert sent.status_code == 200 and "1 invitation sent by e-mail." in unescape(sent.get_data(as_text=True))
    (message,) = smtp.messages
    assert message["To"] == "amina@example.org" and message["Subject"] == "Your questionnaire: Primero rollout"
    assert form["link"][0] in message.get_content()
    assert db_session.get(Respondent, int(ids[0])).email == "amina@example.org"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "respondents.email_invitations"))
    assert entry.after == {"sent": 1} and "amina" not in str(entry.after)


def test_reminders_go_only_to_those_who_have_not_finished_and_say_only_how_many(client, collecting, smtp, db_session, runner):
    page = new_links(client, collecting, count=3)
    ids = [int(i) for i in re.findall(r'name="email-(\d+)"', page)]
    people = [db_session.get(Respondent, i) for i in ids]
    for person, address in zip(people, ("a@example.org", "b@example.org", None)):
        person.email = address
    people[1].submitted_at = utcnow()  # b has finished; the third was never e-mailed
    db_session.commit()
    assessment_page = client.get(f"/assessments/{collecting}").get_data(as_text=True)
    assert "Send reminders" in assessment_page
    response = client.post(f"/assessments/{collecting}/remind", data={"csrf_token": csrf_token_in(assessment_page)})
    flashed = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "1 reminder sent." in flashed and "a@example.org" not in flashed
    assert [m["To"] for m in smtp.messages] == ["a@example.org"]
    assert "not finished" in smtp.messages[0].get_content() and "/r/" not in smtp.messages[0].get_content()
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "respondents.remind"))
    assert entry.after == {"reminded": 1} and entry.target_type == "Assessment"
    result = runner.invoke(args=["respondents", "remind", "--assessment", str(collecting)])
    assert result.exit_code == 0 and f"assessment {collecting}: 0 reminder(s) sent" in result.output  # not twice in two days
    assert len(smtp.messages) == 1


def test_without_a_mail_server_the_command_says_email_is_off(runner, collecting):
    result = runner.invoke(args=["respondents", "remind"])
    assert result.exit_code != 0 and "e-mail is off" in result.output


def spaced(text: str) -> str:
    """French typography puts a narrow no-break space before a colon; compare with plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


FRENCH_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def test_invitations_and_reminders_are_written_in_the_language_chosen_for_the_respondent(client, collecting, smtp,
                                                                                           db_session, runner):
    page = new_links(client, collecting, count=1)
    assert 'name="mail_lang"' in page and '<option value="en" lang="en" dir="ltr" selected>' in page  # the inviter's
    form = links_form(page)
    (rid,) = re.findall(r'name="email-(\d+)"', page)
    sent = client.post(f"/assessments/{collecting}/links/email",
                       data=form | {f"email-{rid}": "awa@example.org", "mail_lang": "fr"})
    assert "1 invitation sent by e-mail." in unescape(sent.get_data(as_text=True))  # the page stays in English
    (invitation,) = smtp.messages
    body = spaced(invitation.get_content())
    assert spaced(invitation["Subject"]) == "Votre questionnaire : Primero rollout"
    assert body.startswith("Vous êtes invité à répondre") and form["link"][0] in body
    respondent = db_session.get(Respondent, int(rid))
    expires = respondent.token_expires_at.date()
    assert re.search(rf"jusqu'au {expires.day} ({FRENCH_MONTHS}) {expires.year}\.", body), body
    assert expires.isoformat() not in body
    assert respondent.locale.value == "fr"

    respondent.reminded_at = None
    db_session.commit()
    result = runner.invoke(args=["respondents", "remind", "--assessment", str(collecting)])  # run in English
    assert result.exit_code == 0 and "1 reminder(s) sent" in result.output
    reminder = smtp.messages[1]
    assert spaced(reminder["Subject"]) == "Rappel : Primero rollout" and "not finished" not in reminder.get_content()


def test_an_unknown_e_mail_language_falls_back_to_the_inviters(client, collecting, smtp, db_session):
    page = new_links(client, collecting, count=1)
    (rid,) = re.findall(r'name="email-(\d+)"', page)
    client.post(f"/assessments/{collecting}/links/email",
                data=links_form(page) | {f"email-{rid}": "awa@example.org", "mail_lang": "xx"})
    assert smtp.messages[0]["Subject"] == "Your questionnaire: Primero rollout"
    assert db_session.get(Respondent, int(rid)).locale.value == "en"
