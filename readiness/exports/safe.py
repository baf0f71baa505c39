"""Neutralise spreadsheet formulas hidden in text cells (CSV/formula injection, OWASP)."""
from __future__ import annotations

from typing import Any

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would run as a formula with an apostrophe.

    Numbers, dates and None pass unchanged: only text can smuggle a formula, and a
    negative number stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
