"""A review that can be finished: drafts, themes, error summary, filters; item text (never ids) in letters and forms."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import select

from readiness.domain.review import Mark, Opinion
from readiness.extensions import db
from readiness.models import CharterAnswer, Locale, Role
from readiness.services import ethics_conditions, ethics_review
from readiness.services.ethics import Upload
from readiness.services.ethics_review import ConditionInput, ReviewRefused

from .committee_fixtures import (
    PASSWORD, closed_assessment, decided, in_review, log_in, pdf_bytes, post_form, reviewed, submitted,
)
from .test_committee import letter_text, people, proposal  # noqa: F401  (fixtures)


class _VisibleText(HTMLParser):
    """The words a reader sees: text outside tags, scripts and styles (attributes and field names excluded)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def item_ids(proposal: Any) -> list[str]:
    return [item.id for item in ethics_review.charter_of(proposal).items]


def plain_comments(proposal: Any) -> None:
    """The fixture's self-assessment comments name the item ids; people write words."""
    for answer in db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == proposal.assessment_id)):
        answer.comment = "Checked by the team."
    db.session.commit()


def declared(people: dict[str, Any], proposal: Any, who: str = "ana") -> Any:
    in_review(proposal, people["chair"])
    assignment = ethics_review.assign_reviewer(people["chair"], proposal, people[who])
    ethics_review.declare_conflicts(people[who], assignment, False, "")
    db.session.commit()
    return assignment


def test_a_draft_is_kept_resumed_and_finished_later(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    assignment = declared(people, proposal)
    log_in(client, people["ana"])
    url = f"/committee/assignments/{assignment.id}/review"
    items = item_ids(proposal)
    first = {f"mark_{items[0]}": "needs_change", f"comment_{items[0]}": "Say who may read case notes.",
             f"mark_{items[1]}": "acceptable", "opinion": "approve_with_nonsense"}

    saved = post_form(client, url, first | {"action": "draft"})

    assert saved.status_code == 302 and saved.headers["Location"].endswith(url)
    assert assignment.submitted_at is None and assignment.items == []  # a draft is not a review
    assert ethics_review.submitted_reviews(proposal) == []
    assert assignment.draft[f"mark_{items[0]}"] == "needs_change" and "opinion" not in assignment.draft  # not a choice
    log_in(client, people["chair"])
    log_in(client, people["ana"])  # later, in another session
    page = client.get(url).get_data(as_text=True)
    assert "You are continuing your draft" in page and "Say who may read case notes." in page
    assert re.search(rf'id="mark_{items[0]}-1"[^>]*checked|checked[^>]*id="mark_{items[0]}-1"', page)
    assert "2 of" in visible(page)  # the first theme's progress counts the two marks

    rest = {f"mark_{i}": "acceptable" for i in items[2:]} | {"opinion": "approved", "action": "submit"}
    done = post_form(client, url, {f"mark_{items[0]}": "needs_change", f"mark_{items[1]}": "acceptable"} | rest)

    assert done.status_code == 302 and assignment.submitted_at is not None and assignment.draft is None
    assert {row.item_id: row.mark for row in assignment.items}[items[0]] is Mark.NEEDS_CHANGE


def test_a_draft_cannot_be_saved_once_the_committee_has_decided(people: dict[str, Any], proposal: Any) -> None:
    assignment = declared(people, proposal)
    reviewed(proposal, people["chair"], people["ben"])
    ethics_review.save_review(people["ana"], assignment, {i: ethics_review.ItemMark(Mark.ACCEPTABLE) for i in item_ids(proposal)},
                              opinion=Opinion.APPROVE, opinion_comment="", committee_comment="")
    decided(proposal, people["chair"], Opinion.APPROVE)
    with pytest.raises(ReviewRefused, match="decided"):
        ethics_review.save_review_draft(people["ana"], assignment, {"opinion": "approved"})


def test_items_are_grouped_by_theme_and_errors_are_summarised_at_the_top(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    assignment = declared(people, proposal)
    log_in(client, people["ana"])
    url = f"/committee/assignments/{assignment.id}/review"
    charter = ethics_review.charter_of(proposal)
    items = item_ids(proposal)

    page = client.get(url).get_data(as_text=True)
    themes = {item.theme for item in charter.items}
    assert page.count('<details class="review-theme"') == len(themes)
    assert f"0 of {sum(1 for i in charter.items if i.theme == charter.items[0].theme)} marked" in page

    wrong = post_form(client, url, {f"mark_{i}": "acceptable" for i in items[2:]})
    html = wrong.get_data(as_text=True)

    assert wrong.status_code == 400
    summary = html.index('id="error-summary"')
    assert summary < html.index('class="card review-item"')  # above the first item, not below the first screen
    links = re.findall(r'<li><a href="#([^"]+)">', html[summary:html.index("</div>", summary)])
    assert links == [f"mark_{items[0]}-0", f"mark_{items[1]}-0", "opinion-0"]
    for target in links:
        assert f'id="{target}"' in html  # every link lands on its field
    first_text = charter.items[0].text["en"]
    assert unescape(first_text) in unescape(visible(html[summary:]))


def test_the_reviewer_can_show_only_what_the_delegation_marked_not_met(client: FlaskClient, people: dict[str, Any]) -> None:
    items = None
    assessment = closed_assessment(people["home"], charter={"retention_schedule": "not_met", "consent_assent_procedure": "partly"})
    proposal = submitted(assessment, people["member"])
    assignment = declared(people, proposal)
    items = item_ids(proposal)
    log_in(client, people["ana"])

    page = client.get(f"/committee/assignments/{assignment.id}/review?filter=not_met").get_data(as_text=True)

    shown = re.findall(r'<section class="card review-item" aria-labelledby="item-([a-z_0-9]+)">', page)
    hidden = re.findall(r'<section class="card review-item" aria-labelledby="item-([a-z_0-9]+)" hidden>', page)
    assert shown == ["retention_schedule"]
    assert len(hidden) == len(items) - 1  # hidden, not removed: their saved marks still go with the form
    assert "Show every commitment" in page


def test_side_by_side_can_show_disagreements_only(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    second = reviewed(proposal, people["chair"], people["ben"])
    first_item = item_ids(proposal)[0]
    next(row for row in second.items if row.item_id == first_item).mark = Mark.NOT_ACCEPTABLE
    db.session.commit()
    log_in(client, people["chair"])
    url = f"/committee/proposals/{proposal.id}/reviews"

    everything = client.get(url).get_data(as_text=True)
    disagreements = client.get(url + "?show=disagreements").get_data(as_text=True)

    assert everything.count('class="item-row"') == len(item_ids(proposal)) + 1  # + the overall opinion
    assert disagreements.count('class="item-row"') == 1 + 1
    text = ethics_review.charter_of(proposal).items[0].text["en"]
    assert unescape(text) in unescape(disagreements) and "strong disagreement" in disagreements


def test_letters_and_forms_show_item_text_never_item_ids(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    plain_comments(proposal)
    assignment = declared(people, proposal)
    log_in(client, people["ana"])
    review_page = visible(client.get(f"/committee/assignments/{assignment.id}/review").get_data(as_text=True))
    in_review_ids = item_ids(proposal)
    reviewed(proposal, people["chair"], people["ben"], Mark.NEEDS_CHANGE)
    ethics_review.save_review(people["ana"], assignment, {i: ethics_review.ItemMark(Mark.NEEDS_CHANGE, f"Fix this, {n}.")
                                                         for n, i in enumerate(in_review_ids)},
                              opinion=Opinion.APPROVE_WITH_CONDITIONS, opinion_comment="", committee_comment="")
    db.session.commit()
    log_in(client, people["chair"])
    decision_page = visible(client.get(f"/committee/proposals/{proposal.id}/decision").get_data(as_text=True))
    comparison = visible(client.get(f"/committee/proposals/{proposal.id}/reviews").get_data(as_text=True))
    decided(proposal, people["chair"])
    log_in(client, people["member"])
    proposal_page = visible(client.get(f"/proposals/{proposal.id}").get_data(as_text=True))
    letters = letter_text(client, proposal, "en") + letter_text(client, proposal, "fr")

    assert "Fix this, 0." in letters  # the reviewers' points are there ...
    first = ethics_review.charter_of(proposal).items[0]
    assert " ".join(first.text["en"].split()[:4]) in letters  # ... under the commitment's words
    for item_id in in_review_ids:
        for name, shown in (("review form", review_page), ("decision form", decision_page), ("side by side", comparison),
                            ("proposal", proposal_page), ("letter", letters)):
            assert item_id not in shown, (item_id, name)


def test_french_forms_show_french_values(client: FlaskClient, people: dict[str, Any], make_user: Any) -> None:
    proposal = submitted(closed_assessment(people["home"], charter={"retention_schedule": "not_met",
                                                                    "consent_assent_procedure": "partly"}), people["member"])
    plain_comments(proposal)
    in_review(proposal, people["chair"])
    french = make_user(role=Role.COMMITTEE, password=PASSWORD, name="Françoise", locale=Locale.FR)
    assignment = ethics_review.assign_reviewer(people["chair"], proposal, french)
    ethics_review.declare_conflicts(french, assignment, False, "")
    db.session.commit()
    log_in(client, french)

    url = f"/committee/assignments/{assignment.id}/review"
    refresh()  # the test's app context, shared by the requests, cached the language of the first one
    page = visible(client.get(url).get_data(as_text=True))

    assert "Non respecté" in page and "Partiellement respecté" in page and "Respecté" in page
    assert "Bloquant" in page or "Condition" in page
    for english in ("not met", "partly", " met ", "blocking", "advisory"):
        assert english not in page, (english, page[max(0, page.find(english) - 200):page.find(english) + 50])


def test_a_condition_cannot_fall_due_before_the_decision(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    reviewed(proposal, people["chair"], people["ben"])
    log_in(client, people["chair"])
    yesterday = date.today() - timedelta(days=1)
    data = {"outcome": "approved_with_conditions", "rationale": "Sound.", "conditions-0-text": "Sign the agreement",
            "conditions-0-owner": "Director", "conditions-0-due_date": yesterday.isoformat(),
            "conditions-0-evidence_required": "The signed agreement"}

    refused = post_form(client, f"/committee/proposals/{proposal.id}/decision", data)

    assert refused.status_code == 400 and "cannot precede the decision date" in refused.get_data(as_text=True)
    assert proposal.decision is None
    with pytest.raises(ReviewRefused, match="before the decision date"):  # the service holds the rule too
        ethics_review.record_committee_decision(people["chair"], proposal, Opinion.APPROVE_WITH_CONDITIONS, "Sound.",
                                                [ConditionInput("Sign", "Director", yesterday, "The agreement")])
    db.session.rollback()
    today = post_form(client, f"/committee/proposals/{proposal.id}/decision",
                      data | {"conditions-0-due_date": date.today().isoformat()})
    assert today.status_code == 302  # due on the decision day itself is allowed


def test_the_chair_home_queues_evidence_waiting_for_a_check(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    reviewed(proposal, people["chair"], people["ben"])
    decided(proposal, people["chair"])
    condition = proposal.conditions[0]
    log_in(client, people["chair"])
    assert "No evidence is waiting for a check." in client.get("/committee/").get_data(as_text=True)

    ethics_conditions.submit_evidence(people["member"], condition, "Signed on 3 May.", [Upload("agreement.pdf", pdf_bytes())])
    db.session.commit()
    page = client.get("/committee/").get_data(as_text=True)

    queue = page[page.index('id="queue-heading"'):page.index('id="mine-heading"')]
    assert condition.text in queue and f"#condition-{condition.id}" in queue
    log_in(client, people["ana"])  # a committee member who is not chair has no queue
    assert 'id="queue-heading"' not in client.get("/committee/").get_data(as_text=True)
