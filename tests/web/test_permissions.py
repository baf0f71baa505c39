"""Who may open what: one role × endpoint matrix over every route, and no link a reader may not follow.

Adding a route? Add its row to ``MATRIX`` (``test_every_route_is_in_the_matrix`` fails until you do).
A row says how to reach the endpoint in the ``world`` fixture and what each actor gets:
200, ``LOGIN`` (sent to the login page), 403, 404, 401, ``REDIRECT`` (a redirect elsewhere) or
``PASS`` (authorised: neither of the refusals, for POSTs whose answer depends on the data).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from readiness import create_app
from readiness.definitions import get_definitions
from readiness.domain.collection import pages_for_role
from readiness.domain.paper import SheetCode
from readiness.domain.review import Mark, Opinion
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models import ActionItem, ContextType, Delegation, Role, User
from readiness.services import api_tokens, ethics, ethics_review, evidence, respondents
from readiness.services.answers import ensure_answer
from readiness.services.assessments import close_assessment, open_assessment, start_assessment
from readiness.services.ethics_review import ConditionInput, ItemMark
from readiness.services import sessions
from readiness.web.auth import SESSION_KEY

from ..conftest import delete_all_rows, settings_for
from ..helpers import csrf_token_in

ANON, LINK, OUTSIDER, MEMBER, HQ, COMMITTEE, CHAIR, ADMIN = (
    "anonymous", "respondent_link", "other_delegation_member", "delegation_member", "hq", "committee", "chair", "admin",
)
ACTORS = (ANON, LINK, OUTSIDER, MEMBER, HQ, COMMITTEE, CHAIR, ADMIN)
LOGGED_IN = (OUTSIDER, MEMBER, HQ, COMMITTEE, CHAIR, ADMIN)
LOGIN, REDIRECT, PASS = "login", "redirect", "pass"

# Who is allowed, for the assessment and delegation of the world below.
STAFF = (MEMBER, HQ, ADMIN)  # see the delegation and its assessments
RUNNERS = (MEMBER, ADMIN)  # run them
HEADQUARTERS = (HQ, ADMIN)
MEMBERS = (OUTSIDER, MEMBER)
COMMITTEE_READERS = (COMMITTEE, CHAIR)  # the chair, and the reviewer assigned to the proposal
PROPOSAL_READERS = (*STAFF, *COMMITTEE_READERS)


@dataclass(frozen=True)
class Row:
    url: Callable[[Any, str], str]
    expected: dict[str, Any]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


def row(url: str | Callable[[Any], str], allowed: Iterable[str], *, ok: Any = 200, method: str = "GET",
        denied: Any = 403, anonymous: Any = LOGIN, data: dict[str, Any] | None = None) -> Row:
    """A logged-in-only endpoint: ``allowed`` actors get ``ok``, other logged-in ones ``denied``."""
    allowed = set(allowed)
    expected = {actor: (ok if actor in allowed else denied) for actor in LOGGED_IN}
    expected |= {ANON: anonymous, LINK: anonymous}
    return Row(_url(url), expected, method, data or {})


def everyone(url: str | Callable[[Any], str], outcome: Any = 200, *, method: str = "GET", data: dict[str, Any] | None = None) -> Row:
    return Row(_url(url), dict.fromkeys(ACTORS, outcome), method, data or {})


def respondent_only(path: str, ok: Any = 200, *, method: str = "GET", data: dict[str, Any] | None = None) -> Row:
    """A respondent-link page: the valid token works, anyone else is holding an unknown link."""
    def url(world: Any, actor: str) -> str:
        token = world.token if actor == LINK else "unknown-link-" + "x" * 30
        return path.format(token=token, w=world)

    return Row(url, {actor: (ok if actor == LINK else 404) for actor in ACTORS}, method, data or {})


def _url(url: str | Callable[[Any], str]) -> Callable[[Any, str], str]:
    if callable(url):
        return lambda world, _actor: url(world)
    return lambda world, _actor: url.format(w=world)


A, C = "/assessments/{w.collecting}", "/assessments/{w.closed}"
P = "/proposals/{w.proposal}"

MATRIX: dict[str, Row] = {
    # Public pages and assets
    "main.index": everyone("/"),
    "main.method": everyone("/method"),
    "main.healthz": everyone("/healthz"),
    "main.readyz": everyone("/readyz"),
    "main.set_language": everyone("/language", REDIRECT, method="POST", data={"lang": "fr", "next": "/"}),
    "static": everyone("/static/css/app.css"),
    "auth.login": everyone("/login"),
    "auth.logout": row("/logout", LOGGED_IN, ok=REDIRECT, method="POST"),
    # The second step of logging in: without a password just checked, back to the first step.
    "auth.verify": everyone("/login/code", LOGIN),
    # One's own account
    "account.preferences": row("/account", LOGGED_IN),
    "account.password": row("/account/password", LOGGED_IN),
    "account.two_factor": row("/account/two-factor", LOGGED_IN),
    "account.start_two_factor": row("/account/two-factor/start", LOGGED_IN, ok=REDIRECT, method="POST"),
    # Without a set-up under way there is no QR code to show, and the set-up page leads back.
    "account.setup_two_factor": row("/account/two-factor/setup", LOGGED_IN, ok=REDIRECT),
    "account.two_factor_qr": row("/account/two-factor/qr.png", LOGGED_IN, ok=404),
    "account.renew_recovery_codes": row("/account/two-factor/recovery-codes", LOGGED_IN, ok=REDIRECT, method="POST"),
    "account.turn_off_two_factor": row("/account/two-factor/off", LOGGED_IN, ok=REDIRECT, method="POST"),
    # Administration
    "admin.index": row("/admin", (ADMIN,), ok=REDIRECT),
    "admin.users": row("/admin/users", (ADMIN,)),
    "admin.new_user": row("/admin/users/new", (ADMIN,)),
    "admin.edit_user": row("/admin/users/{w.users[hq]}", (ADMIN,)),
    "admin.reset_password": row("/admin/users/{w.users[hq]}/reset-password", (ADMIN,), method="POST"),
    "admin.reset_two_factor": row("/admin/users/{w.users[hq]}/reset-two-factor", (ADMIN,), ok=REDIRECT, method="POST"),
    "admin.unlock_user": row("/admin/users/{w.users[hq]}/unlock", (ADMIN,), ok=REDIRECT, method="POST"),
    "admin.delegations": row("/admin/delegations", (ADMIN,)),
    "admin.new_delegation": row("/admin/delegations/new", (ADMIN,)),
    "admin.edit_delegation": row("/admin/delegations/{w.home}", (ADMIN,)),
    "data_admin.index": row("/admin/data", (ADMIN,)),
    "data_admin.purge": row("/admin/data/purge", (ADMIN,), ok=PASS, method="POST"),  # unconfirmed: nothing purged
    "data_admin.erase": row("/admin/data/erase/assessment?ref={w.collecting}", (ADMIN,)),
    "data_admin.erase:POST": row("/admin/data/erase/assessment?ref={w.collecting}", (ADMIN,), ok=PASS, method="POST"),
    # A delegation's assessments
    "delegation.index": row("/delegations", (*MEMBERS, *HEADQUARTERS)),
    "delegation.home": row("/delegations/{w.home}", STAFF),
    "delegation.create_assessment": row("/delegations/{w.home}/assessments", RUNNERS, ok=PASS, method="POST",
                                        data={"title": "Second look", "tool_name": "Primero"}),
    "delegation.assessment": row(A, STAFF),
    "delegation.audit": row(A + "/audit", STAFF),
    # The figures and the charter self-assessment belong to the delegation running the assessment.
    # A row "endpoint:POST" checks a view's POST where it could be guarded apart from its GET.
    "delegation.charter": row(A + "/charter", RUNNERS),
    "delegation.charter:POST": row(A + "/charter", RUNNERS, ok=PASS, method="POST"),
    "delegation.figures": row(A + "/figures", RUNNERS),
    "delegation.figures:POST": row(A + "/figures", RUNNERS, ok=PASS, method="POST"),
    "delegation.evidence": row(A + "/evidence/{w.evidence}", STAFF),
    "delegation.invite": row(A + "/respondents", RUNNERS, ok=PASS, method="POST", data={"role": "manager", "count": "1"}),
    "delegation.new_links": row(A + "/links", RUNNERS, ok=PASS),
    "delegation.move": row(A + "/status", RUNNERS, ok=PASS, method="POST", data={"transition": "close"}),
    "delegation.reissue": row(A + "/respondents/{w.respondent}/reissue", RUNNERS, ok=PASS, method="POST"),
    "delegation.revoke": row(A + "/respondents/{w.respondent}/revoke", RUNNERS, ok=PASS, method="POST"),
    # Collecting beyond the web pages: XLSForms for everyone who sees the assessment; imports for those who run it
    "collect.xlsform": row(A + "/xlsform/manager.xlsx", STAFF),
    "collect.import_file": row(A + "/import", RUNNERS),
    "collect.confirm_import": row(A + "/import/confirm", RUNNERS, ok=REDIRECT, method="POST"),
    "links.links_csv": row(A + "/links/links.csv", RUNNERS, ok=PASS, method="POST"),
    "links.slips": row(A + "/links/slips.pdf", RUNNERS, ok=PASS, method="POST"),
    "links.email": row(A + "/links/email", RUNNERS, ok=PASS, method="POST"),
    "links.remind": row(A + "/remind", RUNNERS, ok=REDIRECT, method="POST"),
    "paper.index": row(A + "/paper", RUNNERS),
    "paper.pdf": row(A + "/paper.pdf?role=partner&copies=1", RUNNERS),
    "paper.sheet": row(lambda w: f"/assessments/{w.collecting}/paper/{SheetCode(w.collecting, 1, 1)}", RUNNERS),
    # Reports, decision and action plan (on the closed assessment)
    "reports.report": row(C + "/report", STAFF),
    "reports.report_pdf": row(C + "/report.pdf", STAFF),
    "reports.words": row(C + "/words", STAFF),
    "reports.decision": row(C + "/decision", RUNNERS),
    # Only the decision's author may amend it; nobody can amend an assessment that has no decision yet.
    "reports.amend_decision": row(C + "/decision/amend", ()),
    "reports.actions": row(C + "/actions", STAFF),
    "reports.create_action": row(C + "/actions", RUNNERS, ok=PASS, method="POST", data={"title": "Train supervisors"}),
    "reports.actions_from_flags": row(C + "/actions/from-flags", RUNNERS, ok=PASS, method="POST"),
    "reports.edit_action": row(C + "/actions/{w.action}/edit", RUNNERS),
    "reports.delete_action": row(C + "/actions/{w.action}/delete", RUNNERS, ok=PASS, method="POST"),
    "reports.mask_words": row(A + "/words/{w.answer}/mask", RUNNERS, ok=PASS, method="POST", data={"masked": "1"}),
    # Follow-ups after go-live (the closed assessment has no decision: nothing to date or start; it is no follow-up)
    "followups.set_go_live": row(C + "/go-live", RUNNERS, ok=REDIRECT, method="POST", data={"go_live_on": "2026-01-01"}),
    "followups.start": row(C + "/followups/3", RUNNERS, ok=REDIRECT, method="POST"),
    "followups.comparison": row(C + "/comparison", STAFF, ok=404),
    "followups.import_kpis": row(A + "/figures/import", RUNNERS),
    "followups.fetch_primero": row(A + "/figures/import/primero", RUNNERS, ok=REDIRECT, method="POST"),  # not configured
    "followups.confirm_kpis": row(A + "/figures/import/confirm", RUNNERS, ok=REDIRECT, method="POST"),
    "calibration.index": row("/hq/calibration/", HEADQUARTERS),
    "calibration.add_note": row("/hq/calibration/notes", HEADQUARTERS, ok=PASS, method="POST", data={"text": "Too early."}),
    # Headquarters
    "hq.portfolio": row("/hq/", HEADQUARTERS),
    "hq.compare": row("/hq/compare?a={w.closed}&b={w.closed_earlier}", HEADQUARTERS),
    "hq.distribution": row("/hq/distribution", HEADQUARTERS),
    "hq.export": row("/hq/export.csv", HEADQUARTERS),
    "hq.flags": row("/hq/flags", HEADQUARTERS),
    "hq.heatmap": row("/hq/heatmap", HEADQUARTERS),
    "hq.peers": row("/hq/delegations/{w.home}/peers", HEADQUARTERS),
    "hq.trend": row("/hq/delegations/{w.home}/trend", HEADQUARTERS),
    "hq.api_access": row("/hq/api", HEADQUARTERS),
    "hq.issue_token": row("/hq/api/tokens", HEADQUARTERS, ok=PASS, method="POST", data={"name": "Power BI"}),
    # An admin may not revoke another person's token: only its holder does.
    "hq.revoke_token": row("/hq/api/tokens/{w.api_token}/revoke", (HQ,), ok=REDIRECT, method="POST"),
    # The JSON API takes bearer tokens only: a browser session is not a credential there.
    "api.openapi": everyone("/api/v1/openapi.json"),  # the API's description is public; its data is not
    "api.benchmark": everyone("/api/v1/benchmark", 401),
    "api.delegations": everyone("/api/v1/delegations", 401),
    "api.portfolio": everyone("/api/v1/portfolio", 401),
    "api.results": everyone("/api/v1/results", 401),
    "api.trend": everyone("/api/v1/delegations/{w.home}/trend", 401),
    "api.followups": everyone("/api/v1/assessments/{w.closed}/followups", 401),
    # Ethics proposals: the delegation's side (no committee-only content), readable by the committee's readers
    # The assessment already has a proposal: the delegation is taken to it.
    "proposals.submit": row(C + "/proposal", RUNNERS, ok=REDIRECT),
    "proposals.show": row(P, PROPOSAL_READERS),
    "proposals.export": row(P + "/export.json", PROPOSAL_READERS),
    "proposals.letter": row(P + "/letter.pdf", PROPOSAL_READERS),
    "proposals.file": row(P + "/files/{w.proposal_file}", PROPOSAL_READERS),
    # A first version has no "changes since the previous one": readers get 404, everyone else 403 first.
    "proposals.changes": row(P + "/changes", PROPOSAL_READERS, ok=404),
    "proposals.condition": row(P + "/conditions/{w.condition}", PROPOSAL_READERS),
    "proposals.condition:POST": row(P + "/conditions/{w.condition}", RUNNERS, ok=PASS, method="POST",
                                    denied=403, data={"note": "Signed."}),
    # Incidents: everyone who reads the proposal sees them; only the delegation logs one.
    "proposals.incidents": row(P + "/incidents", PROPOSAL_READERS),
    "proposals.incidents:POST": row(P + "/incidents", RUNNERS, ok=PASS, method="POST", denied=403,
                                    data={"item_id": "", "description": ""}),
    # The committee's side: the chair, and reviewers who declared no conflict of interest
    "committee.index": row("/committee/", COMMITTEE_READERS),
    "committee.overdue": row("/committee/overdue", (*COMMITTEE_READERS, *HEADQUARTERS)),
    "committee.proposal": row("/committee/proposals/{w.proposal}", COMMITTEE_READERS),
    "committee.reviews": row("/committee/proposals/{w.proposal}/reviews", COMMITTEE_READERS),
    "committee.export_reviews": row("/committee/proposals/{w.proposal}/reviews.csv", COMMITTEE_READERS),
    "committee.screen": row("/committee/proposals/{w.proposal_submitted}/screening", (CHAIR,), ok=PASS, method="POST",
                            data={"route": "full", "note": ""}),
    "committee.assign": row("/committee/proposals/{w.proposal_in_review}/reviewers", (CHAIR,), ok=PASS, method="POST",
                            data={"reviewer": "0"}),
    "committee.decide": row("/committee/proposals/{w.proposal_in_review}/decision", (CHAIR,)),
    # Suspending, withdrawing or reinstating an approval: the chair alone (a conflicted chair neither).
    "committee.approval": row("/committee/proposals/{w.proposal}/approval", (CHAIR,)),
    "committee.check_condition": row("/committee/conditions/{w.condition}/check", (CHAIR,), ok=REDIRECT, method="POST",
                                     data={"action": "verify"}),
    # Only the assigned reviewer opens their own declaration (already made: it leads on to the review).
    "committee.declare": row("/committee/assignments/{w.assignment}/declaration", (COMMITTEE,), ok=REDIRECT),
    "committee.review": row("/committee/assignments/{w.assignment}/review", (COMMITTEE,)),
    # Respondents: the personal link is the credential
    "respond.service_worker": everyone("/r/sw.js"),
    "respond.start": respondent_only("/r/{token}"),  # a fresh link opens on the welcome page
    "respond.welcome": respondent_only("/r/{token}/welcome"),
    "respond.page": respondent_only("/r/{token}/{w.dimension}"),
    "respond.saved": respondent_only("/r/{token}/saved"),
    "respond.finish": respondent_only("/r/{token}/finish"),
    "respond.closed": respondent_only("/r/{token}/closed", REDIRECT),
}


# --- The world every cell runs in ----------------------------------------------------------------


def build_world() -> SimpleNamespace:
    """Two delegations, a user per actor, an assessment collecting answers, closed ones and ethics proposals.

    Returns ids only, so the world can be shared by requests in their own app contexts.
    """
    home = Delegation(name="Mali – Mopti", country="Mali", region="West Africa", context_type=ContextType.ACUTE_EMERGENCY)
    away = Delegation(name="Nepal – Kathmandu", country="Nepal", region="South Asia", context_type=ContextType.STABLE)
    roles = {OUTSIDER: (Role.MEMBER, [away]), MEMBER: (Role.MEMBER, [home]), HQ: (Role.HQ, []),
             COMMITTEE: (Role.COMMITTEE, []), CHAIR: (Role.CHAIR, []), ADMIN: (Role.ADMIN, [])}
    users = {actor: User(email=f"{actor}@example.org", name=actor.title(), role=role, password_hash="!", delegations=ds)
             for actor, (role, ds) in roles.items()}
    db.session.add_all([home, away, *users.values()])
    db.session.flush()
    runner, chair = users[MEMBER], users[CHAIR]

    def assessment(title: str, close: bool = True) -> Any:
        found = start_assessment(runner, home, title=title, tool_name="Primero")
        open_assessment(runner, found)
        if close:
            close_assessment(runner, found)
        return found

    closed_earlier, closed, pending = assessment("Baseline"), assessment("Before rollout"), assessment("Sub-office")
    collecting = assessment("Second look", close=False)
    questionnaire = get_definitions().questionnaire(collecting.questionnaire_id, collecting.questionnaire_version)
    role = questionnaire.roles[0].id
    [invitation] = respondents.invite_respondents(runner, collecting, role=role)
    item = questionnaire.items_for_role(role)[0]
    answer = ensure_answer(invitation.respondent, questionnaire, item.id)
    attached = evidence.attach_to_answer(runner, answer, "minutes.pdf", PDF)
    action = ActionItem(assessment_id=closed.id, source="condition", title="Train supervisors")
    db.session.add(action)
    api_token, _plain = api_tokens.issue_token(users[HQ], "Dashboard")

    decided = _proposal(runner, closed, uploads=[ethics.Upload("data-flows.pdf", PDF)])
    ethics.record_screening(chair, decided, Route.FULL, "")
    assignment = _review(chair, decided, users[COMMITTEE])
    _review(chair, decided, chair)
    ethics_review.record_committee_decision(chair, decided, Opinion.APPROVE_WITH_CONDITIONS, "Sound; one gap.", [
        ConditionInput("Sign the data-sharing agreement", "Country director", date.today() + timedelta(days=30), "It, signed")])
    in_review = _proposal(runner, closed_earlier)
    ethics.record_screening(chair, in_review, Route.FULL, "")
    submitted = _proposal(runner, pending)
    db.session.commit()
    return SimpleNamespace(
        home=home.id, away=away.id, users={actor: user.id for actor, user in users.items()},
        collecting=collecting.id, closed=closed.id, closed_earlier=closed_earlier.id,
        respondent=invitation.respondent.id, token=invitation.token, dimension=pages_for_role(questionnaire, role)[0],
        evidence=attached.id, action=action.id, api_token=api_token.id, answer=answer.id,
        proposal=decided.id, proposal_file=decided.files[0].id, condition=decided.conditions[0].id,
        assignment=assignment.id, proposal_in_review=in_review.id, proposal_submitted=submitted.id,
    )


PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


def _proposal(runner: User, assessment: Any, uploads: list[Any] = ()) -> Any:
    description = {"purpose": "Reminders and follow-up for social workers."}
    flows = {"subjects": ["children"], "categories": ["case_notes"], "storage": "cloud_in_country", "recipients": [],
             "retention_years": 5.0, "automation": "reminders_only", "new_technology": False,
             "legal_framework": "weak", "cases_per_year": 400, "links_other_systems": False}
    return ethics.submit_proposal(runner, assessment, title="Primero for Mopti", summary="A case-management app.",
                                  flows=flows, description=description, uploads=list(uploads))


def _review(chair: User, proposal: Any, reviewer: User) -> Any:
    assignment = ethics_review.assign_reviewer(chair, proposal, reviewer)
    ethics_review.declare_conflicts(reviewer, assignment, False, "")
    marks = {item.id: ItemMark(Mark.ACCEPTABLE, "fine", "") for item in ethics_review.charter_of(proposal).items}
    ethics_review.save_review(reviewer, assignment, marks, opinion=Opinion.APPROVE_WITH_CONDITIONS,
                              opinion_comment="overall", committee_comment="")
    return assignment


@pytest.fixture(scope="module")
def shared_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app whose world is built once and shared by every cell that cannot change it."""
    app = create_app(settings_for(database_url, tmp_path_factory.mktemp("matrix")))
    yield app
    with app.app_context():
        delete_all_rows()
        db.session.remove()  # give the session's connection back, so dispose closes it now
        db.engine.dispose()


_SHARED: dict[str, SimpleNamespace] = {}


@pytest.fixture
def shared_world(shared_app: Flask) -> tuple[Flask, SimpleNamespace]:
    with shared_app.app_context():
        world = _SHARED.get("world")
        # Tests that change state empty the database when they end: build the world again then.
        if world is None or db.session.get(Delegation, world.home) is None:
            delete_all_rows()
            world = _SHARED["world"] = build_world()
        db.session.remove()
    return shared_app, world


@pytest.fixture
def fresh_world(app: Flask) -> tuple[Flask, SimpleNamespace]:
    """A world of its own, for a request allowed to change it (the ``app`` fixture empties it afterwards)."""
    with app.app_context():
        delete_all_rows()  # the shared world's rows would clash with this one's
        world = build_world()
        db.session.remove()
    return app, world


def client_for(app: Flask, world: SimpleNamespace, actor: str) -> FlaskClient:
    """A client logged in as ``actor`` without a password round trip (test_auth covers logging in)."""
    client = app.test_client()
    if actor in (ANON, LINK):
        return client
    with app.app_context():
        sid = sessions.start_session(db.session.get(User, world.users[actor]))
        db.session.commit()
    with client.session_transaction() as session:
        session[SESSION_KEY] = sid
    return client


def call(client: FlaskClient, method: str, url: str, data: dict[str, Any]) -> tuple[int, str]:
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token_in(client.get("/").get_data(as_text=True))
        response = client.post(url, data={**data, "csrf_token": token})
    response.close()  # downloads stream a file that must be closed
    return response.status_code, response.headers.get("Location", "")


def outcome_matches(status: int, location: str, expected: Any) -> bool:
    to_login = 300 <= status < 400 and urlsplit(location).path == "/login"
    if expected == LOGIN:
        return to_login
    if expected == REDIRECT:
        return 300 <= status < 400 and not to_login
    if expected == PASS:
        return status < 500 and status not in (401, 403, 404) and not to_login
    return status == expected


# --- The tests -----------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    rows = {key.split(":")[0] for key in MATRIX}
    assert sorted(endpoints - rows) == [], "add these endpoints to MATRIX in tests/web/test_permissions.py"
    assert sorted(rows - endpoints) == [], "these MATRIX rows name endpoints that no longer exist"


def test_every_row_names_every_actor() -> None:
    assert {endpoint for endpoint, r in MATRIX.items() if set(r.expected) != set(ACTORS)} == set()


CELLS = [pytest.param(endpoint, actor, id=f"{endpoint}-{actor}") for endpoint in MATRIX for actor in ACTORS]


@pytest.mark.parametrize(("endpoint", "actor"), CELLS)
def test_permission_matrix(request: pytest.FixtureRequest, endpoint: str, actor: str) -> None:
    r, expected = MATRIX[endpoint], MATRIX[endpoint].expected[actor]
    changes_state = r.method != "GET" and expected in (200, REDIRECT, PASS)
    app, world = request.getfixturevalue("fresh_world" if changes_state else "shared_world")
    url = r.url(world, actor)

    status, location = call(client_for(app, world, actor), r.method, url, r.data)

    assert outcome_matches(status, location, expected), f"{actor} {r.method} {url}: expected {expected}, got {status} {location}"


LINK_PATTERN = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')


@pytest.mark.parametrize("actor", ACTORS)
def test_pages_show_no_link_the_reader_may_not_follow(shared_world: tuple[Flask, SimpleNamespace], actor: str) -> None:
    """Every link on every page an actor may open leads somewhere they may go: templates hide the rest."""
    app, world = shared_world
    client = client_for(app, world, actor)
    pages = [r.url(world, actor) for r in MATRIX.values() if r.method == "GET" and r.expected[actor] == 200]
    followed: dict[str, int] = {}
    for url in pages:
        response = client.get(url)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        response.close()
        for link in set(LINK_PATTERN.findall(html)) - set(followed):
            followed[link] = call(client, "GET", link.replace("&amp;", "&"), {})[0]
    refused = {link: status for link, status in followed.items() if status in (401, 403, 404) or status >= 500}
    assert refused == {}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_admin_and_account_links_show_only_to_those_who_may_use_them(shared_world, actor: str) -> None:
    app, world = shared_world
    html = client_for(app, world, actor).get("/").get_data(as_text=True)
    assert ('href="/admin/users"' in html) == (actor == ADMIN)
    assert ('href="/account"' in html) == (actor in LOGGED_IN)
