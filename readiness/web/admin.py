"""Administration (admins only): user accounts and delegations."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.domain.policies import can_manage_users
from readiness.extensions import db
from readiness.forms.accounts import (
    ROLE_HINTS,
    ROLE_LABELS,
    ConfirmForm,
    DelegationForm,
    UserForm,
    context_label,
    role_label,
)
from readiness.models import ContextType, Delegation, Role, User
from readiness.services import accounts, two_factor
from readiness.services.locking import EditConflict
from readiness.web import once
from readiness.web.auth import allowed

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> None:
    allowed(can_manage_users)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"role_label": role_label, "context_label": context_label, "role_hints": ROLE_HINTS, "is_locked": accounts.is_locked}


@bp.get("")
def index() -> ResponseReturnValue:
    """Open the administration at the list of users."""
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users() -> ResponseReturnValue:
    """List users, optionally filtered by a name or email fragment and a role."""
    search = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    role_filter = Role(role) if role in Role._value2member_map_ else None
    found = accounts.find_users(search, role_filter)
    return render_template("admin/users.html", users=found, search=search, role=role, roles=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> ResponseReturnValue:
    """Create an account; its temporary password is shown once."""
    form = UserForm(delegations=accounts.all_delegations())
    if form.validate_on_submit():
        if (earlier := once.spend(form)) is not None:
            return earlier
        try:
            user, temporary = accounts.create_user(g.user, **_user_fields(form), is_active=form.is_active.data)
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            once.lead_to(url_for("admin.edit_user", user_id=user.id))  # the password is not shown twice
            db.session.commit()
            return _show_temporary_password(user, temporary or "", created=True)
    return render_template("admin/user_form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    """Edit an account: details, role, status and delegations."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, delegations=accounts.all_delegations())
    if request.method == "GET":
        form.delegations.data = sorted(user.delegation_ids)
    status, conflict = 200, False
    if form.validate_on_submit():
        try:
            changed = accounts.update_user(
                g.user, user, version=_version(form), is_active=form.is_active.data, **_user_fields(form)
            )
        except EditConflict:
            status, conflict = 409, True
            form.version_id.data = user.version_id  # saving again now overwrites, knowingly
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=user.name) if changed else _("Nothing to save: no field was changed."), "success")
            return redirect(url_for("admin.users") if can_manage_users(g.user) else url_for("main.index"))
    status = 400 if form.errors else status
    return render_template(
        "admin/user_form.html", form=form, user=user, conflict=conflict,
        history=accounts.history_of(user), actions=ConfirmForm(),
    ), status


@bp.post("/users/<int:user_id>/reset-password")
def reset_password(user_id: int) -> ResponseReturnValue:
    """Give an account a new temporary password, shown once; its sessions end."""
    user = db.get_or_404(User, user_id)
    password = accounts.reset_password(g.user, user)
    db.session.commit()
    return _show_temporary_password(user, password, created=False)


@bp.post("/users/<int:user_id>/reset-two-factor")
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    """Remove a user's lost second factor; they set it up again at their next login."""
    user = db.get_or_404(User, user_id)
    two_factor.reset(g.user, user)
    db.session.commit()
    flash(_("The second factor of %(name)s is reset; they are logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/unlock")
def unlock_user(user_id: int) -> ResponseReturnValue:
    """Lift a lock set by failed logins."""
    user = db.get_or_404(User, user_id)
    accounts.unlock_user(g.user, user)
    db.session.commit()
    flash(_("%(name)s can log in again.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.get("/delegations")
def delegations() -> ResponseReturnValue:
    """List delegations with their number of members."""
    return render_template("admin/delegations.html", delegations=accounts.all_delegations())


@bp.route("/delegations/new", methods=["GET", "POST"])
def new_delegation() -> ResponseReturnValue:
    """Create a delegation."""
    form = DelegationForm()
    if form.validate_on_submit():
        if (earlier := once.spend(form)) is not None:
            return earlier
        try:
            delegation = accounts.create_delegation(g.user, **_delegation_fields(form))
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            url = once.lead_to(url_for("admin.delegations"))
            db.session.commit()
            flash(_("%(name)s is created.", name=delegation.name), "success")
            return redirect(url)
    return render_template("admin/delegation_form.html", form=form, delegation=None), 400 if form.errors else 200


@bp.route("/delegations/<int:delegation_id>", methods=["GET", "POST"])
def edit_delegation(delegation_id: int) -> ResponseReturnValue:
    """Edit a delegation's name, country, region and context."""
    delegation = db.get_or_404(Delegation, delegation_id)
    form = DelegationForm(obj=delegation)
    status, conflict = 200, False
    if form.validate_on_submit():
        try:
            changed = accounts.update_delegation(g.user, delegation, version=_version(form), **_delegation_fields(form))
        except EditConflict:
            status, conflict = 409, True
            form.version_id.data = delegation.version_id
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=delegation.name) if changed else _("Nothing to save: no field was changed."), "success")
            return redirect(url_for("admin.delegations"))
    status = 400 if form.errors else status
    return render_template("admin/delegation_form.html", form=form, delegation=delegation, conflict=conflict), status


def _version(form: UserForm | DelegationForm) -> int:
    try:
        return int(form.version_id.data)
    except (TypeError, ValueError):
        abort(400)


def _user_fields(form: UserForm) -> dict[str, Any]:
    chosen = set(form.delegations.data or [])
    return {
        "email": form.email.data or "",
        "name": form.name.data or "",
        "role": Role(form.role.data),
        "delegations": [d for d in accounts.all_delegations() if d.id in chosen],
    }


def _delegation_fields(form: DelegationForm) -> dict[str, Any]:
    return {
        "name": form.name.data or "",
        "country": form.country.data or "",
        "region": form.region.data or "",
        "context_type": ContextType(form.context_type.data),
    }


def _show_temporary_password(user: User, password: str, *, created: bool) -> ResponseReturnValue:
    response = make_response(render_template("admin/temporary_password.html", user=user, password=password, created=created))
    response.headers["Cache-Control"] = "no-store"  # the password must not stay in any cache
    return response

