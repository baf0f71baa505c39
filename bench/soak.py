"""Soak: 50 concurrent clients against gunicorn on PostgreSQL, then check that no acknowledged save was lost.

Usage: .venv/bin/python bench/soak.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/soak [--seconds 60]
       [--clients 50] [--workers 4] [--threads 4]
The database named by --pg is emptied and filled with the demo data. Clients: respondents saving
real answers (each on their own link), delegation members reading the live report, one headquarters
user exporting the portfolio. Prints throughput, p50/p95/p99 per request kind and the error count,
then reads every respondent's answers back from the database and compares them with the last save
each one saw acknowledged (a redirect). Nothing here asserts a timing; the exit status is 1 when a
write was lost or a request failed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import urlencode

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_bench import BIN, ROOT, free_port, request  # noqa: E402  (the same small HTTP helpers)

DEMO = "demo.readiness.example"
PASSWORD = "demo-readiness-2026"  # readiness.services.demo.DEMO_PASSWORD

# Invites respondents to a demo assessment that is collecting; prints it and "id token role" per link.
INVITE = """
import json, sys
from sqlalchemy import select
from readiness import create_app
from readiness.extensions import db
from readiness.models import Assessment, User
from readiness.services.respondents import invite_respondents
app = create_app()
with app.app_context():
    assessment = db.session.scalar(select(Assessment).where(Assessment.status == "collecting").order_by(Assessment.id).limit(1))
    links = []
    for role, count in (("social_worker", int(sys.argv[1]) - int(sys.argv[1]) // 4), ("manager", int(sys.argv[1]) // 4)):
        links += [(i.respondent.id, i.token, role) for i in invite_respondents(None, assessment, role=role, count=count)]
    member = db.session.scalar(select(User).where(User.email == "member@demo.readiness.example"))
    if assessment.delegation not in member.delegations:
        member.delegations.append(assessment.delegation)  # the readers are members of the delegation
    db.session.commit()
    print(json.dumps({"assessment": assessment.id, "links": links, "member": member.email}))
"""


def main() -> None:
    args = _arguments()
    respondents = max(1, args.clients - 10)  # 10 others: 9 members reading, 1 headquarters exporting
    with tempfile.TemporaryDirectory() as instance:
        env = os.environ | {"READINESS_INSTANCE_DIR": instance, "READINESS_ENV": "development", "FLASK_APP": "wsgi",
                            "DATABASE_URL": args.pg, "FLASK_DEBUG": "0"}
        _wipe(args.pg)
        for step in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([str(BIN / "flask"), *step], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
        made = json.loads(subprocess.run([str(BIN / "python"), "-c", INVITE, str(respondents)], cwd=ROOT, env=env,
                                         check=True, capture_output=True, text=True, timeout=300).stdout.splitlines()[-1])
        port = free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(args.workers), "--threads", str(args.threads),
                                   "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
        try:
            _wait(port)
            soak = Soak(port, made["assessment"], args.seconds)
            member, hq = soak.log_in(made["member"]), soak.log_in(f"hq@{DEMO}")
            workers = [threading.Thread(target=soak.respondent, args=(rid, token)) for rid, token, _role in made["links"]]
            workers += [threading.Thread(target=soak.reader, args=(member,)) for _ in range(args.clients - len(workers) - 1)]
            workers.append(threading.Thread(target=soak.exporter, args=(hq,)))
            started = time.monotonic()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        lost = _lost_writes(args.pg, soak.acknowledged)
    _print(soak, len(workers), elapsed, lost)
    sys.exit(1 if lost or soak.errors else 0)


class Soak:
    def __init__(self, port: int, assessment: int, seconds: float) -> None:
        self.port, self.assessment, self.deadline = port, assessment, time.monotonic() + seconds
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.acknowledged: dict[int, dict[str, int]] = {}  # respondent id -> item -> level, after the last redirect
        self.lock = threading.Lock()

    def timed(self, kind: str, path: str, expected: int, **kwargs) -> tuple[int, dict[str, str], bytes] | None:
        started = time.perf_counter()
        try:
            status, headers, body = request(self.port, path, **kwargs)
        except OSError:
            status, headers, body = 0, {}, b""
        with self.lock:
            self.latencies[kind].append((time.perf_counter() - started) * 1000)
            if status != expected:
                self.errors[f"{kind} (HTTP {status})"] += 1
                return None
        return status, headers, body

    def log_in(self, email: str) -> str:
        _status, headers, body = request(self.port, "/login")
        cookie = headers["set-cookie"].split(";", 1)[0]
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
        status, headers, _ = request(self.port, "/login", method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            body=urlencode({"email": email, "password": PASSWORD, "csrf_token": token}))
        if status != 302:
            raise SystemExit(f"login of {email} failed with HTTP {status}")
        return headers["set-cookie"].split(";", 1)[0]

    def respondent(self, respondent_id: int, token: str) -> None:
        """Open the first page, answer every level question with a random level, save; again until the end."""
        chance = random.Random(respondent_id)
        welcome = self.timed("respondent page", f"/r/{token}", 200)
        first = re.search(rf'href="(?:http://[^/"]+)?(/r/{re.escape(token)}/(?!welcome|finish)[A-Za-z0-9_-]+)"',
                          welcome[2].decode()) if welcome else None
        if first is None:
            with self.lock:
                self.errors["welcome page without a first page"] += 1
            return
        cookie = ""
        while time.monotonic() < self.deadline:
            got = self.timed("respondent page", first.group(1), 200, headers={"Cookie": cookie} if cookie else {})
            if got is None:
                continue
            _status, headers, body = got
            cookie = headers.get("set-cookie", "").split(";", 1)[0] or cookie
            html = body.decode()
            fields, items = _inputs(html)
            fields.pop("next", None)  # the language switch's field, not the page's
            if not items:
                with self.lock:
                    self.errors["respondent page without a form"] += 1
                return
            levels = {item: chance.randint(0, 4) for item in items}
            body_out = urlencode(fields | {item: str(level) for item, level in levels.items()} | {"go": "later"})
            saved = self.timed("respondent save", first.group(1), 302, method="POST", body=body_out, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            if saved is not None:
                with self.lock:
                    self.acknowledged.setdefault(respondent_id, {}).update(levels)

    def reader(self, cookie: str) -> None:
        while time.monotonic() < self.deadline:
            self.timed("member report", f"/assessments/{self.assessment}/report", 200, headers={"Cookie": cookie})

    def exporter(self, cookie: str) -> None:
        while time.monotonic() < self.deadline:
            self.timed("hq export", "/hq/export.csv", 200, headers={"Cookie": cookie})


def _inputs(html: str) -> tuple[dict[str, str], list[str]]:
    """:return: the page's hidden fields (link proof, shown versions) and its level questions."""
    fields, items = {}, set()
    for tag in re.findall(r"<input[^>]*>", html):
        attrs = dict(re.findall(r'([a-z_-]+)="([^"]*)"', tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields[attrs["name"]] = html_unescape(attrs.get("value", ""))
        elif attrs.get("type") == "radio" and attrs.get("value", "") in {"0", "1", "2", "3", "4"}:
            items.add(attrs["name"])
    return fields, sorted(items)


def _lost_writes(url: str, acknowledged: dict[int, dict[str, int]]) -> list[tuple[int, str, int, object]]:
    """:return: (respondent, item, acknowledged level, stored value) for every save the database does not hold."""
    lost = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        for respondent_id, levels in acknowledged.items():
            stored = dict(connection.execute("SELECT item_id, value FROM answers WHERE respondent_id = %s", (respondent_id,)).fetchall())
            lost += [(respondent_id, item, level, stored.get(item)) for item, level in levels.items() if stored.get(item) != level]
    return lost


def _wipe(url: str) -> None:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start within 60 s")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _print(soak: Soak, clients: int, elapsed: float, lost: list) -> None:
    total = sum(len(v) for v in soak.latencies.values())
    print(f"{clients} clients for {elapsed:.0f} s: {total} requests, {total / elapsed:.1f} per second")
    print(f"{'kind':<20}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, values in sorted(soak.latencies.items()):
        print(f"{kind:<20}{len(values):>7}{_percentile(values, .5):>10.0f}{_percentile(values, .95):>10.0f}"
              f"{_percentile(values, .99):>10.0f}")
    print(f"errors: {sum(soak.errors.values())}" + "".join(f"\n  {k}: {n}" for k, n in sorted(soak.errors.items())))
    saves = sum(len(v) for v in soak.acknowledged.values())
    print(f"acknowledged answers checked in the database: {saves} over {len(soak.acknowledged)} respondents; lost: {len(lost)}")
    for row in lost[:10]:
        print(f"  lost: respondent {row[0]} item {row[1]}: saved {row[2]}, database has {row[3]!r}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, help="PostgreSQL URL of a database this run may empty")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    return parser.parse_args()


if __name__ == "__main__":
    main()
