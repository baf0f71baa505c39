"""One's own account: preferred language and password."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _

from readiness.extensions import db
from readiness.forms.accounts import PasswordChangeForm, PreferencesForm, role_label
from readiness.models import Locale
from readiness.services import accounts
from readiness.web.auth import log_in

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    """Show one's account and change the preferred language."""
    form = PreferencesForm(locale=g.user.locale.value)
    if form.validate_on_submit():
        locale = Locale(form.locale.data)
        accounts.set_locale(g.user, locale)
        db.session.commit()
        session["lang"] = locale.value
        with force_locale(locale.value):
            flash(_("Your language preference is saved."), "success")
        return redirect(url_for("account.preferences"))
    status = 400 if form.errors else 200
    return render_template("account/preferences.html", form=form, role_label=role_label), status


@bp.route("/password", methods=["GET", "POST"])
def password() -> ResponseReturnValue:
    """Change one's password; other sessions of the account are logged out."""
    form = PasswordChangeForm(email=g.user.email)
    if form.validate_on_submit():
        try:
            accounts.change_password(g.user, form.current_password.data or "", form.new_password.data or "")
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            log_in(g.user)  # the old session proof no longer matches: start a fresh session here
            flash(_("Your password is changed. Other devices where you were logged in are now logged out."), "success")
            return redirect(url_for("account.preferences"))
    status = 400 if form.errors else 200
    return render_template("account/password.html", form=form), status
