"""Paper sheets: the short code printed on every page of a questionnaire copy.

A code names the assessment, the role (its position among the questionnaire's roles) and the
sheet's number, with a check letter that catches most typing mistakes: ``12-3-007-K``.
It is never a link token: it opens nothing by itself, only the delegation's transcription page.
Pure functions only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: they read as 1 and 0
_SHAPE = re.compile(r"^\s*(\d{1,9})\s*-\s*(\d{1,2})\s*-\s*(\d{1,4})\s*-\s*([A-Za-z])\s*$")


@dataclass(frozen=True)
class SheetCode:
    assessment_id: int
    role_number: int  # 1-based position of the role in the questionnaire
    sheet: int

    def __str__(self) -> str:
        return f"{self.assessment_id}-{self.role_number}-{self.sheet:03d}-{check_letter(self)}"


def check_letter(code: SheetCode) -> str:
    digits = f"{code.assessment_id}{code.role_number:02d}{code.sheet:04d}"
    return _LETTERS[sum((i + 1) * int(d) for i, d in enumerate(digits)) % len(_LETTERS)]


def parse_code(text: str) -> SheetCode | None:
    """:return: the code typed or scanned, or None when it is malformed or its check letter is wrong."""
    match = _SHAPE.match(text or "")
    if not match:
        return None
    code = SheetCode(int(match[1]), int(match[2]), int(match[3]))
    return code if code.sheet > 0 and code.role_number > 0 and check_letter(code) == match[4].upper() else None
