"""Logging in one place: JSON lines on stdout, each with the request id that the response carries.

Application log lines come from three hooks, so no view or service logs by hand:

- every audit entry of a notable kind (logins, closings, decisions, purges, erasures, restores)
  is logged once its transaction commits, naming ids, never names or e-mail addresses;
- every download (a response sent as an attachment) is logged as an export;
- errors: Flask logs unhandled exceptions on ``app.logger``, which writes here with the traceback.

gunicorn writes the access log (see ``gunicorn.conf.py``), with the same request id.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

LOGGER_NAME = "readiness"
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_PENDING = "readiness.log_events"
# Audit actions worth a log line; the rest stay in the audit trail only.
LOGGED_ACTIONS = ("user.login", "user.locked", "assessment.close", "assessment.reopen", "decision.record",
                  "proposal.decide", "data.", "backup.")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
        }
        line |= {key: value for key, value in vars(record).items() if key not in _STANDARD and key not in line}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is now (test runners and gunicorn replace it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def configure_logging(app: Flask) -> None:
    """Send the app's log to stdout as JSON lines (once per process) and tag requests with an id."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(getattr(h, "readiness_json", False) for h in logger.handlers):
        handler = StdoutHandler()
        handler.setFormatter(JsonFormatter())
        handler.readiness_json = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        logger.propagate = False
        event.listen(Session, "after_commit", _log_committed)
        event.listen(Session, "after_soft_rollback", _forget_pending)
    app.before_request(_assign_request_id)
    app.after_request(_finish_request)


def _assign_request_id() -> None:
    # A proxy's id is kept so nginx, gunicorn and the app name the same request alike.
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    disposition = response.headers.get("Content-Disposition", "")
    if disposition.startswith("attachment") and response.status_code == 200:
        user = g.get("user")
        log_event("export", endpoint=request.endpoint, user_id=getattr(user, "id", None))
    return response


def log_event(name: str, **fields: Any) -> None:
    """Write one application log line, ``name`` being a dotted event such as ``data.purge``."""
    logging.getLogger(LOGGER_NAME).info(name, extra={"event": name, **fields})


def remember_for_log(session: Session, action: str, fields: dict[str, Any]) -> None:
    """Keep a notable audit action until its transaction commits (a rolled-back one is not logged)."""
    if action.startswith(LOGGED_ACTIONS):
        session.info.setdefault(_PENDING, []).append((action, fields))


def _log_committed(session: Session) -> None:
    for action, fields in session.info.pop(_PENDING, []):
        log_event(action, **fields)


def _forget_pending(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)
