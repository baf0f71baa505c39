"""How hard the generated-input tests try: ``READINESS_FUZZ=full`` in CI's SQLite pass and ``make fuzz``.

``make test`` draws a third of the examples for each engine property; CI draws them all.
"""
from __future__ import annotations

import os

FULL = os.environ.get("READINESS_FUZZ", "quick") == "full"


def examples(full: int) -> int:
    """:return: ``full`` in the full campaign, else a third of it (at least 20)."""
    return full if FULL else max(20, full // 3)
