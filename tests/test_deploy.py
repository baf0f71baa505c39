"""The deployment files in the repository fit the app: body size, gunicorn's JSON access log, units."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from readiness.config import Config

ROOT = Path(__file__).resolve().parent.parent


def test_nginx_lets_the_largest_upload_through_to_the_app():
    site = (ROOT / "deploy" / "nginx-readiness.conf").read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size\s+(\d+)m;", site)
    assert size and int(size.group(1)) * 1024 * 1024 > Config.MAX_CONTENT_LENGTH
    for needed in ("ssl_certificate", "X-Forwarded-Proto", "X-Request-ID", "proxy_read_timeout", "gzip on", "location /static/"):
        assert needed in site, needed


def test_systemd_units_run_commands_that_exist():
    unit = (ROOT / "deploy" / "readiness.service").read_text(encoding="utf-8")
    assert "gunicorn.conf.py" in unit and "flask db upgrade" in unit and "READINESS_ENV=production" in unit
    assert "backup create" in (ROOT / "deploy" / "readiness-backup.service").read_text(encoding="utf-8")
    assert "data purge --apply" in (ROOT / "deploy" / "readiness-purge.service").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_with_the_shipped_config_writes_json_access_lines_with_the_request_id(tmp_path):
    port = _free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "1",
           "READINESS_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
           "READINESS_ENV": "development", "no_proxy": "*", "NO_PROXY": "*"}
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for _ in range(100):
            try:
                response = opener.open(f"http://127.0.0.1:{port}/healthz", timeout=10)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not answer:\n" + (tmp_path / "gunicorn.log").read_text())
        request_id = response.headers["X-Request-ID"]
        assert response.status == 200 and request_id
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    lines = [json.loads(line) for line in (tmp_path / "gunicorn.log").read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "gunicorn.access" and line["request_id"] == request_id]
    assert len(access) == 1 and access[0]["path"] == "/healthz" and access[0]["status"] == "200"
