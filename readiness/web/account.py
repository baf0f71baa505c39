"""One's own account: preferred language, password and second factor."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _

from readiness.domain.policies import needs_second_factor
from readiness.extensions import db
from readiness.forms.accounts import CodeForm, ConfirmForm, PasswordChangeForm, PreferencesForm, role_label
from readiness.models import Locale
from readiness.services import accounts
from readiness.services import two_factor as second_factor
from readiness.web.auth import log_in, second_factor_missing

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
    """Change one's password (first of all when it is temporary); every other session ends."""
    form = PasswordChangeForm(email=g.user.email)
    if form.validate_on_submit():
        try:
            accounts.change_password(g.user, form.current_password.data or "", form.new_password.data or "")
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            log_in(g.user)  # every session of the account has ended: start a fresh one here
            db.session.commit()
            flash(_("Your password is changed. Other devices where you were logged in are now logged out."), "success")
            return redirect(url_for("account.two_factor" if second_factor_missing(g.user) else "account.preferences"))
    status = 400 if form.errors else 200
    return render_template("account/password.html", form=form, temporary=g.user.must_change_password), status


@bp.get("/two-factor")
def two_factor() -> ResponseReturnValue:
    """Show whether the second factor is on, and what can be done about it."""
    return render_template(
        "account/two_factor.html", required=needs_second_factor(g.user), missing=second_factor_missing(g.user),
        remaining=second_factor.remaining_recovery_codes(g.user), start=ConfirmForm(),
        renew_form=CodeForm(prefix="renew"), off_form=CodeForm(prefix="off"),
    )


@bp.post("/two-factor/start")
def start_two_factor() -> ResponseReturnValue:
    """Make a new secret for the authenticator app, then show it."""
    if not ConfirmForm().validate_on_submit() or g.user.has_second_factor:
        abort(400)
    second_factor.start_enrolment(g.user)
    db.session.commit()
    return redirect(url_for("account.setup_two_factor"))


@bp.route("/two-factor/setup", methods=["GET", "POST"])
def setup_two_factor() -> ResponseReturnValue:
    """Scan the QR code, type the app's code; recovery codes are shown once."""
    if g.user.has_second_factor or not g.user.totp_secret:
        return redirect(url_for("account.two_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = second_factor.confirm_enrolment(g.user, form.code.data or "")
        if codes is not None:
            db.session.commit()
            return _show_recovery_codes(codes, first=True)
        form.code.errors.append(_("This code is not right. Check that the phone's clock is right and type the code shown now."))
    secret = g.user.totp_secret
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("account/two_factor_setup.html", form=form, secret=grouped), 400 if form.errors else 200


@bp.get("/two-factor/qr.png")
def two_factor_qr() -> ResponseReturnValue:
    """The QR code of the secret being set up (never of one already in use)."""
    if g.user.has_second_factor or not g.user.totp_secret:
        abort(404)
    response = make_response(second_factor.qr_png(g.user))
    response.mimetype = "image/png"
    return response


@bp.post("/two-factor/recovery-codes")
def renew_recovery_codes() -> ResponseReturnValue:
    """Replace the recovery codes, after a code from the app."""
    form = CodeForm(prefix="renew")
    codes = second_factor.regenerate_recovery_codes(g.user, form.code.data or "") if form.validate_on_submit() else None
    if codes is None:
        flash(_("This code is not right. Codes change every 30 seconds."), "error")
        return redirect(url_for("account.two_factor"))
    db.session.commit()
    return _show_recovery_codes(codes, first=False)


@bp.post("/two-factor/off")
def turn_off_two_factor() -> ResponseReturnValue:
    """Turn the second factor off, where the role allows it, after a code from the app."""
    form = CodeForm(prefix="off")
    if form.validate_on_submit() and second_factor.turn_off(g.user, form.code.data or ""):
        db.session.commit()
        flash(_("The second factor is off."), "success")
    else:
        flash(_("The second factor stays on: the code is not right, or your role requires it."), "error")
    return redirect(url_for("account.two_factor"))


def _show_recovery_codes(codes: list[str], *, first: bool) -> ResponseReturnValue:
    response = make_response(render_template("account/recovery_codes.html", codes=codes, first=first))
    response.headers["Cache-Control"] = "no-store"
    return response
