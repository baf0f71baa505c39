"""Public pages: health check (start page to come)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """Tell load balancers and tests that the app is up."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
