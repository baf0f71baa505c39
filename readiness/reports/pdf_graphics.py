"""Fonts and charts for the PDF, drawn with ReportLab's own graphics from the report's chart data."""
from __future__ import annotations

import logging
import textwrap
from functools import cache
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
ACCENT = colors.HexColor("#0b5cad")
MUTED = colors.HexColor("#4f5863")
DANGER = colors.HexColor("#a61b1b")
OK = colors.HexColor("#1e6b34")
WARN = colors.HexColor("#8a5a00")
GRID = colors.HexColor("#c9d0d8")
ROLE_COLOURS = ["#b35c00", "#6a3d9a", "#1b7f79", "#8c564b", "#c2185b", "#5d6d00"]
# Strings are drawn on the canvas as given: ReportLab neither shapes Arabic nor reorders it. The PDF
# passes ``pdf_base.drawn`` (the paragraphs' own helper) to put each line in the order it is drawn.
Shape = Callable[[str], str]


def _as_is(line: str) -> str:
    return line


@cache
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans (accents, Cyrillic, Greek, Arabic letters); fall back to ReportLab's Vera.

    Install with ``apt-get install fonts-dejavu-core``. Vera covers Western European text only.
    :return: the regular and bold font names.
    """
    regular, bold = DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        names = ("DejaVuSans", "DejaVuSans-Bold")
    else:
        log.warning("DejaVu fonts not found in %s; PDF falls back to Vera, which lacks non-Latin letters "
                    "(apt-get install fonts-dejavu-core)", DEJAVU_DIR)
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
        pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
        names = ("Vera", "VeraBd")
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1])
    return names


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def radar(chart: dict[str, Any], width: float, height: float, shape: Shape = _as_is) -> Drawing:
    """Dimension scores for all roles together and for each role, with the go threshold."""
    font, bold = fonts()
    drawing = Drawing(width, height)
    spider = SpiderChart()
    spider.x, spider.y = 55, 22
    spider.width, spider.height = width - 110, height - 44
    series = [[s or 0 for s in chart["scores"]], list(chart["go"])]
    series += [[s or 0 for s in role["scores"]] for role in chart["roles"]]
    # SpiderChart scales to the largest value: an invisible ring at 100 keeps the 0-100 scale.
    spider.data = series + [[100] * len(chart["scores"])]
    # Wrapped, never cut: a spoke label is read in full or not at all.
    # Each line is shaped once wrapped: a line holds the start of the label, whichever way it is read.
    spider.labels = ["\n".join(shape(line) for line in textwrap.wrap(label, 15)) for label in chart["dimensions"]]
    spider.spokeLabels.fontName, spider.spokeLabels.fontSize = font, 6.5
    spider.spokes.strokeColor = GRID
    spider.strands.strokeWidth = 0.8
    spider.strands.fillColor = None
    spider.strands[0].strokeColor, spider.strands[0].strokeWidth = ACCENT, 2
    spider.strands[0].fillColor = colors.Color(0.04, 0.36, 0.68, alpha=0.12)
    spider.strands[1].strokeColor, spider.strands[1].strokeDashArray = DANGER, (3, 2)
    for index in range(len(chart["roles"])):
        spider.strands[index + 2].strokeColor = colors.HexColor(ROLE_COLOURS[index % len(ROLE_COLOURS)])
        spider.strands[index + 2].strokeWidth = 0.6
    spider.strands[len(series)].strokeColor = None
    drawing.add(spider)
    return drawing


def bars(chart: dict[str, Any], width: float, shape: Shape = _as_is) -> Drawing:
    """A horizontal bar per dimension on a 0-100 scale, with its go threshold and floor marked."""
    font, bold = fonts()
    row, label_h, top = 26, 9, 14
    height = top + row * len(chart["dimensions"]) + 22
    drawing = Drawing(width, height)
    left, right = 4, width - 24
    scale = (right - left) / 100

    def x(value: float) -> float:
        return left + value * scale

    for tick in (0, 25, 50, 75, 100):
        drawing.add(Line(x(tick), 18, x(tick), height - top + 4, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(String(x(tick), 8, str(tick), fontName=font, fontSize=6, fillColor=MUTED, textAnchor="middle"))
    for index, label in enumerate(chart["dimensions"]):
        y = height - top - (index + 1) * row + 4
        score, go, floor = chart["scores"][index], chart["go"][index], chart["floor"][index]
        drawing.add(String(left, y + label_h + 3, shape(_short(label, 70)), fontName=font, fontSize=7, fillColor=colors.black))
        colour = MUTED if score is None else DANGER if score < floor else WARN if score < go else OK
        drawing.add(Rect(x(0), y, (score or 0) * scale, label_h, fillColor=colour, strokeColor=None))
        drawing.add(String(x(score or 0) + 3, y + 2, "–" if score is None else f"{score:.0f}", fontName=bold,
                           fontSize=7, fillColor=colour))
        drawing.add(Line(x(go), y - 2, x(go), y + label_h + 2, strokeColor=colors.black, strokeWidth=1.4))
        drawing.add(Line(x(floor), y - 2, x(floor), y + label_h + 2, strokeColor=DANGER, strokeWidth=1,
                         strokeDashArray=(2, 1)))
    return drawing


def bars_legend(chart: dict[str, Any], width: float, shape: Shape = _as_is) -> Drawing:
    font, _bold = fonts()
    drawing = Drawing(width, 14)
    drawing.add(Line(4, 5, 4, 13, strokeColor=colors.black, strokeWidth=1.4))
    drawing.add(String(9, 6, shape(chart["labels"]["go"]), fontName=font, fontSize=7))
    drawing.add(Line(100, 5, 100, 13, strokeColor=DANGER, strokeWidth=1, strokeDashArray=(2, 1)))
    drawing.add(String(105, 6, shape(chart["labels"]["floor"]), fontName=font, fontSize=7))
    return drawing


def radar_legend(chart: dict[str, Any], width: float, shape: Shape = _as_is) -> Drawing:
    font, _bold = fonts()
    entries = [(chart["labels"]["overall"], ACCENT, None), (chart["labels"]["go"], DANGER, (3, 2))]
    entries += [(role["label"], colors.HexColor(ROLE_COLOURS[i % len(ROLE_COLOURS)]), None)
                for i, role in enumerate(chart["roles"])]
    per_row = 1
    drawing = Drawing(width, 11 * ((len(entries) + per_row - 1) // per_row))
    for index, (label, colour, dash) in enumerate(entries):
        col, line = index % per_row, index // per_row
        x, y = 4 + col * (width / per_row), drawing.height - 9 - line * 11
        drawing.add(Line(x, y + 3, x + 14, y + 3, strokeColor=colour, strokeWidth=1.5, strokeDashArray=dash))
        drawing.add(String(x + 18, y, shape(_short(label, 60)), fontName=font, fontSize=6.5))
    return drawing
