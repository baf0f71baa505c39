"""Logging in and out; who the current user is; deny by default.

Every endpoint needs a logged-in user unless it is on the short public list below or in a
public blueprint (respondent links carry their own token).
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from readiness.extensions import db
from readiness.models import User
from readiness.services import accounts
from readiness.web.inputs import safe_redirect_target

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset({"static"})
PUBLIC_BLUEPRINTS = frozenset({"respond"})  # respondent links: the token in the URL is the credential
SESSION_KEY = "auth"


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def session_proof(user: User) -> str:
    """Ties the session to the current password: changing it logs out every other session."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{user.id}:{user.password_hash}".encode(), hashlib.sha256).hexdigest()[:32]


def _new_session() -> None:
    # A fresh session at login stops session fixation; the cached CSRF token goes with it.
    session.clear()
    g.pop("csrf_token", None)


def log_in(user: User) -> None:
    _new_session()
    session[SESSION_KEY] = {"id": user.id, "proof": session_proof(user)}
    session["lang"] = user.locale.value
    session.permanent = True


def load_current_user() -> None:
    g.user = None
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return
    user = db.session.get(User, data.get("id"))
    if user is not None and user.is_active and hmac.compare_digest(str(data.get("proof")), session_proof(user)):
        g.user = user
    else:
        session.pop(SESSION_KEY, None)


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as reachable without logging in; every other view needs a login."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def require_login() -> ResponseReturnValue | None:
    """Deny by default: only views marked ``@public`` are reachable without logging in."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # unknown URL: let the 404 handler answer
    view = current_app.view_functions.get(endpoint)
    if endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS or getattr(view, "is_public", False):
        return None
    if g.user is None:
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
    return None


def allowed(predicate: Callable[..., bool], *args: Any) -> None:
    """Abort with 403 unless ``predicate(g.user, *args)`` holds."""
    if not predicate(g.user, *args):
        abort(403)


def role_required(predicate: Callable[[Any], bool]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a view (or a whole blueprint's views) with a policy on the user alone."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            allowed(predicate)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    """Log in with email and password; repeated failures lock the account for a while."""
    form = LoginForm()
    if form.validate_on_submit():
        outcome = accounts.authenticate(form.email.data or "", form.password.data or "", ip=request.remote_addr)
        db.session.commit()
        if outcome.user is not None:
            log_in(outcome.user)
            return redirect(safe_redirect_target(request.args.get("next")))
        form.password.errors.append(outcome.message)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out."""
    _new_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


def register_auth(app: Any) -> None:
    app.before_request(load_current_user)
    app.before_request(require_login)

    @app.context_processor
    def _current_user() -> dict[str, Any]:
        return {"current_user": g.get("user")}
