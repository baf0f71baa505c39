"""Response headers that make the browser deny by default."""
from __future__ import annotations

from flask import Flask, Response, g, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Shared, versioned files: the same for everyone, so caching them is safe even when logged in.
CACHEABLE_ENDPOINTS = frozenset({"static"})
# Respondent pages carry their own credential (the link), like a logged-in page.
PRIVATE_BLUEPRINTS = frozenset({"respond"})


def is_private_response() -> bool:
    """Whether this response belongs to someone: a logged-in page or export, an API answer, a respondent's page."""
    if request.endpoint in CACHEABLE_ENDPOINTS:
        return False
    return g.get("user") is not None or g.get("pending_session") is not None or request.blueprint in PRIVATE_BLUEPRINTS


def register_security_headers(app: Flask) -> None:
    hsts = app.config.get("HSTS_ENABLED", False)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        if hsts:
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if is_private_response():
            # Neither the browser's back button nor a shared proxy may keep someone's page or export.
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
