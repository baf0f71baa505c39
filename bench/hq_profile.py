"""CPU time of each headquarters page in process (Flask test client), next to the floor; optional cProfile.

Usage (an instance already loaded with ``flask demo load``)::

    READINESS_INSTANCE_DIR=/tmp/inst [DATABASE_URL=...] .venv/bin/python bench/hq_profile.py [--repeat 15]
        [--profile /hq/flags] [--lang fr]

For each page of ``hq_bench.PAGES`` it prints the median (or with ``--min`` the least) CPU time
(``time.process_time``) of ``--repeat`` requests, the rows and bytes, and the floor (``/bench/floor-rows``, same rows and bytes)
measured the same way. With ``--profile PATH`` it prints the cProfile of that page instead
(cumulative, per request). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_wsgi import app  # noqa: E402
from hq_bench import HQ_EMAIL, PAGES, PASSWORD, _rows_in  # noqa: E402

MINIMUM = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", help="a page to profile instead of timing every page")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--gc", choices=["on", "off", "freeze"], default="on")
    parser.add_argument("--min", action="store_true", help="the fastest request instead of the median (steadier on a busy machine)")
    args = parser.parse_args()
    global MINIMUM
    MINIMUM = args.min
    if args.gc == "off":
        gc.disable()
    elif args.gc == "freeze":
        gc.freeze()
    client, anonymous = app.test_client(), app.test_client()
    headers = {"Accept-Language": args.lang}
    page = client.get("/login", headers=headers).get_data()
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    response = client.post("/login", data={"email": HQ_EMAIL, "password": PASSWORD, "csrf_token": token}, headers=headers)
    assert response.status_code == 302, response.status_code
    api = {"Authorization": f"Bearer {_api_token(client, headers)}"} | headers
    if args.profile:
        _profile(client, args.profile, api if args.profile.startswith("/api/") else headers, args)
        return
    print(f"{'page':<46}{'rows':>6}{'kB':>6}{'CPU ms':>9}{'floor ms':>10}{'x floor':>8}")
    for path in PAGES:
        chosen = api if path.startswith("/api/") else headers
        cpu, body = _cpu(client, path, chosen, args.repeat)
        rows = _rows_in(body)
        # Without the login cookie, as hq_bench.py asks for the floor.
        floor, _ = _cpu(anonymous, f"/bench/floor-rows?rows={rows}&bytes={len(body)}", {}, args.repeat)
        print(f"{path:<46}{rows:>6}{len(body) / 1024:>6.0f}{cpu * 1000:>9.1f}{floor * 1000:>10.1f}{cpu / floor:>8.1f}", flush=True)


def _api_token(client, headers) -> str:
    page = client.get("/hq/api", headers=headers).get_data()
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    page = client.post("/hq/api/tokens", data={"name": f"profile {time.time():.0f}", "csrf_token": token}, headers=headers).get_data()
    return re.search(rb'id="new-token"[^>]*>([^<]+)<', page).group(1).decode()


def _cpu(client, path: str, headers: dict[str, str], repeat: int) -> tuple[float, bytes]:
    body = b""
    for _ in range(3):
        body = _get(client, path, headers)
    times = []
    for _ in range(repeat):
        started = time.process_time()
        body = _get(client, path, headers)
        times.append(time.process_time() - started)
    return (min(times) if MINIMUM else statistics.median(times)), body


def _get(client, path: str, headers: dict[str, str]) -> bytes:
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return response.get_data()


def _profile(client, path: str, headers: dict[str, str], args: argparse.Namespace) -> None:
    for _ in range(3):
        _get(client, path, headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        _get(client, path, headers)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.total_tt /= args.repeat  # per request
    print(f"{path}: {args.repeat} requests; times below are totals over them")
    stats.sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
