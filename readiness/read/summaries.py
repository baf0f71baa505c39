"""What the HQ pages read of a stored result, summarised in three small JSON values.

A snapshot never changes once stored (closing again replaces it, and the close refreshes the
delegation's current result), so its summary is written once beside the current-result row that
points at it (``services/current_results.py``): the HQ pages then read one row per delegation
instead of every dimension and flag row. Looking back over a date window, the same summaries are
built from the snapshots' rows by the same function.

Written in Core on named columns, so the migration that back-fills the summaries keeps working as
the models change.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, column, select, table

from readiness.models.types import json_type

_DIMENSIONS = table(
    "snapshot_dimensions", column("id"), column("snapshot_id"), column("dimension_id"), column("score"),
    column("interval_low"), column("interval_high"), column("role_scores", json_type()),
)
_SNAPSHOTS = table("result_snapshots", column("id"), column("questionnaire_version"), column("recommendation"),
                   column("overall_score"), column("coverage"), column("overall_low"), column("overall_high"))
_FLAGS = table("snapshot_flags", column("id"), column("snapshot_id"), column("code"), column("kind"),
               column("severity"), column("dimension_id"))
# Bound parameters per IN list: well under SQLite's limit (32,766) and PostgreSQL's (65,535).
_CHUNK = 5000


HEAD = ("questionnaire_version", "recommendation", "overall_score", "coverage", "overall_low", "overall_high")


@dataclass(frozen=True)
class Summary:
    """One snapshot as the HQ pages read it.

    ``head``: the snapshot's own columns named in ``HEAD`` (SQLite keeps the interval columns after the
    large stored result, so reading them from the snapshot walks the whole result).
    ``scores``: ``[dimension id, score, interval low, interval high]`` per dimension, in the result's
    order (a list: PostgreSQL's JSONB keeps no key order).
    ``role_scores``: dimension id -> role id -> score, where the stored result has them.
    ``flags``: ``[code, kind, severity, dimension id]`` per flag, in the result's order.
    """

    head: dict[str, Any] = field(default_factory=dict)
    scores: list[list[Any]] = field(default_factory=list)
    role_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    flags: list[list[str | None]] = field(default_factory=list)


def snapshot_summaries(connection: Connection, snapshot_ids: Iterable[int]) -> dict[int, Summary]:
    """The summary of each snapshot in ``snapshot_ids``; three queries per 5,000 snapshots.

    :param connection: a Core connection (``db.session.connection()`` in a request, ``op.get_bind()`` in a migration).
    :return: snapshot id -> summary; a snapshot without dimension or flag rows gets empty ones.
    """
    ids = sorted(set(snapshot_ids))
    found: dict[int, Summary] = {snapshot_id: Summary() for snapshot_id in ids}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for snapshot_id, *values in connection.execute(
            select(_SNAPSHOTS.c.id, *(_SNAPSHOTS.c[name] for name in HEAD)).where(_SNAPSHOTS.c.id.in_(chunk))
        ):
            found[snapshot_id].head.update(zip(HEAD, values))
        d = _DIMENSIONS.c
        for snapshot_id, dimension_id, score, low, high, by_role in connection.execute(
            select(d.snapshot_id, d.dimension_id, d.score, d.interval_low, d.interval_high, d.role_scores)
            .where(d.snapshot_id.in_(chunk)).order_by(d.snapshot_id, d.id)
        ):
            summary = found[snapshot_id]
            summary.scores.append([dimension_id, score, low, high])
            if isinstance(by_role, dict) and by_role:
                summary.role_scores[dimension_id] = _role_scores(by_role)
        f = _FLAGS.c
        for snapshot_id, code, kind, severity, dimension_id in connection.execute(
            select(f.snapshot_id, f.code, f.kind, f.severity, f.dimension_id)
            .where(f.snapshot_id.in_(chunk)).order_by(f.snapshot_id, f.id)
        ):
            found[snapshot_id].flags.append([code, kind, severity, dimension_id])
    return found


def _role_scores(value: dict[str, Any]) -> dict[str, float]:
    return {str(role): float(score) for role, score in value.items() if isinstance(score, (int, float))}
