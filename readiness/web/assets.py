"""Static files for slow links: URLs that carry a hash of the content, a year in the cache, gzip.

``url_for("static", filename=...)`` adds ``?v=<hash of the file>``, so a file's URL changes
whenever the file does and a browser may keep it a year without asking again
(``Cache-Control: public, max-age=31536000, immutable``). A request without the current hash
(an old page, a hand-typed URL) gets the file with ``no-cache``: the browser revalidates it
with its ETag. Text files go out gzip-compressed to clients that accept it, compressed once per
worker and kept in memory; ``flask assets compress`` writes the same ``.gz`` files beside the
originals for nginx's ``gzip_static`` (deploy/nginx.conf).
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

from flask import Flask, Response, abort, current_app, request, url_for
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
HASHED = f"public, max-age={YEAR}, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_COMPRESSED = 1024  # smaller files gain nothing from compression
PLOTLY = "vendor/plotly-readiness.min.js"


@dataclass(frozen=True)
class Asset:
    path: Path
    mtime: float
    digest: str  # the first 16 hex digits of the content's SHA-256
    body: bytes
    gzipped: bytes | None  # None when not worth compressing
    mimetype: str


class Assets:
    """The static folder's files, read, hashed and compressed once, read again when they change."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._found: dict[str, Asset] = {}
        self._lock = Lock()

    def get(self, filename: str) -> Asset | None:
        """:return: the file under the static folder, or None when there is none."""
        joined = safe_join(self.folder, filename)
        path = Path(joined) if joined else None
        if path is None or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        asset = self._found.get(filename)
        if asset is None or asset.mtime != mtime:
            asset = read_asset(path, mtime)
            with self._lock:
                self._found[filename] = asset
        return asset


def read_asset(path: Path, mtime: float) -> Asset:
    body = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mimetype == "application/javascript":
        mimetype = "text/javascript"
    worth = mimetype.startswith(COMPRESSIBLE) or mimetype == "text/javascript"
    gzipped = gzip.compress(body, compresslevel=9, mtime=0) if worth and len(body) >= MIN_COMPRESSED else None
    return Asset(path, mtime, hashlib.sha256(body).hexdigest()[:16], body, gzipped, mimetype)


def serve_static(filename: str) -> Response:
    """Send a static file: a year in the cache when the URL carries its hash, gzip when the client takes it."""
    asset = current_app.extensions["assets"].get(filename)
    if asset is None:
        abort(404)
    packed = asset.gzipped is not None and "gzip" in request.accept_encodings
    response = Response(asset.gzipped if packed else asset.body, mimetype=asset.mimetype)
    if packed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(asset.digest + ("-gz" if packed else ""))
    response.headers["Cache-Control"] = HASHED if request.args.get("v") == asset.digest else REVALIDATE
    response.make_conditional(request)
    return response


def _add_hash(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        asset = current_app.extensions["assets"].get(values["filename"])
        if asset is not None:
            values["v"] = asset.digest


def plotly_js_url() -> str:
    """URL of the app's own Plotly bundle (only the chart types it draws; see vendor/plotly/)."""
    return url_for("static", filename=PLOTLY)


def register_assets(app: Flask) -> None:
    """Serve the static folder through ``serve_static`` and hash its URLs."""
    app.extensions["assets"] = Assets(str(app.static_folder))
    app.view_functions["static"] = serve_static
    app.url_defaults(_add_hash)


def compress_static(folder: str) -> list[Path]:
    """Write ``<file>.gz`` beside every file worth compressing, for a web server that serves them itself.

    :return: the files written.
    """
    written = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and path.suffix != ".gz":
            asset = read_asset(path, path.stat().st_mtime)
            if asset.gzipped is not None:
                target = path.with_name(path.name + ".gz")
                target.write_bytes(asset.gzipped)
                written.append(target)
    return written
