"""The printable questionnaire of one role: tick boxes, comment space, a QR code and short code on every page.

Each copy ("sheet") answers for one person; every page of it carries the sheet's code, as text
and as a QR code, so a page that comes loose still says where it belongs. Every language of the
questionnaire is printed, the first one in full and the others beneath it in grey.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from readiness.domain.paper import SheetCode
from readiness.questionnaire.schema import Item, ItemType, Questionnaire

from . import pdf_graphics as graphics
from .pdf_base import plain

MARGIN = 16 * mm
TOP = 30 * mm  # room for the code and its QR code
WIDTH = A4[0] - 2 * MARGIN
BOX = "\u2610"  # a ballot box to tick


@dataclass(frozen=True)
class PaperWords:
    """Interface words in the file's languages: each value is one string per language, in order."""

    title: str  # e.g. "Readiness questionnaire — Social worker"
    instructions: list[str]
    sheet: list[str]  # "Sheet %(code)s, page %(page)d"
    comment: list[str]
    dont_know: list[str]
    not_applicable: list[str]
    yes_no: dict[str, list[str]]
    your_answer: list[str]


class _SetSheet(Flowable):
    """Marks where a new copy begins: the page decoration reads the current code from the document."""

    def __init__(self, code: SheetCode) -> None:
        super().__init__()
        self.code = code

    def wrap(self, *_args: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._doctemplate.sheet = self.code  # type: ignore[attr-defined]
        self.canv._doctemplate.sheet_page = 0  # type: ignore[attr-defined]


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def render_paper(q: Questionnaire, role: str, codes: list[SheetCode], words: PaperWords) -> bytes:
    """:return: a PDF with one copy of the role's questionnaire per code."""
    font, bold = graphics.fonts()
    styles = _styles(font, bold)
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP, bottomMargin=MARGIN,
                          title=words.title, author="Readiness")
    doc.sheet, doc.sheet_page = codes[0], 0  # type: ignore[attr-defined]
    frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - TOP - MARGIN, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate("sheet", [frame], onPageEnd=lambda c, d: _decorate(c, d, words, font, bold))])
    story: list[Flowable] = []
    for index, code in enumerate(codes):
        if index:
            story.append(PageBreak())
        story += [_SetSheet(code), *_sheet(q, role, words, styles)]
    doc.build(story)
    return out.getvalue()


def _decorate(canvas, doc, words: PaperWords, font: str, bold: str) -> None:
    doc.sheet_page += 1
    code = str(doc.sheet)
    canvas.saveState()
    size = 22 * mm
    canvas.drawImage(_image_reader(code), A4[0] - MARGIN - size, A4[1] - 8 * mm - size, size, size)
    canvas.setFont(bold, 13)
    canvas.drawString(MARGIN, A4[1] - 14 * mm, code)
    canvas.setFont(font, 8)
    canvas.setFillColor(graphics.MUTED)
    canvas.drawString(MARGIN, A4[1] - 19 * mm, words.title[:110])
    canvas.drawString(MARGIN, A4[1] - 23 * mm, " · ".join(s % {"code": code, "page": doc.sheet_page} for s in words.sheet))
    canvas.restoreState()


_QR_CACHE: dict[str, object] = {}


def _image_reader(code: str):
    from reportlab.lib.utils import ImageReader

    if code not in _QR_CACHE:
        if len(_QR_CACHE) > 256:
            _QR_CACHE.clear()
        _QR_CACHE[code] = ImageReader(io.BytesIO(qr_png(code)))
    return _QR_CACHE[code]


def _styles(font: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=12)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=15, leading=19, spaceAfter=4),
        "dim": ParagraphStyle("dim", parent=base, fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
                              textColor=graphics.ACCENT),
        "q": ParagraphStyle("q", parent=base, fontName=bold, fontSize=10, leading=13, spaceBefore=6),
        "other": ParagraphStyle("other", parent=base, fontSize=8.5, leading=11, textColor=graphics.MUTED),
        "choice": ParagraphStyle("choice", parent=base, fontSize=8.5, leading=10.5),
    }


def _both(texts: list[str], first: ParagraphStyle, other: ParagraphStyle) -> list[Flowable]:
    """The first language in full, the others beneath it in grey (skipped where identical)."""
    shown = [Paragraph(plain(texts[0]), first)]
    shown += [Paragraph(plain(t), other) for t in texts[1:] if t and t != texts[0]]
    return shown


def _t(q: Questionnaire, text: dict[str, str] | None) -> list[str]:
    text = text or {}
    return [text.get(lang) or text.get(q.languages[0], "") for lang in q.languages]


def _sheet(q: Questionnaire, role: str, words: PaperWords, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(plain(words.title), s["title"])]
    story += _both(words.instructions, s["body"], s["other"])
    number = 0
    items = q.items_for_role(role)
    for dimension in q.dimensions:
        mine = [i for i in items if i.dimension == dimension.id]
        if not mine:
            continue
        story += [CondPageBreak(40 * mm), *_both(_t(q, dimension.label), s["dim"], s["other"])]
        for item in mine:
            number += 1
            story.append(KeepTogether(_question(q, item, number, words, s)))
    return story


def _question(q: Questionnaire, item: Item, number: int, words: PaperWords, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    texts = _t(q, item.text)
    parts: list[Flowable] = [Paragraph(f"{number}. " + plain(texts[0]), s["q"])]
    parts += [Paragraph(plain(t), s["other"]) for t in texts[1:] if t != texts[0]]
    if item.help:
        parts += _both(_t(q, item.help), s["other"], s["other"])
    choices: list[tuple[str, list[str]]] = []
    if item.type is ItemType.LEVEL:
        choices = [(str(level), _t(q, d)) for level, d in sorted((item.levels or {}).items())]
    elif item.type is ItemType.YES_NO:
        choices = [("", words.yes_no[key]) for key in ("yes", "partly", "no")]
    else:
        parts.append(_lines(words.your_answer, 3, s))
    rows = [[Paragraph(f"{BOX} {label}".strip(), s["choice"]), _stacked(texts_, s)] for label, texts_ in choices]
    rows += [[Paragraph(BOX, s["choice"]), _stacked(words.dont_know, s)], [Paragraph(BOX, s["choice"]), _stacked(words.not_applicable, s)]]
    table = Table(rows, colWidths=[12 * mm, WIDTH - 12 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("LINEBELOW", (0, 0), (-1, -2), 0.25, graphics.GRID)]))
    parts += [table, _lines(words.comment, 2, s), Spacer(1, 2 * mm)]
    return parts


def _stacked(texts: list[str], s: dict[str, ParagraphStyle]) -> list[Flowable]:
    return _both(texts, s["choice"], s["other"])


def _lines(label: list[str], count: int, s: dict[str, ParagraphStyle]) -> Table:
    """A labelled space to write in."""
    rows = [[Paragraph(plain(" / ".join(dict.fromkeys(label))), s["other"])]] + [[""] for _ in range(count)]
    table = Table(rows, colWidths=[WIDTH], rowHeights=[None] + [7 * mm] * count)
    table.setStyle(TableStyle([("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#9aa5b1"))]))
    return table

