"""Administration: users and delegations, with validation, optimistic locking and audit; `flask users`."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from readiness.models import AuditEntry, ContextType, Delegation, Role, User, utcnow
from readiness.services import accounts

from ..helpers import csrf_token_in
from .test_account import PASSWORD, page, post_login


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, name="Amina Admin", email="admin@example.org")


@pytest.fixture
def make_delegation(db_session):
    def make(name="Mali – Mopti", country="Mali", region="West Africa", context_type=ContextType.ACUTE_EMERGENCY):
        delegation = Delegation(name=name, country=country, region=region, context_type=context_type)
        db_session.add(delegation)
        db_session.commit()
        return delegation

    return make


def submit(client, path, data, form_page=None):
    """Post ``data`` with the CSRF token of ``path`` (or of ``form_page`` when the form lives elsewhere)."""
    token = csrf_token_in(page(client, form_page or path))
    return client.post(path, data={**data, "csrf_token": token})


def user_data(**fields):
    data = {"name": "Fatou Sow", "email": "fatou@example.org", "role": "hq", "is_active": "y"}
    return {key: value for key, value in (data | fields).items() if value is not None}


def temporary_password_in(html):
    match = re.search(r'class="secret"><code>([^<]+)</code>', html)
    assert match, "no temporary password on the page"
    return match.group(1)


def audit(db_session, action):
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- Users ---------------------------------------------------------------------------------------


def test_creating_a_user_shows_a_temporary_password_once_that_works(app, client, admin, make_delegation, db_session):
    mopti = make_delegation()
    response = submit(client, "/admin/users/new", user_data(role="member", delegations=str(mopti.id)))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = temporary_password_in(response.get_data(as_text=True))
    user = db_session.scalar(select(User).where(User.email == "fatou@example.org"))
    assert user.role is Role.MEMBER and user.delegation_ids == {mopti.id}
    assert post_login(app.test_client(), "fatou@example.org", password).status_code == 302
    assert password not in page(client, f"/admin/users/{user.id}")
    [entry] = audit(db_session, "user.create")
    assert entry.actor_id == admin.id and entry.after["delegations"] == ["Mali – Mopti"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Enter an email address such as name@example.org."),
        ({"email": "ADMIN@example.org"}, "Another account already uses this email."),
        ({"role": "member"}, "Tick at least one delegation for a delegation member."),
    ],
)
def test_an_invalid_user_is_refused_with_the_reason_on_the_field(client, admin, db_session, fields, message):
    response = submit(client, "/admin/users/new", user_data(**fields))

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Not saved: correct the fields marked above." in html
    assert db_session.scalar(select(User).where(User.email == "fatou@example.org")) is None


def test_the_new_user_form_defaults_to_the_least_powerful_role(client, admin):
    assert '<option selected value="member">' in page(client, "/admin/users/new")


def test_editing_a_user_changes_role_and_memberships_and_is_audited(client, admin, make_user, make_delegation, db_session):
    mopti, gao = make_delegation(), make_delegation(name="Mali – Gao")
    user = make_user(role=Role.MEMBER, delegations=[mopti], name="Moussa")
    version = user.version_id

    response = submit(client, f"/admin/users/{user.id}", user_data(
        name="Moussa", email=user.email, role="member", delegations=[str(gao.id)], version_id=str(version)))

    assert response.status_code == 302
    assert "Moussa is saved." in page(client, "/admin/users")
    db_session.refresh(user)
    assert user.delegation_ids == {gao.id} and user.version_id > version
    [entry] = audit(db_session, "user.update")
    assert entry.before == {"delegations": ["Mali – Mopti"]} and entry.after == {"delegations": ["Mali – Gao"]}


def test_a_concurrent_edit_is_refused_and_keeps_what_was_typed(client, admin, make_user, db_session):
    user = make_user(role=Role.HQ, name="Henri")
    form_page = page(client, f"/admin/users/{user.id}")
    token = csrf_token_in(form_page)
    stale_version = re.search(r'name="version_id" type="hidden" value="(\d+)"', form_page).group(1)
    accounts.update_user(None, user, version=None, email=user.email, name="Henri (renamed by someone else)",
                         role=Role.HQ, is_active=True, delegations=[])
    db_session.commit()

    data = user_data(name="Henri Quartier", email=user.email, version_id=stale_version, csrf_token=token)
    response = client.post(f"/admin/users/{user.id}", data=data)

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "someone else changed this user while you were editing" in html
    assert 'value="Henri Quartier"' in html and "Henri (renamed by someone else)" in html
    db_session.refresh(user)
    assert user.name == "Henri (renamed by someone else)"
    fresh_version = re.search(r'name="version_id" type="hidden" value="(\d+)"', html).group(1)
    assert client.post(f"/admin/users/{user.id}", data={**data, "version_id": fresh_version}).status_code == 302
    db_session.refresh(user)
    assert user.name == "Henri Quartier"


def test_deactivating_a_user_logs_them_out_at_once(app, client, admin, make_user):
    user = make_user(role=Role.HQ, password=PASSWORD, email="leaving@example.org")
    their_browser = app.test_client()
    post_login(their_browser, user.email, PASSWORD)
    assert their_browser.get("/account").status_code == 200

    submit(client, f"/admin/users/{user.id}", user_data(
        name=user.name, email=user.email, is_active=None, version_id=str(user.version_id)))

    assert their_browser.get("/account").headers["Location"].startswith("/login")
    assert "Deactivated" in page(client, "/admin/users")


def test_the_last_active_administrator_cannot_be_demoted_or_deactivate_themselves(client, admin, db_session):
    demote = submit(client, f"/admin/users/{admin.id}", user_data(
        name=admin.name, email=admin.email, role="hq", version_id=str(admin.version_id)))
    assert demote.status_code == 400
    assert "This is the last active administrator" in demote.get_data(as_text=True)

    deactivate = submit(client, f"/admin/users/{admin.id}", user_data(
        name=admin.name, email=admin.email, role="admin", is_active=None, version_id=str(admin.version_id)))
    assert "You cannot deactivate your own account." in deactivate.get_data(as_text=True)
    db_session.refresh(admin)
    assert admin.role is Role.ADMIN and admin.is_active


def test_resetting_a_password_replaces_it_lifts_the_lock_and_ends_sessions(app, client, admin, make_user, db_session):
    user = make_user(role=Role.HQ, password=PASSWORD, email="forgot@example.org")
    their_browser = app.test_client()
    post_login(their_browser, user.email, PASSWORD)
    user.locked_until = utcnow().replace(year=2999)
    db_session.commit()

    response = submit(client, f"/admin/users/{user.id}/reset-password", {}, form_page=f"/admin/users/{user.id}")

    assert response.headers["Cache-Control"] == "no-store"
    password = temporary_password_in(response.get_data(as_text=True))
    assert their_browser.get("/account").headers["Location"].startswith("/login")
    assert post_login(app.test_client(), user.email, PASSWORD).status_code == 400
    assert post_login(app.test_client(), user.email, password).status_code == 302
    [entry] = audit(db_session, "user.password_reset")
    assert password not in str(entry.before) + str(entry.after)


def test_a_locked_account_can_be_unlocked(app, client, admin, make_user, db_session):
    user = make_user(role=Role.HQ, password=PASSWORD, email="locked@example.org")
    for _ in range(accounts.MAX_FAILURES):
        post_login(app.test_client(), user.email, "wrong", ip="198.51.100.1")
    assert "This account is locked" in page(client, f"/admin/users/{user.id}")

    submit(client, f"/admin/users/{user.id}/unlock", {}, form_page=f"/admin/users/{user.id}")

    assert post_login(app.test_client(), user.email, PASSWORD).status_code == 302
    assert len(audit(db_session, "user.unlock")) == 1


def test_the_user_list_filters_by_name_and_role(client, admin, make_user):
    make_user(role=Role.CHAIR, name="Chen Hui")
    make_user(role=Role.HQ, name="Henri Quartier")
    by_role = page(client, "/admin/users?role=chair")
    assert "Chen Hui" in by_role and "Henri Quartier" not in by_role
    by_name = page(client, "/admin/users?q=henri")
    assert "Henri Quartier" in by_name and "Chen Hui" not in by_name


def test_an_unknown_user_is_not_found(client, admin):
    assert client.get("/admin/users/9999").status_code == 404


# --- Delegations -------------------------------------------------------------------------------


def test_creating_and_renaming_a_delegation(client, admin, db_session):
    created = submit(client, "/admin/delegations/new", {
        "name": "Nepal – Kathmandu", "country": "Nepal", "region": "South Asia", "context_type": "stable"})
    assert created.status_code == 302
    delegation = db_session.scalar(select(Delegation))
    assert "Nepal – Kathmandu" in page(client, "/admin/delegations")

    renamed = submit(client, f"/admin/delegations/{delegation.id}", {
        "name": "Nepal – Kathmandu office", "country": "Nepal", "region": "South Asia",
        "context_type": "protracted_crisis", "version_id": str(delegation.version_id)})

    assert renamed.status_code == 302
    [entry] = audit(db_session, "delegation.update")
    assert entry.after == {"name": "Nepal – Kathmandu office", "context_type": "protracted_crisis"}


def test_a_delegation_name_is_unique_whatever_its_case(client, admin, make_delegation):
    make_delegation(name="Mali – Mopti")
    response = submit(client, "/admin/delegations/new", {
        "name": "MALI – MOPTI", "country": "Mali", "region": "West Africa", "context_type": "stable"})
    assert response.status_code == 400
    assert "Another delegation already has this name." in response.get_data(as_text=True)


def test_a_concurrent_delegation_edit_is_refused(client, admin, make_delegation, db_session):
    delegation = make_delegation()
    stale = delegation.version_id
    delegation.region = "Sahel"
    db_session.commit()

    response = submit(client, f"/admin/delegations/{delegation.id}", {
        "name": delegation.name, "country": "Mali", "region": "West Africa", "context_type": "stable", "version_id": str(stale)})

    assert response.status_code == 409
    assert "someone else changed this delegation" in response.get_data(as_text=True)
    db_session.refresh(delegation)
    assert delegation.region == "Sahel"


def test_administration_is_for_admins_only(client, login_as):
    login_as(Role.HQ)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/delegations/new").status_code == 403


# --- flask users -------------------------------------------------------------------------------


def test_cli_creates_a_user_with_delegations_and_lists_it(runner, make_delegation, db_session):
    make_delegation(name="Guinea – Conakry")
    result = runner.invoke(args=["users", "create", "--email", "Sory@Example.org", "--name", "Sory Camara",
                                 "--role", "member", "--delegation", "Guinea – Conakry", "--password", "long enough secret"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list"]).output
    assert "sory@example.org" in listing and "member" in listing and "Guinea – Conakry" in listing
    assert audit(db_session, "user.create")[0].actor_label.startswith("command line")


def test_cli_asks_for_the_password_twice_and_refuses_a_weak_one(runner, db_session):
    asked = runner.invoke(args=["users", "create", "--email", "a@example.org", "--name", "A", "--role", "hq"],
                          input="long enough secret\nlong enough secret\n")
    assert asked.exit_code == 0, asked.output
    weak = runner.invoke(args=["users", "create", "--email", "b@example.org", "--name", "B", "--role", "hq"],
                         input="short\nshort\n")
    assert weak.exit_code != 0 and "Use at least 12 characters." in weak.output
    assert [u.email for u in db_session.scalars(select(User))] == ["a@example.org"]


def test_cli_names_unknown_delegations_and_taken_emails(runner, make_user, make_delegation):
    make_delegation(name="Guinea – Conakry")
    make_user(email="taken@example.org")
    unknown = runner.invoke(args=["users", "create", "--email", "n@example.org", "--name", "N", "--role", "member",
                                  "--delegation", "Atlantis", "--password", "long enough secret"])
    assert "Unknown delegation: Atlantis. Known: Guinea – Conakry." in unknown.output
    taken = runner.invoke(args=["users", "create", "--email", "taken@example.org", "--name", "T", "--role", "hq",
                                "--password", "long enough secret"])
    assert taken.exit_code != 0 and "Another account already uses this email." in taken.output


def test_cli_warns_about_a_member_without_delegation(runner):
    result = runner.invoke(args=["users", "create", "--email", "m@example.org", "--name", "M", "--role", "member",
                                 "--password", "long enough secret"])
    assert result.exit_code == 0 and "a delegation member without a delegation sees nothing" in result.output
