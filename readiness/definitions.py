"""Load the definition files once per app and hand them out (stub: filled by the loader work)."""
from __future__ import annotations

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    app.extensions["readiness.definitions"] = None


def get_definitions():
    return current_app.extensions["readiness.definitions"]
