"""The PDF's "After go-live" section: each follow-up done, what improved, what got worse, conditions open."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Paragraph, Spacer

from readiness.i18n import gettext_in

from . import after as words
from .data import ReportData
from .pdf_base import Styles, plain


def after_go_live(r: ReportData, s: Styles) -> list[Any]:
    """:return: nothing before the first follow-up is done."""
    if not r.after:
        return []
    lang = r.lang
    story: list[Any] = []
    heading: list[Any] = [Paragraph(plain(gettext_in(lang, words.HEADING)), s.h2)]  # kept with the first follow-up
    for f in r.after:
        part: list[Any] = heading + [Paragraph(f"<b>{plain(f.done)}</b>", s.body)]
        heading = []
        part += _lines(gettext_in(lang, words.IMPROVED_HEADING), [c.line for c in f.improved],
                       gettext_in(lang, words.NOTHING_IMPROVED), s)
        part += _lines(gettext_in(lang, words.WORSE_HEADING), [c.line for c in f.worse],
                       gettext_in(lang, words.NOTHING_WORSE), s)
        if f.hours:
            part.append(Spacer(1, 3))
            part.append(Paragraph(plain(f.hours + (f" {f.hours_over}" if f.hours_over else "")), s.body))
        part += _lines(gettext_in(lang, words.OPEN), f.open_conditions, f.conditions_note or "", s,
                       note_first=bool(f.open_conditions and f.conditions_note))
        story.append(KeepTogether(part))
    return story


def _lines(heading: str, lines: list[str], empty: str, s: Styles, note_first: bool = False) -> list[Any]:
    story: list[Any] = [Paragraph(plain(heading), s.h3)]
    if note_first or not lines:
        story.append(Paragraph(plain(empty), s.cell if lines else s.body))
    return story + [Paragraph(f"• {plain(line)}", s.cell) for line in lines]
