"""Shared pieces of the PDF: page geometry, paragraph styles, escaping and plain tables."""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table, TableStyle

from . import pdf_graphics as graphics

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
SEVERITY_COLOURS = {"critical": graphics.DANGER, "major": graphics.WARN, "minor": graphics.MUTED}
OUTCOME_COLOURS = {"go": graphics.OK, "go_with_conditions": graphics.WARN, "no_go": graphics.DANGER}


def hexcolour(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


def plain(value: str | None) -> str:
    """Free text as literal text in a Paragraph: markup characters escaped, line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


class Styles:
    def __init__(self) -> None:
        font, bold = graphics.fonts()
        base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=12.5, spaceAfter=3)
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


def table(rows: list[list[str]], s: Styles, fractions: list[float], highlight: list[int] | None = None) -> Table:
    """A table of plain strings: every cell is escaped, header row in bold, rows never split mid-cell."""
    widths = [WIDTH * f for f in fractions]
    head = [Paragraph(f"<b>{plain(c)}</b>", header_style(s, c, w)) for c, w in zip(rows[0], widths)]
    body = [head] + [[Paragraph(plain(c), s.cell) for c in row] for row in rows[1:]]
    table = Table(body, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, graphics.GRID), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f4f6f8")),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#fdecec")) for i in highlight or []]
    table.setStyle(TableStyle(style))
    return table
