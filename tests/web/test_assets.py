"""Static files for slow links: hashed URLs cached a year, gzip, and the app's own small Plotly bundle."""
from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from readiness.web.assets import compress_static, plotly_js_url

STATIC = Path(__file__).resolve().parents[2] / "readiness" / "static"


def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:16]


def test_static_urls_carry_the_hash_of_their_file(app: Flask) -> None:
    with app.test_request_context():
        assert plotly_js_url() == f"/static/vendor/plotly-readiness.min.js?v={digest('vendor/plotly-readiness.min.js')}"


def test_the_stylesheet_is_kept_a_year_and_not_asked_for_again_on_each_page(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{16})"', page).group(1)
    assert href.endswith(digest("css/app.css"))
    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_url_without_the_current_hash_is_revalidated_by_its_etag(client: FlaskClient) -> None:
    stale = client.get("/static/css/app.css?v=0000000000000000")
    assert stale.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/css/app.css", headers={"If-None-Match": stale.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_plotly_goes_out_gzipped_to_a_browser_that_takes_it(client: FlaskClient) -> None:
    url = "/static/vendor/plotly-readiness.min.js?v=" + digest("vendor/plotly-readiness.min.js")
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(url)
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert packed.mimetype == "text/javascript" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data == (STATIC / "vendor/plotly-readiness.min.js").read_bytes()
    # The bundle holds only the chart types the app draws: a quarter of the full Plotly, a third of that on the wire.
    assert len(plain.data) < 1_300_000 and len(packed.data) < 450_000


def test_the_bundle_holds_every_trace_type_the_charts_use() -> None:
    scripts = (STATIC / "js" / "report-charts.js").read_text() + (STATIC / "js" / "hq-charts.js").read_text()
    used = set(re.findall(r'type: "(\w+)"', scripts)) - {"category", "date"}
    assert used == {"scatterpolar", "bar", "scatter", "heatmap", "box"}
    entry = (STATIC.parents[1] / "vendor" / "plotly" / "entry.js").read_text()
    registered = set(re.findall(r"plotly\.js/lib/(\w+)", entry)) - {"core"}
    assert used - {"scatter"} <= registered  # scatter comes with the core


def test_a_missing_static_file_is_a_404(client: FlaskClient) -> None:
    assert client.get("/static/css/nothing.css").status_code == 404
    assert client.get("/static/../wsgi.py").status_code == 404


def test_compress_writes_a_gz_beside_each_text_file_for_nginx(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "big.js").write_text("var a = 1;\n" * 500)
    (tmp_path / "tiny.css").write_text("a{}")
    written = compress_static(str(tmp_path))
    assert written == [tmp_path / "js" / "big.js.gz"]
    assert gzip.decompress(written[0].read_bytes()) == (tmp_path / "js" / "big.js").read_bytes()


def test_healthz_answers_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
