"""Error pages that tell people what they can do next."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, ServiceUnavailable

from readiness.extensions import db
from readiness.services.locking import EditConflict
from readiness.sqlite import is_locked_error


def _render(error: HTTPException) -> tuple[str, int]:
    return render_template("errors/error.html", error=error), error.code or 500


def _conflict(_error: EditConflict | StaleDataError) -> tuple[str, int]:
    # Two people saved the same record: keep the first save, refuse the second clearly.
    # The database's own version check (StaleDataError) and a form's (EditConflict) read alike.
    db.session.rollback()
    conflict = Conflict(
        _("Someone else saved this record while you were editing it. "
          "Reload the page to see their changes, then make yours again.")
    )
    return _render(conflict)


def _busy(error: OperationalError) -> tuple[str, int, dict[str, str]]:
    # SQLite kept another writer's lock past the timeout: nothing of this request was saved.
    if not is_locked_error(error):
        raise error
    db.session.rollback()
    busy = ServiceUnavailable(
        _("Many people are saving at this moment, and nothing of yours was saved. "
          "Go back: what you typed is still on the page. Send it again in a few seconds.")
    )
    body, status = _render(busy)
    return body, status, {"Retry-After": "5"}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _render)
    app.register_error_handler(StaleDataError, _conflict)
    app.register_error_handler(EditConflict, _conflict)
    app.register_error_handler(OperationalError, _busy)
