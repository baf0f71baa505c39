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
from concurrent.futures import ThreadPoolExecutor
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


def page_form(port: int, path: str) -> tuple[str, str]:
    """Answer every level question on a respondent page with 3; :return: the form body and cookie."""
    _, headers, body = request(port, path)
    html = body.decode()
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields.update({name: "3" for name in set(re.findall(r'type="radio"[^>]*name="([^"]+)"[^>]*value="3"', html))})
    fields["go"] = "later"
    return urlencode(fields), headers.get("set-cookie", "").split(";", 1)[0]


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
            body: str | None = None) -> list[float]:
    """Time ``count`` requests (a form POST when ``body`` is given: a save answered by a redirect)."""
    deadline = time.monotonic() + seconds
    method, expected = ("POST", 302) if body else ("GET", 200)
    headers = {"Cookie": cookie} | ({"Content-Type": "application/x-www-form-urlencoded"} if body else {})

    def one(_index: int) -> float | None:
        if time.monotonic() > deadline:
            return None
        started = time.perf_counter()
        status, _, _ = request(port, path, method=method, body=body, headers=headers)
        if status != expected:
            raise RuntimeError(f"{method} {path}: HTTP {status}")
        return (time.perf_counter() - started) * 1000

    request(port, path, method=method, body=body, headers=headers)  # warm up each worker's caches
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
            respond_page = request(port, f"/r/{token}")[1]["location"]
            respond_path = "/" + respond_page.split("/", 3)[-1] if respond_page.startswith("http") else respond_page
            save_body, respond_cookie = page_form(port, respond_path)
            respond_bytes = len(request(port, respond_path)[2])
            cookie = log_in(port)
            report, pdf = f"/assessments/{args.assessment}/report", f"/assessments/{args.assessment}/report.pdf"
            page_bytes = len(request(port, report, headers={"Cookie": cookie})[2])
            pdf_pages = len(PdfReader(io.BytesIO(request(port, pdf, headers={"Cookie": cookie})[2])).pages)
            # Size the floors like the real thing: rows of ~250 bytes; ~18 paragraphs per page.
            targets = [
                ("respondent page", respond_path, respond_cookie, None),
                ("respondent page save", respond_path, respond_cookie, save_body),
                ("floor: bare Flask page like it", "/bench/floor-page?rows=" + str(max(1, respond_bytes // 250)), cookie, None),
                ("report page", report),
                ("floor: bare Flask page like it", "/bench/floor-page?rows=" + str(max(1, page_bytes // 250))),
                ("report PDF", pdf),
                ("floor: bare ReportLab PDF", "/bench/floor-pdf?paragraphs=" + str(pdf_pages * 18)),
            ]
            print(f"gunicorn -w {args.workers}, {args.concurrency} client threads, up to {args.requests} requests "
                  f"per target; report page {page_bytes // 1024} KiB, PDF {pdf_pages} pages")
            print(f"{'target':<34}{'n':>5}{'median ms':>12}{'p95 ms':>10}")
            for name, path, *rest in targets:
                who, body = rest if rest else (cookie, None)
                times = measure(port, path, who, args.requests, args.concurrency, args.seconds, body)
                print(f"{name:<34}{len(times):>5}{statistics.median(times):>12.1f}{p95(times):>10.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
