"""Logging in and out; who the current user is; deny by default.

Every endpoint needs a logged-in user unless it is on the short public list below or in a
public blueprint (respondent links carry their own token). The session cookie holds only a
random session id; the database row decides whether it still works (see services.sessions).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from time import sleep
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from readiness.domain import policies
from readiness.domain.policies import needs_second_factor
from readiness.extensions import db
from readiness.forms.accounts import CodeForm
from readiness.models import User
from readiness.services import accounts, sessions, two_factor
from readiness.web.inputs import safe_redirect_target

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset({"static"})
PUBLIC_BLUEPRINTS = frozenset({"respond"})  # respondent links: the token in the URL is the credential
SESSION_KEY = "sid"
# What a logged-in user may still reach before changing a temporary password or setting up
# a required second factor.
ALWAYS_REACHABLE = frozenset({"static", "auth.logout", "main.set_language"})
SECOND_FACTOR_SETUP = frozenset({"account.two_factor", "account.start_two_factor", "account.setup_two_factor", "account.two_factor_qr"})


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def _limits() -> sessions.Limits:
    config = current_app.config
    return sessions.Limits(idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                           absolute=timedelta(minutes=config["SESSION_ABSOLUTE_MINUTES"]))


def _clear_session() -> None:
    # Everything but the chosen language goes, the cached CSRF token too.
    lang = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)
    if lang:
        session["lang"] = lang


def _new_cookie(token: str) -> None:
    # A fresh cookie at every step of logging in stops session fixation.
    _clear_session()
    session[SESSION_KEY] = token
    session.permanent = True


def log_in(user: User) -> None:
    """Start a full session for ``user`` (the password, and the second factor if any, were right)."""
    _new_cookie(sessions.start_session(user))
    session["lang"] = user.locale.value


def load_current_user() -> None:
    g.user = None
    g.user_session = None
    g.pending_session = None
    if SESSION_KEY not in session:
        return
    row = sessions.find_session(session.get(SESSION_KEY), _limits())
    if db.session.dirty or db.session.new:
        db.session.commit()  # the session's last request, or its end: the auth layer's own write
    if row is None:
        session.pop(SESSION_KEY, None)
    elif row.second_factor_pending:
        g.pending_session = row
    else:
        g.user_session = row
        g.user = row.user


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


def require_account_steps() -> ResponseReturnValue | None:
    """Before anything else: change a temporary password, then set up a required second factor."""
    user, endpoint = g.user, request.endpoint
    if g.user_session is None or endpoint is None or endpoint in ALWAYS_REACHABLE:
        return None
    if user.must_change_password:
        return None if endpoint == "account.password" else redirect(url_for("account.password"))
    if second_factor_missing(user) and endpoint not in SECOND_FACTOR_SETUP:
        return redirect(url_for("account.two_factor"))
    return None


def second_factor_missing(user: User) -> bool:
    return current_app.config["SECOND_FACTOR_REQUIRED"] and needs_second_factor(user) and not user.has_second_factor


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
    """Log in with email and password; then the second factor, if the account has one."""
    form = LoginForm()
    if form.validate_on_submit():
        delay = accounts.login_delay(request.remote_addr)
        if delay:
            db.session.rollback()  # hold no database transaction while waiting
            sleep(delay)
        outcome = accounts.authenticate(form.email.data or "", form.password.data or "", ip=request.remote_addr)
        user = outcome.user
        if user is not None and user.has_second_factor:
            _new_cookie(sessions.start_session(user, second_factor_pending=True))
            db.session.commit()
            return redirect(url_for("auth.verify", next=request.args.get("next")))
        if user is not None:
            log_in(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_url(user))
        db.session.commit()
        form.password.errors.append(outcome.message)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/login/code", methods=["GET", "POST"])
@public
def verify() -> ResponseReturnValue:
    """Ask for the code from the authenticator app (or a recovery code) after the password."""
    pending = g.pending_session
    if pending is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        used = two_factor.verify(pending.user, form.code.data or "")
        if used:
            sessions.end_session(pending)
            log_in(pending.user)
            db.session.commit()
            if used == "recovery":
                flash(_("You used a recovery code; %(num)d are left. Each works once.",
                        num=two_factor.remaining_recovery_codes(pending.user)), "warning")
            return redirect(_safe_next(request.args.get("next")) or home_url(pending.user))
        if not sessions.count_failed_code(pending):
            db.session.commit()
            session.pop(SESSION_KEY, None)
            flash(_("Too many wrong codes. Log in again."), "error")
            return redirect(url_for("auth.login"))
        db.session.commit()
        form.code.errors.append(_("This code is not right, or was already used. Codes change every 30 seconds."))
    return render_template("auth/verify.html", form=form), 200 if not form.errors else 400


def _safe_next(target: str | None) -> str | None:
    """:return: ``target`` when it is a plain path on this site, else None (the caller picks the home page)."""
    if not target:
        return None
    return target if safe_redirect_target(target) == target else None


def home_url(user: User) -> str:
    """:return: where ``user`` starts: the committee's queue, the HQ portfolio or their delegations."""
    if policies.is_committee(user):
        return url_for("committee.index")
    if policies.is_headquarters(user):
        return url_for("hq.portfolio")
    if policies.can_list_delegations(user):
        return url_for("delegation.index")
    return url_for("main.index")


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out: this session stops working, even in a copy of the cookie."""
    if g.user_session is not None:
        sessions.end_session(g.user_session)
        db.session.commit()
    _clear_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


def register_auth(app: Any) -> None:
    app.before_request(load_current_user)
    app.before_request(require_login)
    app.before_request(require_account_steps)

    @app.context_processor
    def _current_user() -> dict[str, Any]:
        return {"current_user": g.get("user")}
