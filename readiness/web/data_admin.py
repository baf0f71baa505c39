"""Data protection (admins only): retention periods, the purge, erasure on request."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.domain.policies import can_manage_users
from readiness.extensions import db
from readiness.forms.data import ErasureForm, PurgeForm
from readiness.services import erasure, retention
from readiness.web.auth import allowed

bp = Blueprint("data_admin", __name__, url_prefix="/admin/data")


@bp.before_request
def _admins_only() -> None:
    allowed(can_manage_users)


@bp.get("")
def index() -> ResponseReturnValue:
    """Show retention periods, what a purge would remove now, and the latest purges and erasures."""
    return _index(PurgeForm())


def _index(form: PurgeForm, status: int = 200) -> ResponseReturnValue:
    return render_template("data_admin/index.html", days=retention.retention_days(), plan=retention.plan_purge(),
                           form=form, records=erasure.erasure_records(), kinds=erasure.KINDS), status


@bp.post("/purge")
def purge() -> ResponseReturnValue:
    """Apply the retention periods now."""
    form = PurgeForm()
    if not form.validate_on_submit():
        return _index(form, 400)
    plan = retention.plan_purge()
    retention.apply_purge(g.user, plan)
    db.session.commit()
    flash(_("Purge done: %(n)d records and files removed.", n=sum(plan.counts().values())), "success")
    return redirect(url_for(".index"))


@bp.route("/erase/<kind>", methods=["GET", "POST"])
def erase(kind: str) -> ResponseReturnValue:
    """Show what an erasure removes; erase it once confirmed with a reason."""
    if kind not in erasure.KINDS:
        abort(404)
    target = erasure.find_target(kind, request.values.get("ref", ""))
    if target is None:
        flash(_("Nothing found with this number or e-mail."), "error")
        return redirect(url_for(".index"))
    form = ErasureForm()
    if form.validate_on_submit():
        try:
            erasure.erase(g.user, target, form.reason.data)
        except erasure.ErasureRefused:
            form.confirm.errors.append(_("You cannot erase your own account."))
        else:
            db.session.commit()
            flash(_("Erased. The record of this erasure is listed below."), "success")
            return redirect(url_for(".index"))
    return render_template("data_admin/erase.html", kind=kind, target=target, preview=erasure.preview(target),
                           form=form), 400 if form.errors else 200
