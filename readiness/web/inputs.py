"""Every submitted value passes through one cleaning step, and every redirect target through one check.

``CleanRequest`` makes ``request.form``, ``request.args`` and multipart fields hold cleaned text, so
forms, search filters and the login all see text without NUL or control characters (stripped, not
refused: no one types them on purpose, and refusing would lose the rest of what was typed).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, url_for
from flask.wrappers import Request
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from readiness.domain.plaintext import BIDI_CONTROLS, clean_input, isolate_bidi


def _clean(value: Any) -> Any:
    return clean_input(value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Query and form parameters with every key and text value cleaned (uploaded files pass as they are)."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            pairs = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            pairs = mapping.items()
        else:
            pairs = mapping
        super().__init__([(_clean(key), _clean(value)) for key, value in pairs])


class CleanRequest(Request):
    parameter_storage_class = CleanParameters


def safe_redirect_target(target: str | None, fallback: str = "main.index") -> str:
    """A path on this site to go to after a form, or the ``fallback`` endpoint's URL.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so
    ``/\\t/evil.example`` or ``/\\\\evil.example`` lead off-site: anything but a plain local path is refused.
    """
    if not target or not target.isprintable() or "\\" in target or any(ch.isspace() for ch in target):
        return url_for(fallback)
    try:
        parts = urlsplit(target)
    except ValueError:
        return url_for(fallback)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return url_for(fallback)
    return target


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` in a template: direction overrides stay inside the value that brought them."""
    if value.__class__ is str and BIDI_CONTROLS.isdisjoint(value):
        return value  # the common case, decided without a call: a page writes thousands of values
    if isinstance(value, str) and not isinstance(value, Markup):
        return isolate_bidi(value)
    return value


def register_input_hygiene(app: Flask) -> None:
    app.request_class = CleanRequest
    app.jinja_env.finalize = _finalize
