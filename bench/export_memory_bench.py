"""A gunicorn worker's memory while it streams the HQ exports, and while it builds the exports' floor.

Usage: .venv/bin/python bench/export_memory_bench.py [--rows 5000,20000] [--downloads 3]

For each size, in a temporary instance (SQLite): ``flask db upgrade`` and ``flask demo load``, then the
closed demo assessments are copied, with their snapshots, dimensions and flags, until the portfolio
holds ``rows`` assessments (a bench-only shortcut: the demo loader needs minutes for 20,000). One
gunicorn worker (gthread, 4 threads, as ``gunicorn.conf.py``) serves ``bench/bench_wsgi.py``; as the
headquarters demo user the script downloads, one at a time and ``--downloads`` times each:

1. ``/hq/export.xlsx``, 2. ``/hq/export.csv``, 3. the floor of the exports in ``hq_bench.py``
(``/bench/floor-rows?kind=csv``: one query, the whole CSV built in memory, the CSV export's size),

and prints the worker's resident memory (``VmRSS`` from ``/proc``, sampled every 20 ms) before, at the
peak and after each kind. Nothing here is a test and nothing asserts.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_bench import BIN, HOST, ROOT, free_port, request  # noqa: E402

HQ = ("hq@demo.readiness.example", "demo-readiness-2026")


def prepare(env: dict[str, str], rows: int) -> None:
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([*flask, "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=1800)
    copy_assessments(Path(env["READINESS_INSTANCE_DIR"]) / "readiness.db", rows)


def copy_assessments(path: Path, rows: int) -> None:
    """Copy closed assessments (with snapshot, dimensions, flags) until there are ``rows`` assessments."""
    db = sqlite3.connect(path)
    columns = {t: [r[1] for r in db.execute(f"pragma table_info({t})")]
               for t in ("assessments", "result_snapshots", "snapshot_dimensions", "snapshot_flags")}
    sources = db.execute("select a.id, s.id from assessments a join result_snapshots s on s.assessment_id = a.id "
                         "where a.followup_of_id is null order by a.id").fetchall()
    count = db.execute("select count(*) from assessments").fetchone()[0]
    for n in range(max(0, rows - count)):
        assessment_id, snapshot_id = sources[n % len(sources)]
        new_assessment = _copy(db, "assessments", columns["assessments"], assessment_id, {})
        new_snapshot = _copy(db, "result_snapshots", columns["result_snapshots"], snapshot_id,
                             {"assessment_id": new_assessment})
        for table in ("snapshot_dimensions", "snapshot_flags"):
            kept = [c for c in columns[table] if c not in ("id", "snapshot_id")]
            db.execute(f"insert into {table} (snapshot_id, {', '.join(kept)}) select ?, {', '.join(kept)} "
                       f"from {table} where snapshot_id = ?", (new_snapshot, snapshot_id))
    db.commit()
    db.close()


def _copy(db: sqlite3.Connection, table: str, columns: list[str], row_id: int, changed: dict[str, int]) -> int:
    kept = [c for c in columns if c != "id" and c not in changed]
    names = [*kept, *changed]
    cursor = db.execute(f"insert into {table} ({', '.join(names)}) select {', '.join(kept)}"
                        f"{''.join(', ?' for _ in changed)} from {table} where id = ?", (*changed.values(), row_id))
    return int(cursor.lastrowid)


def start(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = env | {"PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "FLASK_DEBUG": "0"}
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "1", "--threads", "4", "-k", "gthread", "-t", "300",
                               "-b", f"{HOST}:{port}", "--log-level", "warning", "--max-requests", "0",
                               "--access-logfile", "/dev/null", "bench_wsgi:app"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "/healthz")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def log_in(port: int) -> str:
    import re

    _status, headers, body = request(port, "/login")
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
    status, headers, _ = request(port, "/login", method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        body=urlencode({"email": HQ[0], "password": HQ[1], "csrf_token": token}))
    if status != 302:
        raise SystemExit(f"login failed with HTTP {status}")
    return headers["set-cookie"].split(";", 1)[0]


def worker_of(master: int) -> int:
    return int(Path(f"/proc/{master}/task/{master}/children").read_text().split()[0])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(port: int, worker: int, path: str, cookie: str, downloads: int) -> tuple[float, float, float, int]:
    """:return: RSS before, at the peak and after ``downloads`` downloads of ``path`` (MB), and the body size."""
    before = rss_mb(worker)
    peak, done, size = [before], threading.Event(), 0

    def sample() -> None:
        while not done.is_set():
            peak.append(rss_mb(worker))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for _ in range(downloads):
            status, _headers, body = request(port, path, headers={"Cookie": cookie})
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status}")
            size = len(body)
    finally:
        done.set()
        sampler.join()
    return before, max(peak), rss_mb(worker), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="5000,20000", help="portfolio sizes (assessments), comma-separated")
    parser.add_argument("--downloads", type=int, default=3, help="downloads of each kind, one at a time")
    args = parser.parse_args()
    print(f"{'rows':>6} {'download':<44} {'n':>2} {'MB':>6} {'RSS before':>11} {'peak':>6} {'after':>6}")
    for rows in [int(n) for n in args.rows.split(",")]:
        with tempfile.TemporaryDirectory(prefix="readiness-export-") as instance:
            env = os.environ | {"READINESS_INSTANCE_DIR": instance, "READINESS_ENV": "development", "FLASK_APP": "wsgi"}
            env.pop("DATABASE_URL", None)
            prepare(env, rows)
            server, port = start(env)
            try:
                cookie, worker = log_in(port), worker_of(server.pid)
                csv_size = measure(port, worker, "/hq/export.csv", cookie, 1)[3]  # its size, for the floor
                floor = f"/bench/floor-rows?kind=csv&rows={rows}&bytes={csv_size}"
                for label, path in (("/hq/export.xlsx", "/hq/export.xlsx"), ("/hq/export.csv", "/hq/export.csv"),
                                    ("floor: one query, whole CSV in memory", floor)):
                    before, peak, after, size = measure(port, worker, path, cookie, args.downloads)
                    print(f"{rows:>6} {label:<44} {args.downloads:>2} {size / 2**20:>6.1f} {before:>11.0f} {peak:>6.0f} "
                          f"{after:>6.0f}", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
