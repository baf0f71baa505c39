"""Public pages: the start page, the method page, the language switch and the health checks."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from readiness.definitions import get_definitions
from readiness.extensions import db
from readiness.questionnaire.loader import version_key
from readiness.web.auth import public
from readiness.web.inputs import safe_redirect_target

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def index() -> ResponseReturnValue:
    """Show what Readiness assesses and which definitions are loaded."""
    definitions = get_definitions()
    questionnaires = sorted(definitions.questionnaires.values(), key=lambda q: (q.id, version_key(q.version)))
    charters = sorted(definitions.charters.values(), key=lambda c: (c.id, version_key(c.version)))
    return render_template("main/index.html", questionnaires=questionnaires, charters=charters)


@bp.get("/method")
@bp.get("/method/<qid>/<version>")
@public
def method(qid: str | None = None, version: str | None = None) -> ResponseReturnValue:
    """Explain, from the definition files, how scores, flags and the recommendation are computed."""
    definitions = get_definitions()
    try:
        questionnaire = definitions.questionnaire(qid, version) if qid and version else definitions.latest_questionnaire("readiness")
    except KeyError:
        abort(404)
    charter = definitions.latest_charter() if definitions.charters else None
    return render_template("main/method.html", q=questionnaire, charter=charter)


@bp.post("/language")
@public
def set_language() -> ResponseReturnValue:
    """Remember the chosen interface language for this browser."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(safe_redirect_target(request.form.get("next")))


@bp.get("/healthz")
@public
def healthz() -> tuple[str, int, dict[str, str]]:
    """Tell the process supervisor that the app answers (liveness: no database involved)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/readyz")
@public
def readyz() -> tuple[str, int, dict[str, str]]:
    """Tell the load balancer whether this server can serve requests: 503 while the database is unreachable."""
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.error("readiness check failed: database unreachable", exc_info=True)
        return "database unavailable", 503, headers
    return "ready", 200, headers
