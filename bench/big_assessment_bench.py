"""Time one assessment with 10,000 respondents: its page (with the live preview), its report and its closing.

Usage: .venv/bin/python bench/big_assessment_bench.py [--respondents 10000] [--requests 10] [--pg URL]

For SQLite (always) and PostgreSQL (``--pg postgresql+psycopg://...``, an empty database that this
script migrates and fills), it loads the demo plus one collecting assessment of ``--respondents``
people (5 % "don't know", ``flask demo big-assessment``), serves it with gunicorn on 127.0.0.1 with
gunicorn's default 30 s timeout, logs in as the owning member and prints the median and p95 of:

- the assessment page (first page of respondents, counts per role, live preview) and its 100th page;
- the report page while collecting (the live preview again, with the report's own work: the way
  forward re-scored from counts, the newest words per question) and a page of the full list of words;
- closing the assessment (scoring, robustness, the snapshot), then reopening it, ``--closes`` times;
- the floor: a bare Flask page of the same byte size with one query (``/bench/floor-page``), same run.

Nothing here is a test and nothing asserts a timing.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_bench import BIN, HOST, ROOT, free_port, request  # noqa: E402

MEMBER = ("member@demo.readiness.example", "demo-readiness-2026")
TIMEOUT_S = 30  # gunicorn's default: a request slower than this loses its worker
FLOOR_ROW_BYTES = 155  # one row of /bench/floor-page, to match a page's size


def prepare(env: dict[str, str], respondents: int) -> int:
    """Migrate, load the demo and the big assessment; :return: its id."""
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    started = time.perf_counter()
    done = subprocess.run([*flask, "demo", "big-assessment", "--respondents", str(respondents)], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True, timeout=1800)
    print(f"  {done.stdout.strip().splitlines()[-1]} (loaded in {time.perf_counter() - started:.0f} s)")
    return int(re.search(r"Assessment (\d+)", done.stdout).group(1))


def start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    env = env | {"PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "FLASK_DEBUG": "0"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-t", str(TIMEOUT_S), "-b", f"{HOST}:{port}",
         "--log-level", "warning", "--access-logfile", "/dev/null", "bench_wsgi:app"], cwd=ROOT, env=env,
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
    _status, headers, body = request(port, "/login")
    cookie = headers["set-cookie"].split(";", 1)[0]
    form = urlencode({"email": MEMBER[0], "password": MEMBER[1], "csrf_token": _csrf(body)})
    status, headers, _ = request(port, "/login", method="POST", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    if status != 302:
        raise SystemExit(f"login failed with HTTP {status}")
    return headers["set-cookie"].split(";", 1)[0]


def _csrf(body: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()


def timed_get(port: int, path: str, cookie: str, count: int) -> tuple[list[float], int]:
    """:return: ``count`` latencies in ms (after one warm-up request) and the page's size in bytes."""
    request(port, path, headers={"Cookie": cookie})
    times, size = [], 0
    for _ in range(count):
        started = time.perf_counter()
        status, _headers, body = request(port, path, headers={"Cookie": cookie})
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        times.append((time.perf_counter() - started) * 1000)
        size = len(body)
    return times, size


def timed_closes(port: int, assessment_id: int, cookie: str, count: int) -> list[float]:
    """Close (timed) and reopen (untimed) the assessment ``count`` times; it is left collecting."""
    page = f"/assessments/{assessment_id}"
    times = []
    for _ in range(count):
        for transition in ("close", "reopen"):
            _status, headers, body = request(port, page, headers={"Cookie": cookie})
            cookie = headers["set-cookie"].split(";", 1)[0] if "set-cookie" in headers else cookie  # the CSRF secret
            form = urlencode({"transition": transition, "csrf_token": _csrf(body)})
            started = time.perf_counter()
            status, _headers, _body = request(port, f"{page}/status", method="POST", body=form, headers={
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
            if status != 302:
                raise RuntimeError(f"{transition}: HTTP {status}")
            if transition == "close":
                times.append((time.perf_counter() - started) * 1000)
    return times


def line(label: str, times: list[float], floor: float | None, size: int | None = None) -> None:
    median = statistics.median(times)
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    ratio = f"{median / floor:8.1f}" if floor else f"{'':>8}"
    kb = f"{size / 1024:8.0f}" if size is not None else f"{'':>8}"
    print(f"  {label:<42} {len(times):>3} {median:>10.1f} {p95:>9.1f} {ratio} {kb}")


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> None:
    print(f"{label}:")
    assessment_id = prepare(env, args.respondents)
    port = free_port()
    server = start(env, port, args.workers)
    try:
        cookie = log_in(port)
        page = f"/assessments/{assessment_id}"
        targets = [("assessment page (live preview, page 1)", page), ("assessment page, respondents' page 100", f"{page}?page=100"),
                   ("report page (live preview)", f"{page}/report"),
                   ("what people said, one question, page 2", f"{page}/words?item=worries&page=2")]
        measured = [(name, *timed_get(port, path, cookie, args.requests)) for name, path in targets]
        rows = max(1, measured[0][2] // FLOOR_ROW_BYTES)
        floor, floor_size = timed_get(port, f"/bench/floor-page?rows={rows}", cookie, args.requests)
        floor_median = statistics.median(floor)
        closes = timed_closes(port, assessment_id, cookie, args.closes)
        print(f"  gunicorn -w {args.workers} -t {TIMEOUT_S}, {args.respondents} respondents, one request at a time")
        print(f"  {'target':<42} {'n':>3} {'median ms':>10} {'p95 ms':>9} {'x floor':>8} {'kB':>8}")
        line("floor: bare Flask page, same size, 1 query", floor, floor_median, floor_size)
        for name, times, size in measured:
            line(name, times, floor_median, size)
        line("close (score, robustness, snapshot)", closes, floor_median)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    parser.add_argument("--closes", type=int, default=3, help="timed closes (each followed by a reopen)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--pg", help="an empty PostgreSQL database to measure too (SQLAlchemy URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readiness-big-") as instance:
        env = os.environ | {"READINESS_INSTANCE_DIR": instance, "READINESS_ENV": "development", "FLASK_APP": "wsgi"}
        env.pop("DATABASE_URL", None)
        run("SQLite", env, args)
        if args.pg:
            run("PostgreSQL", env | {"DATABASE_URL": args.pg}, args)


if __name__ == "__main__":
    main()
