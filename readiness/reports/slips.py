"""Printable invitation slips: one per link, with a QR code to scan, eight to an A4 page, to cut apart."""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from . import pdf_graphics as graphics
from .paper import qr_png

COLUMNS, ROWS = 2, 4
MARGIN = 10 * mm


@dataclass(frozen=True)
class Slip:
    heading: str  # the assessment and the role
    name: str  # the person's name, or "anonymous"
    url: str
    lines: list[str]  # what to do, when the link expires


def render_slips(slips: list[Slip], title: str) -> bytes:
    font, bold = graphics.fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(title)
    width, height = (A4[0] - 2 * MARGIN) / COLUMNS, (A4[1] - 2 * MARGIN) / ROWS
    for index, slip in enumerate(slips):
        if index and index % (COLUMNS * ROWS) == 0:
            canvas.showPage()
        column, row = index % COLUMNS, (index // COLUMNS) % ROWS
        _slip(canvas, slip, MARGIN + column * width, A4[1] - MARGIN - (row + 1) * height, width, height, font, bold)
    canvas.save()
    return out.getvalue()


def _slip(canvas: Canvas, slip: Slip, x: float, y: float, w: float, h: float, font: str, bold: str) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#9aa5b1"))
    canvas.setDash(3, 3)
    canvas.rect(x, y, w, h)  # where to cut
    canvas.restoreState()
    qr = 38 * mm
    canvas.drawImage(ImageReader(io.BytesIO(qr_png(slip.url))), x + w - qr - 4 * mm, y + h - qr - 4 * mm, qr, qr)
    text_width = w - qr - 12 * mm
    top = y + h - 10 * mm
    canvas.setFont(bold, 10)
    for line in simpleSplit(slip.heading, bold, 10, text_width)[:4]:
        canvas.drawString(x + 5 * mm, top, line)
        top -= 12
    canvas.setFont(font, 10)
    canvas.drawString(x + 5 * mm, top - 2, slip.name[:40])
    top -= 18
    canvas.setFont(font, 8)
    canvas.setFillColor(graphics.MUTED)
    for paragraph in slip.lines:
        for line in simpleSplit(paragraph, font, 8, text_width)[:5]:
            canvas.drawString(x + 5 * mm, top, line)
            top -= 10
        top -= 3
    canvas.setFont(font, 6.5)
    canvas.setFillColor(colors.black)
    for n, line in enumerate(simpleSplit(slip.url, font, 6.5, w - 10 * mm)[:3]):
        canvas.drawString(x + 5 * mm, y + 10 * mm - n * 8, line)
