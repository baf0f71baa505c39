"""gunicorn settings for Readiness (``gunicorn wsgi:app`` reads this file from the working directory).

Every value can be overridden from the environment, so the systemd unit stays short.
"""
import json
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two to four workers per core; threads let a worker wait on the database while serving another request.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A report PDF with many respondents takes a few seconds; 60 s is generous but bounded (nginx waits 75 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never take a server down.
max_requests = 1000
max_requests_jitter = 100
# nginx on the same host passes X-Forwarded-*; set TRUSTED_PROXIES=1 for the app too.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs go to stdout/stderr (journald collects them). The access log is one JSON object per line,
# carrying the request id the app puts on every response, so it joins the app's own log lines.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = json.dumps({
    "time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s",
    "remote": "%({x-forwarded-for}i)s", "method": "%(m)s", "path": "%(U)s", "status": "%(s)s",
    "bytes": "%(B)s", "duration_ms": "%(M)s", "agent": "%(a)s",
})
