"""An optional Primero API client: fetch KPIs and hand them to the same KPI reader as a CSV export.

Configuration (all from the environment, off unless PRIMERO_URL is set):

- ``PRIMERO_URL``: the Primero server, e.g. ``https://primero.example.org``.
- ``PRIMERO_USER`` / ``PRIMERO_PASSWORD``: an account allowed to read the KPIs; a JWT is asked
  for at ``POST /api/v2/tokens`` (Primero API v2) and sent as a bearer token.
- ``PRIMERO_KPI_PATH``: where one KPI is read, ``{kpi}`` standing for its name
  (default ``/api/v2/kpis/{kpi}``; check it against your Primero version).
- ``PRIMERO_KPIS``: the KPIs to read, comma-separated (default ``supervisor_to_caseworker_ratio``).
- ``PRIMERO_TIMEOUT``: seconds to wait for each request (default 10).

Every request has a time-out; every failure becomes :class:`PrimeroError` with a plain message.
"""
from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

MAX_RESPONSE_BYTES = 1_000_000


class PrimeroError(RuntimeError):
    """Primero could not be reached, refused the account, or answered something unexpected."""


@dataclass(frozen=True)
class PrimeroSettings:
    url: str
    user: str
    password: str
    kpi_path: str = "/api/v2/kpis/{kpi}"
    kpis: tuple[str, ...] = ("supervisor_to_caseworker_ratio",)
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Any) -> PrimeroSettings | None:
        """:return: the settings, or None when PRIMERO_URL is not set (the client is off)."""
        if not config.get("PRIMERO_URL"):
            return None
        kpis = tuple(k.strip() for k in (config.get("PRIMERO_KPIS") or "").split(",") if k.strip())
        return cls(url=config["PRIMERO_URL"].rstrip("/"), user=config.get("PRIMERO_USER") or "",
                   password=config.get("PRIMERO_PASSWORD") or "",
                   kpi_path=config.get("PRIMERO_KPI_PATH") or cls.kpi_path,
                   kpis=kpis or cls.kpis, timeout=float(config.get("PRIMERO_TIMEOUT") or cls.timeout))


def _request(settings: PrimeroSettings, path: str, *, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(settings.url + path, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:  # noqa: S310 (an https URL from configuration)
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise PrimeroError(f"Primero answered {error.code} for {path}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PrimeroError(f"Primero could not be reached at {settings.url}: {reason}") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise PrimeroError(f"Primero's answer for {path} is too large")
    try:
        return json.loads(raw)
    except ValueError:
        raise PrimeroError(f"Primero's answer for {path} is not JSON") from None


def _token(settings: PrimeroSettings) -> str:
    answer = _request(settings, "/api/v2/tokens", body={"user": {"user_name": settings.user, "password": settings.password}})
    token = answer.get("token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise PrimeroError("Primero gave no token for this account")
    return token


def _value(kpi: str, data: Any) -> str:
    """A KPI's value as the CSV export would write it ("case workers:supervisors" for the ratio)."""
    if kpi == "supervisor_to_caseworker_ratio" and isinstance(data, dict):
        return f"{data.get('case_workers')}:{data.get('supervisors')}"
    if isinstance(data, dict) and "value" in data:
        return str(data["value"])
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return str(data)
    raise PrimeroError(f"Primero's KPI {kpi} has a shape Readiness does not read")


def fetch_kpis_csv(settings: PrimeroSettings) -> bytes:
    """Read the configured KPIs from Primero.

    :return: a CSV in the KPI export's layout, for :func:`readiness.domain.kpi_import.read_kpis`.
    :raise PrimeroError: naming what failed.
    """
    token = _token(settings)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", "value"])
    for kpi in settings.kpis:
        answer = _request(settings, settings.kpi_path.format(kpi=urllib.parse.quote(kpi)), token=token)
        writer.writerow([kpi, _value(kpi, answer.get("data") if isinstance(answer, dict) else None)])
    return out.getvalue().encode()
