"""Measure the headquarters pages and API at portfolio scale, next to a bare route of the same app.

Usage: .venv/bin/python bench/hq_bench.py [--instance DIR] [--requests 30] [--concurrency 2] [--workers 2]

Builds (once, then reuses) a demo portfolio of 100 delegations and 5,000 assessments in
``--instance``, serves it with gunicorn on 127.0.0.1 only, logs in as headquarters, and prints
median and p95 latency per target with its ratio to the floor (``/healthz``: a bare Flask route
measured in the same run, same server, same client). Every request has a timeout and the number
of requests is fixed. Nothing here is a test and nothing asserts a timing.
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
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HQ_EMAIL, PASSWORD = "hq@demo.readiness.example", "demo-readiness-2026"
TIMEOUT = 120
FLOOR = "/healthz"
TARGETS = [
    "/hq/",
    "/hq/?region=West+Africa&sort=score&desc=1",
    "/hq/heatmap",
    "/hq/distribution",
    "/hq/flags",
    "/hq/delegations/1/peers",
    "/hq/delegations/1/trend",
    "/hq/export.csv",
    "/hq/export.xlsx",
    "/api/v1/portfolio",
    "/api/v1/results?limit=500",
    "/api/v1/benchmark",
]


def main() -> None:
    args = _arguments()
    env = os.environ | {"READINESS_INSTANCE_DIR": str(args.instance), "READINESS_ENV": "development"}
    env.pop("DATABASE_URL", None)
    _prepare(args, env)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    try:
        _wait_until_up(port)
        cookie = _log_in(port)
        token = _issue_token(port, cookie)
        _report(port, cookie, token, args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", type=Path, default=Path("/tmp/readiness-hq-bench"))
    parser.add_argument("--delegations", type=int, default=100)
    parser.add_argument("--assessments", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30, help="measured requests per target")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    return parser.parse_args()


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Migrate and load the demo portfolio unless the instance already holds one."""
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    args.instance.mkdir(parents=True, exist_ok=True)
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run(
        [*flask, "demo", "load", "--delegations", str(args.delegations), "--assessments", str(args.assessments)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    print(done.stdout.splitlines()[0], f"({time.perf_counter() - started:.0f} s)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
             body: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _request(port, FLOOR)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer within 60 s")


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
    cookie = _cookie(headers) if "set-cookie" in headers else cookie  # the CSRF token lives in the session
    form = urlencode({"name": f"bench {time.time():.0f}", "csrf_token": _csrf(page)})
    _status, _headers, page = _request(port, "/hq/api/tokens", method="POST", body=form, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    return re.search(rb'id="new-token"[^>]*>([^<]+)<', page).group(1).decode()


def _measure(port: int, path: str, headers: dict[str, str], args: argparse.Namespace) -> tuple[list[float], int]:
    def one(_n: int) -> tuple[float, int]:
        started = time.perf_counter()
        status, _headers, body = _request(port, path, headers=headers)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        return time.perf_counter() - started, len(body)

    for n in range(3):
        one(n)  # warm up each worker's caches
    with ThreadPoolExecutor(args.concurrency) as pool:
        results = list(pool.map(one, range(args.requests)))
    return [seconds for seconds, _ in results], results[-1][1]


def _report(port: int, cookie: str, token: str, args: argparse.Namespace) -> None:
    print(f"gunicorn -w {args.workers}, {args.requests} requests per target, concurrency {args.concurrency}")
    print(f"{'target':<44} {'median ms':>10} {'p95 ms':>9} {'x floor':>8} {'kB':>8}")
    floor, size = _measure(port, FLOOR, {}, args)
    floor_median = statistics.median(floor)
    _line(f"{FLOOR} (bare route: the floor)", floor, floor_median, size)
    for path in TARGETS:
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {"Cookie": cookie}
        latencies, size = _measure(port, path, headers, args)
        _line(path, latencies, floor_median, size)


def _line(label: str, latencies: list[float], floor_median: float, size: int) -> None:
    median = statistics.median(latencies)
    p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"{label:<44} {median * 1000:>10.1f} {p95 * 1000:>9.1f} {median / floor_median:>8.0f} {size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
