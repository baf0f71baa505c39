"""Measure the respondent page, a page save, the report page and PDF under gunicorn, next to their floors.

Usage: .venv/bin/python bench/report_bench.py [--requests 60] [--concurrency 4] [--seconds 60]
Prints median and p95 latency per target. Everything runs on 127.0.0.1 with demo data in a
temporary instance directory; nothing here is a test and nothing asserts a timing.
"""
from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
LOGIN = ("member@demo.readiness.example", "demo-readiness-2026")  # from readiness.services.demo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port: int, path: str, *, method: str = "GET", body: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


# Invites one social worker to a demo assessment that is collecting answers; prints the link token.
INVITE = """
from sqlalchemy import select
from readiness import create_app
from readiness.extensions import db
from readiness.models import Assessment
from readiness.services.respondents import invite_respondents
app = create_app()
with app.app_context():
    assessment = db.session.scalar(select(Assessment).where(Assessment.status == "collecting").limit(1))
    invitation = invite_respondents(None, assessment, role="social_worker")[0]
    db.session.commit()
    print(invitation.token)
"""


def prepare(instance: str) -> tuple[dict[str, str], str]:
    """:return: the environment for the server and a respondent's link token."""
    env = os.environ | {"READINESS_INSTANCE_DIR": instance, "READINESS_ENV": "development", "FLASK_APP": "wsgi"}
    env.pop("DATABASE_URL", None)
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    invited = subprocess.run([str(BIN / "python"), "-c", INVITE], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True, timeout=120)
    return env, invited.stdout.strip().splitlines()[-1]


def first_page(port: int, token: str) -> str:
    """The path of a new respondent's first question page, as the welcome page links to it."""
    welcome = request(port, f"/r/{token}")[2]
    pages = re.findall(rf'href="(/r/{re.escape(token)}/[a-z_]+)"'.encode(), welcome)
    return next(p.decode() for p in pages if p.rsplit(b"/", 1)[1] not in (b"welcome", b"finish", b"saved", b"closed"))


class AnswerForm(HTMLParser):
    """A respondent page's form as a browser sees it: hidden fields, radio groups, what is checked."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.checked: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag != "input" or not a.get("name"):
            return
        if a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value") or ""
        elif a.get("type") == "radio":
            self.radios.setdefault(a["name"], []).append(a.get("value") or "")
            if "checked" in a:
                self.checked[a["name"]] = a.get("value") or ""

    def body(self, level: str) -> str:
        """Every level question answered with ``level``, with the page's hidden fields (link proof, CSRF)."""
        fields = dict(self.hidden) | {name: level for name, values in self.radios.items() if level in values}
        return urlencode(fields | {"go": "later"})


def fresh_body(port: int, path: str, cookie: str, level: str) -> str:
    """Load the page (its version fields move with each save), then answer every level question with ``level``."""
    return AnswerForm(request(port, path, headers={"Cookie": cookie})[2].decode()).body(level)


def page_form(port: int, path: str) -> tuple[AnswerForm, str]:
    """:return: the respondent page's form and its cookie."""
    _, headers, body = request(port, path)
    return AnswerForm(body.decode()), headers.get("set-cookie", "").split(";", 1)[0]


def check_saves_change_answers(port: int, path: str, form: AnswerForm, cookie: str) -> int:
    """Save 3s then 2s and read the page back each time. :return: the answers posted per save.

    :raise SystemExit: when a save does not change what the page shows (the bench would time nothing).
    """
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    for level in ("3", "2"):
        request(port, path, method="POST", body=fresh_body(port, path, cookie, level), headers=headers)
        shown = AnswerForm(request(port, path, headers={"Cookie": cookie})[2].decode()).checked
        if not shown or any(value != level for value in shown.values()):
            raise SystemExit(f"a save of level {level} did not change the stored answers: {shown}")
    return sum(1 for values in form.radios.values() if "3" in values)


def start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    env = env | {"PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "FLASK_DEBUG": "0"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"{HOST}:{port}", "--log-level", "warning", "bench_wsgi:app"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def log_in(port: int) -> str:
    """Log in through the login form, as a browser would; :return: the Cookie header."""
    status, headers, body = request(port, "/login")
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
    form = urlencode({"email": LOGIN[0], "password": LOGIN[1], "csrf_token": token})
    status, headers, _ = request(port, "/login", method="POST", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    if status != 302:
        raise SystemExit(f"login failed with HTTP {status}")
    return headers["set-cookie"].split(";", 1)[0]


def measure(port: int, path: str, cookie: str, count: int, concurrency: int, seconds: float,
            bodies: Callable[[int], str] | None = None) -> list[float]:
    """Time ``count`` requests (form POSTs of ``bodies(n)`` when given: saves answered by a redirect).

    Only the POST is timed; building its body may load the page first.
    """
    deadline = time.monotonic() + seconds
    method, expected = ("POST", 302) if bodies else ("GET", 200)
    headers = {"Cookie": cookie} | ({"Content-Type": "application/x-www-form-urlencoded"} if bodies else {})

    def one(index: int) -> float | None:
        if time.monotonic() > deadline:
            return None
        body = bodies(index) if bodies else None
        started = time.perf_counter()
        status, _, _ = request(port, path, method=method, body=body, headers=headers)
        if status != expected:
            raise RuntimeError(f"{method} {path}: HTTP {status}")
        return (time.perf_counter() - started) * 1000

    request(port, path, method=method, body=bodies(0) if bodies else None, headers=headers)  # warm up
    with ThreadPoolExecutor(concurrency) as pool:
        return [t for t in pool.map(one, range(count)) if t is not None]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="requests per target (default 60)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per target (default 60)")
    parser.add_argument("--assessment", type=int, default=1, help="demo assessment to report on (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as instance:
        env, token = prepare(instance)
        port = free_port()
        server = start(env, port, args.workers)
        try:
            respond_path = first_page(port, token)
            form, respond_cookie = page_form(port, respond_path)
            answered = check_saves_change_answers(port, respond_path, form, respond_cookie)
            respond_bytes = len(request(port, respond_path)[2])
            cookie = log_in(port)
            report, pdf = f"/assessments/{args.assessment}/report", f"/assessments/{args.assessment}/report.pdf"
            page_bytes = len(request(port, report, headers={"Cookie": cookie})[2])
            pdf_pages = len(PdfReader(io.BytesIO(request(port, pdf, headers={"Cookie": cookie})[2])).pages)
            # Size the floors like the real thing: rows of ~250 bytes; the PDF's own page count.
            targets = [
                ("respondent page", respond_path, respond_cookie, None),
                ("respondent page save (levels 3/2)", respond_path, respond_cookie,
                 lambda n: fresh_body(port, respond_path, respond_cookie, "3" if n % 2 else "2")),
                ("floor: bare Flask page like it", "/bench/floor-page?rows=" + str(max(1, respond_bytes // 250)), cookie, None),
                ("report page", report),
                ("floor: bare Flask page like it", "/bench/floor-page?rows=" + str(max(1, page_bytes // 250))),
                ("report PDF", pdf),
                ("floor: bare ReportLab PDF", f"/bench/floor-pdf?pages={pdf_pages}"),
            ]
            floor_pages = len(PdfReader(io.BytesIO(request(port, f"/bench/floor-pdf?pages={pdf_pages}")[2])).pages)
            print(f"gunicorn -w {args.workers}, {args.concurrency} client threads, up to {args.requests} requests "
                  f"per target; report page {page_bytes // 1024} KiB, PDF {pdf_pages} pages (floor {floor_pages}); "
                  f"each save posts {answered} answers, alternating levels 3 and 2")
            print(f"{'target':<34}{'n':>5}{'median ms':>12}{'p95 ms':>10}")
            for name, path, *rest in targets:
                who, body = rest if rest else (cookie, None)
                # One respondent saves one page at a time (concurrent saves of the same answers would conflict).
                times = measure(port, path, who, args.requests, 1 if body else args.concurrency, args.seconds, body)
                print(f"{name:<34}{len(times):>5}{statistics.median(times):>12.1f}{p95(times):>10.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
