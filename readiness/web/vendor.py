"""Third-party browser assets served by the app itself (field offices may be offline)."""
from __future__ import annotations

from importlib import metadata, resources

from flask import Blueprint, current_app, send_file, url_for
from flask.typing import ResponseReturnValue

from readiness.web.auth import public

bp = Blueprint("vendor", __name__)


def _plotly_path():
    return resources.files("plotly") / "package_data" / "plotly.min.js"


@bp.get("/static/vendor/plotly.min.js")
@public
def plotly_js() -> ResponseReturnValue:
    """Serve Plotly's bundled JavaScript with a long cache lifetime."""
    return send_file(
        str(_plotly_path()),
        mimetype="text/javascript",
        max_age=current_app.config["VENDOR_MAX_AGE"],
        conditional=True,
    )


def plotly_js_url() -> str:
    """URL of the Plotly bundle; the version in the query busts caches on upgrade."""
    return url_for("vendor.plotly_js", v=metadata.version("plotly"))
