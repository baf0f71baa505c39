"""Shared pieces of the PDF: page geometry, paragraph styles, escaping and plain tables."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper
from reportlab.lib.enums import TA_RIGHT

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

from readiness.domain.plaintext import strip_bidi
from readiness.i18n import is_rtl

from . import pdf_graphics as graphics

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
# What a frame really offers inside its 6 pt padding: a table wider than this can never split.
TABLE_WIDTH = WIDTH - 12
SEVERITY_COLOURS = {"critical": graphics.DANGER, "major": graphics.WARN, "minor": graphics.MUTED}
OUTCOME_COLOURS = {"go": graphics.OK, "go_with_conditions": graphics.WARN, "no_go": graphics.DANGER}


def hexcolour(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


MAX_LINE_BREAKS = 12

# Arabic in PDFs. ReportLab neither shapes nor reorders text: arabic-reshaper (MIT, pure Python)
# gives each letter its joined form, each Arabic word is written in visual order, and a
# right-to-left document's paragraphs use ReportLab's wordWrap="RTL", which breaks lines in
# logical order and lays each line's words out from the right. Consecutive Latin words and
# numbers stay one unit (joined by no-break spaces) so "Primero north 28.0" keeps its order.
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_RTL_DOCUMENT: ContextVar[bool] = ContextVar("rtl_document", default=False)


@contextmanager
def document_language(lang: str) -> Iterator[None]:
    """Lay out the paragraphs built inside the block for a document in ``lang`` (right to left for Arabic)."""
    token = _RTL_DOCUMENT.set(is_rtl(lang))
    try:
        yield
    finally:
        _RTL_DOCUMENT.reset(token)


def visual(line: str, paragraph: bool = True) -> str:
    """:return: one line of text with its Arabic shaped and in the order ReportLab draws it.

    :param paragraph: False for a string drawn as is on the canvas (footers), never wrapped.
    """
    if not _ARABIC.search(line):
        return line
    words = arabic_reshaper.reshape(line).split(" ")
    if paragraph and _RTL_DOCUMENT.get():
        units: list[str] = []
        for word in words:
            if _ARABIC.search(word) or not units or _ARABIC.search(units[-1]) or not word:
                units.append(word[::-1] if _ARABIC.search(word) else word)
            else:
                units[-1] += "\u00a0" + word
        return " ".join(units)
    # In a left-to-right document, each run of Arabic words is reversed as a whole.
    runs: list[list[str]] = []
    for word in words:
        arabic = bool(_ARABIC.search(word))
        if runs and arabic and runs[-1][0] == "ar":
            runs[-1].append(word)
        else:
            runs.append(["ar" if arabic else "", word])
    return " ".join(" ".join(run[1:])[::-1] if run[0] == "ar" else run[1] for run in runs)


def drawn(line: str) -> str:
    """:return: one line drawn as is on the canvas (chart labels, footers), its Arabic shaped and in drawing order."""
    return visual(strip_bidi(line), paragraph=False)


def plain(value: str | None) -> str:
    """Free text as literal text in a Paragraph: markup characters escaped, line breaks kept.

    Direction controls are dropped: ReportLab does not reorder text, so an override could only
    show as a missing glyph, never isolate anything.
    """
    lines = escape(strip_bidi(value or "")).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_LINE_BREAKS:
        # ReportLab splits a paragraph or a table row in time that grows with the square of its lines:
        # past this many, the remaining lines run on, marked, so every word is still printed.
        lines = lines[:MAX_LINE_BREAKS] + [" / ".join(line for line in lines[MAX_LINE_BREAKS:] if line.strip())]
    return "<br/>".join(visual(line) for line in lines)


class Styles:
    def __init__(self) -> None:
        font, bold = graphics.fonts()
        base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=12.5, spaceAfter=3)
        if _RTL_DOCUMENT.get():
            base.alignment, base.wordWrap = TA_RIGHT, "RTL"
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=graphics.MUTED)
        self.compact = ParagraphStyle("compact", parent=base, fontSize=8.5, leading=11, spaceAfter=3)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0)
        self.title = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18, leading=22, spaceAfter=4)
        self.h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4,
                                 textColor=graphics.ACCENT, keepWithNext=1)
        self.h3 = ParagraphStyle("h3", parent=base, fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2,
                                 keepWithNext=1)
        self.banner = ParagraphStyle("banner", parent=base, fontName=bold, textColor=colors.white,
                                     backColor=graphics.DANGER, borderPadding=4, spaceBefore=4, spaceAfter=8)
        self.big = ParagraphStyle("big", parent=base, fontName=bold, fontSize=14, leading=18, spaceAfter=2)
        self.bold = bold


CELL_PADDING = 12  # points: ReportLab's default 6 on each side


def header_style(s: Styles, words: str, width: float) -> ParagraphStyle:
    """A header cell's style: the font shrinks (down to 6 pt) until its longest word fits; words are never split."""
    longest = max(words.split() or [""], key=len)
    size = s.cell.fontSize
    while size > 6 and pdfmetrics.stringWidth(longest, s.bold, size) > width - CELL_PADDING:
        size -= 0.5
    return ParagraphStyle(f"head{size}", parent=s.cell, fontSize=size, leading=size + 2, splitLongWords=0)


def flowing_table(rows: list[list[Any]], **options: Any) -> Table:
    """Every table of text in the PDFs: a row taller than what is left of the page splits inside its
    cells and goes on over the next pages, so no text is ever too long to lay out."""
    # splitInRow is also the least height (points) either half may have: a row taller than the page
    # by less than that would refuse to split and stop the document, so it is kept tiny.
    return Table(rows, splitByRow=1, splitInRow=0.01, **options)


def table(rows: list[list[str]], s: Styles, fractions: list[float], highlight: list[int] | None = None) -> KeepTogether:
    """A table of plain strings: every cell is escaped, header row in bold, a long cell flows over pages.

    Built as one table per row, stacked: ReportLab measures every remaining row again at each page
    break, so one table of many long rows costs the square of its length; stacked rows cost each
    their own. A table shorter than the page still moves whole to the next page rather than split.
    """
    widths = [TABLE_WIDTH * f for f in fractions]
    # Header cells shrink until their longest word fits: a word is never split.
    head = [Paragraph(f"<b>{plain(c)}</b>", header_style(s, c, w)) for c, w in zip(rows[0], widths)]
    body = [head] + [[Paragraph(plain(c), s.cell) for c in row] for row in rows[1:]]
    marked = set(highlight or [])
    parts = []
    for index, row in enumerate(body):
        style = [("GRID", (0, 0), (-1, -1), 0.4, graphics.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if index == 0:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f4f6f8")))
        elif index in marked:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#fdecec")))
        part = flowing_table([row], colWidths=widths)
        part.setStyle(TableStyle(style))
        parts.append(part)
    return KeepTogether(parts)
