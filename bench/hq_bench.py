"""Measure every headquarters page, export and API list at 500, 5,000 and 20,000 assessments, next to floors.

Usage: .venv/bin/python bench/hq_bench.py [--sizes 500,5000,20000] [--pg postgresql+psycopg://...]
                                          [--requests 20] [--concurrency 2] [--workers 2]

For each size and engine (SQLite always; PostgreSQL with ``--pg``, one database per size named
``<database>_bench_<size>`` beside the one in the URL), it builds once and then reuses a demo portfolio
of 100 delegations, serves it with gunicorn (``bench/bench_wsgi.py``: the product plus floor
routes) on 127.0.0.1 and prints:

- each HQ page's median and p95 latency beside its floor measured in the same run: a bare
  Flask route running one query that returns the same number of rows, written as about the same
  number of bytes (``/bench/floor-rows``; CSV for the exports);
- each export's time to its first body byte, total time, and the peak resident memory of the
  gunicorn workers during it (sampled from ``/proc``), against their memory before;
- a respondent's save (a POST of real answers, alternating levels 2 and 3 so every save changes
  the stored answers; checked on the page afterwards) unloaded, then while two HQ clients
  download the XLSX export in a loop: the ratio should stay under 2.

Every request has a timeout and the number of requests is fixed. Nothing here is a test and
nothing asserts a timing.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HQ_EMAIL, PASSWORD = "hq@demo.readiness.example", "demo-readiness-2026"
TIMEOUT = 300
PAGES = [
    "/hq/",
    "/hq/?region=West+Africa&sort=score&desc=1",
    "/hq/heatmap",
    "/hq/distribution",
    "/hq/flags",
    "/hq/delegations/1/peers",
    "/hq/delegations/1/trend",
    "/api/v1/portfolio",
    "/api/v1/results?limit=1000",
    "/api/v1/benchmark",
]
EXPORTS = ["/hq/export.csv", "/hq/export.xlsx"]

# Invites one social worker to an assessment that is collecting answers; prints the link token.
INVITE = """
from sqlalchemy import select
from readiness import create_app
from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, User
from readiness.services.assessments import open_assessment
from readiness.services.respondents import invite_respondents
app = create_app()
with app.app_context():
    assessment = db.session.scalar(select(Assessment).where(Assessment.status == AssessmentStatus.COLLECTING).limit(1))
    if assessment is None:
        assessment = db.session.scalar(select(Assessment).where(Assessment.status == AssessmentStatus.DRAFT).limit(1))
        open_assessment(None, assessment)
    owner = db.session.scalar(select(User).where(User.email == "admin@demo.readiness.example"))
    invitation = invite_respondents(owner, assessment, role="social_worker")[0]
    db.session.commit()
    print(invitation.token)
"""


def main() -> None:
    args = _arguments()
    engines = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
    for size in args.sizes:
        for engine, url in engines:
            print(f"\n== {size:,} assessments, {args.delegations} delegations, {engine} ==", flush=True)
            env = _prepare(args, size, engine, url)
            RUN[0] = f"{engine} {size:,}"
            _run(args, env)
    _summary()


# (engine and size, target) -> (median ms, floor ms): the last table sets every run side by side.
RESULTS: dict[tuple[str, str], tuple[float, float]] = {}
RUN = [""]


def _summary() -> None:
    runs = list(dict.fromkeys(run for run, _ in RESULTS))
    print("\nmedian ms (x its floor in the same run)")
    print(f"{'target':<44}" + "".join(f"{run:>18}" for run in runs))
    for path in PAGES:
        cells = [RESULTS.get((run, path)) for run in runs]
        print(f"{path:<44}" + "".join(f"{c[0]:>9.1f} ({c[0] / c[1]:4.1f}x)" if c else f"{'':>18}" for c in cells))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=Path, default=Path("/tmp/readiness-hq-bench"))
    parser.add_argument("--sizes", type=lambda v: [int(n) for n in v.split(",")], default=[500, 5000, 20000])
    parser.add_argument("--pg", help="a PostgreSQL URL; each size gets its own database beside it")
    parser.add_argument("--delegations", type=int, default=100)
    parser.add_argument("--requests", type=int, default=20, help="measured requests per target")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--saves", type=int, default=20, help="respondent saves timed, unloaded and loaded")
    return parser.parse_args()


# ---- the instance -------------------------------------------------------------------------

def _prepare(args: argparse.Namespace, size: int, engine: str, url: str | None) -> dict[str, str]:
    """Migrate and load the demo portfolio unless the instance already holds one."""
    instance = args.instances / f"{engine}-{size}"
    instance.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"READINESS_INSTANCE_DIR": str(instance), "READINESS_ENV": "development", "FLASK_DEBUG": "0",
                        "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = _own_database(url, f"{urlsplit(url).path.strip('/') or 'readiness'}_bench_{size}")
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run(
        [*flask, "demo", "load", "--delegations", str(args.delegations), "--assessments", str(size)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    print(done.stdout.splitlines()[0], f"({time.perf_counter() - started:.0f} s)", flush=True)
    return env


def _own_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` if missing; :return: its URL."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _start(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    log = open(Path(env["READINESS_INSTANCE_DIR"]) / "gunicorn.log", "ab")  # access and app logs, out of the way
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--max-requests", "0", "bench_wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _request(port, "/healthz")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- HTTP ---------------------------------------------------------------------------------

def _request(port: int, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
             body: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _first_byte(port: int, path: str, headers: dict[str, str]) -> tuple[float, float, int]:
    """:return: seconds to the first body byte, seconds to the last, and the body's size."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first = response.read(1)
        first_at = time.perf_counter() - started
        rest = response.read()
        return first_at, time.perf_counter() - started, len(first) + len(rest)
    finally:
        connection.close()


def _cookie(headers: dict[str, str]) -> str:
    return headers["set-cookie"].split(";", 1)[0]


def _csrf(html: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()


def _log_in(port: int) -> str:
    _status, headers, page = _request(port, "/login")
    form = urlencode({"email": HQ_EMAIL, "password": PASSWORD, "csrf_token": _csrf(page)})
    status, headers, _ = _request(port, "/login", method="POST", body=form, headers={
        "Cookie": _cookie(headers), "Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        sys.exit(f"login failed ({status})")
    return _cookie(headers)


def _issue_token(port: int, cookie: str) -> str:
    _status, headers, page = _request(port, "/hq/api", headers={"Cookie": cookie})
    cookie = _cookie(headers) if "set-cookie" in headers else cookie
    form = urlencode({"name": f"bench {time.time():.0f}", "csrf_token": _csrf(page)})
    _status, _headers, page = _request(port, "/hq/api/tokens", method="POST", body=form, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    return re.search(rb'id="new-token"[^>]*>([^<]+)<', page).group(1).decode()


# ---- one run ------------------------------------------------------------------------------

def _run(args: argparse.Namespace, env: dict[str, str]) -> None:
    invited = subprocess.run([str(BIN / "python"), "-c", INVITE], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True, timeout=300)
    link = invited.stdout.strip().splitlines()[-1]
    server, port = _start(env, args.workers)
    try:
        cookie = _log_in(port)
        token = _issue_token(port, cookie)
        auth = {"Authorization": f"Bearer {token}"}
        print(f"gunicorn -w {args.workers}, {args.requests} requests per target, concurrency {args.concurrency}")
        print(f"{'target':<46}{'rows':>7}{'kB':>7}{'median ms':>11}{'p95 ms':>9}{'floor ms':>10}{'x floor':>8}")
        for path in PAGES:
            _page_line(port, path, auth if path.startswith("/api/") else {"Cookie": cookie}, args)
        _exports(port, cookie, server.pid, args)
        _saves(port, link, cookie, args)
    finally:
        server.terminate()
        server.wait(timeout=60)


def _times(port: int, path: str, headers: dict[str, str], args: argparse.Namespace) -> tuple[list[float], bytes]:
    def one(_n: int) -> tuple[float, bytes]:
        started = time.perf_counter()
        status, _headers, body = _request(port, path, headers=headers)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        return time.perf_counter() - started, body

    for n in range(2 * args.workers):
        one(n)  # warm up each worker's caches
    with ThreadPoolExecutor(args.concurrency) as pool:
        results = list(pool.map(one, range(args.requests)))
    return [seconds for seconds, _ in results], results[-1][1]


def _rows_in(body: bytes) -> int:
    if body.lstrip().startswith(b"{"):
        return max(body.count(b'"delegation_id"'), body.count(b'"assessment_id"'), 1)
    return max(body.count(b"<tr") - 1, 1)  # less the header row


def _page_line(port: int, path: str, headers: dict[str, str], args: argparse.Namespace) -> None:
    latencies, body = _times(port, path, headers, args)
    rows = _rows_in(body)
    floor, _ = _times(port, f"/bench/floor-rows?rows={rows}&bytes={len(body)}", {}, args)
    _line(path, rows, len(body), latencies, floor)


def _line(label: str, rows: int, size: int, latencies: list[float], floor: list[float]) -> None:
    median, floor_median = statistics.median(latencies), statistics.median(floor)
    RESULTS[(RUN[0], label)] = (median * 1000, floor_median * 1000)
    p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"{label:<46}{rows:>7}{size / 1024:>7.0f}{median * 1000:>11.1f}{p95 * 1000:>9.1f}"
          f"{floor_median * 1000:>10.1f}{median / floor_median:>8.1f}", flush=True)


# ---- exports: first byte, memory -----------------------------------------------------------

def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _exports(port: int, cookie: str, master: int, args: argparse.Namespace) -> None:
    print(f"{'export':<22}{'rows':>7}{'MB':>7}{'first byte ms':>15}{'total ms':>10}{'floor ms':>10}"
          f"{'x floor':>8}{'RSS before':>12}{'peak MB':>9}")
    for path in EXPORTS:
        _first_byte(port, path, {"Cookie": cookie})  # warm up
        workers = _workers(master)
        before = max(_rss_mb(pid) for pid in workers)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak.append(max(_rss_mb(pid) for pid in workers))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        first, total, size = _first_byte(port, path, {"Cookie": cookie})
        done.set()
        sampler.join()
        rows = len(_request(port, "/hq/export.csv", headers={"Cookie": cookie})[2].splitlines()) - 1
        floor, _ = _times(port, f"/bench/floor-rows?kind=csv&rows={rows}&bytes={size}", {}, args)
        floor_median = statistics.median(floor)
        print(f"{path:<22}{rows:>7}{size / 2**20:>7.1f}{first * 1000:>15.0f}{total * 1000:>10.0f}"
              f"{floor_median * 1000:>10.0f}{total / floor_median:>8.1f}{before:>12.0f}{max(peak):>9.0f}", flush=True)


# ---- respondents' saves under export load ----------------------------------------------------

class _Form(HTMLParser):
    """The answer form of a respondent page: hidden fields, and each radio group's values."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.checked: dict[str, str] = {}

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


def first_page(port: int, link: str) -> str:
    """The path of a new respondent's first question page, as the welcome page links to it."""
    _status, _headers, welcome = _request(port, f"/r/{link}")
    pages = re.findall(rf'href="(/r/{re.escape(link)}/[a-z_]+)"'.encode(), welcome)
    return next(p.decode() for p in pages if p.rsplit(b"/", 1)[1] not in (b"welcome", b"finish", b"saved", b"closed"))


def _respondent_page(port: int, link: str) -> tuple[str, str, _Form]:
    path = first_page(port, link)
    _status, headers, page = _request(port, path)
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    form = _Form()
    form.feed(page.decode())
    return path, cookie, form


def _save_body(form: _Form, level: str) -> str:
    """Every level question answered with ``level`` (2 or 3), as the page's own form would post it."""
    fields = dict(form.hidden)
    scaled = {name: values for name, values in form.radios.items() if level in values}
    fields.update({name: level for name in scaled})
    fields["go"] = "later"
    return urlencode(fields)


def _saves(port: int, link: str, cookie: str, args: argparse.Namespace) -> None:
    path, respondent_cookie, form = _respondent_page(port, link)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} | ({"Cookie": respondent_cookie} if respondent_cookie else {})
    answered = sum(1 for values in form.radios.values() if "3" in values)
    counter = iter(range(10**9))

    def save() -> float:
        level = "2" if next(counter) % 2 else "3"
        body = _save_body(shown(), level)  # the page as loaded just before: its version fields are current
        started = time.perf_counter()
        status, _headers, _ = _request(port, path, method="POST", body=body, headers=headers)
        if status != 302:
            raise RuntimeError(f"save: HTTP {status}")
        return time.perf_counter() - started

    def shown() -> _Form:
        page = _Form()
        page.feed(_request(port, path, headers={k: v for k, v in headers.items() if k == "Cookie"})[2].decode())
        return page

    save()
    changed = sum(1 for value in shown().checked.values() if value == "3")
    save()
    changed_back = sum(1 for value in shown().checked.values() if value == "2")
    print(f"respondent save: {answered} answers posted; stored after saving 3s then 2s: {changed} and {changed_back}")
    unloaded = [save() for _ in range(args.saves)]
    stop = threading.Event()
    downloads = [0]

    def export_loop() -> None:
        while not stop.is_set():
            _request(port, "/hq/export.xlsx", headers={"Cookie": cookie})
            downloads[0] += 1

    exporters = [threading.Thread(target=export_loop) for _ in range(2)]
    for thread in exporters:
        thread.start()
    time.sleep(1.0)  # both exports under way
    loaded = [save() for _ in range(args.saves)]
    stop.set()
    for thread in exporters:
        thread.join()
    ratio = statistics.median(loaded) / statistics.median(unloaded)
    print(f"{'respondent save, unloaded':<46}{statistics.median(unloaded) * 1000:>11.1f} ms median")
    print(f"{'respondent save, 2 clients exporting XLSX':<46}{statistics.median(loaded) * 1000:>11.1f} ms median"
          f"  ({ratio:.1f}x unloaded; {downloads[0]} exports finished meanwhile)", flush=True)


if __name__ == "__main__":
    main()
