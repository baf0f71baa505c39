"""The report as a PDF (ReportLab platypus), rendered from the same ``ReportData`` as the page.

The first page is written for a country director with two minutes: the decision, the
recommendation and why, the most important flags, and what has to happen next.
"""
from __future__ import annotations

from io import BytesIO
from typing import Any
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import pdf_graphics as graphics
from .data import ReportData
from .parts import FlagRow
from .pdf_base import MARGIN, OUTCOME_COLOURS, SEVERITY_COLOURS, TABLE_WIDTH, Styles, flowing_table, hexcolour, plain, table
from .pdf_labels import label
from .pdf_sections import details

FIRST_PAGE_FLAGS = 4
FIRST_PAGE_ACTIONS = 4


def render_pdf(report: ReportData, base_url: str = "") -> bytes:
    """:param base_url: the site's address, to print the method page's full link.
    :return: the PDF document's bytes.
    """
    styles = Styles()
    buffer = BytesIO()
    h = report.header
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=f"{label('report', report.lang)} – {h.title}",
                            author="Readiness", subject=h.delegation, lang=report.lang)
    story = _first_page(report, styles) + [PageBreak()] + details(report, styles, base_url)
    footer = {"title": h.title, "delegation": h.delegation, "version": h.questionnaire_version, "date": h.generated}
    doc.build(story, canvasmaker=_numbered_canvas(footer, report.lang))
    return buffer.getvalue()


def _first_page(r: ReportData, s: Styles) -> list[Any]:
    h, lang = r.header, r.lang
    story: list[Any] = [Paragraph(f"{label('report', lang)}: {plain(h.title)}", s.title)]
    facts = [(label("delegation", lang), f"{h.delegation} ({h.country})"), (label("tool", lang), h.tool),
             (label("status", lang), h.status_label), (label("versions", lang), f"{h.questionnaire} · {h.charter}")]
    if h.target_go_live:
        facts.insert(2, (label("go_live", lang), h.target_go_live))
    story.append(Paragraph(" · ".join(f"<b>{plain(k)}</b>: {plain(v)}" for k, v in facts), s.small))
    story.append(Paragraph(plain(f"{label('preview', lang)}: {h.basis}") if h.is_preview else plain(h.basis),
                           s.banner if h.is_preview else s.small))
    story += _decision_box(r, s)
    rec = r.recommendation
    colour = hexcolour(OUTCOME_COLOURS.get(rec.outcome, graphics.MUTED))
    story += [Paragraph(label("recommendation", lang), s.h2),
              Paragraph(f'<font color="{colour}">{plain(rec.label)}</font>', s.big),
              Paragraph(plain(rec.rule_text), s.body), Paragraph(plain(rec.because), s.small)]
    story += [Paragraph(plain(sentence), s.cell) for sentence in rec.margins]
    story.append(Paragraph(label("top_flags", lang), s.h2))
    # Fewer lines when a decision box takes room, so the summary stays on one page.
    shown = r.top_flags[: FIRST_PAGE_FLAGS - (1 if r.decision else 0)]
    story += [_flag_line(f, s) for f in shown] or [Paragraph(label("no_flags", lang), s.body)]
    story.append(Paragraph(plain(label("more_flags", lang).format(count=r.flag_count)), s.small))
    story.append(Paragraph(label("next_steps", lang), s.h2))
    story += _next_steps(r, s)
    return story


def _decision_box(r: ReportData, s: Styles) -> list[Any]:
    lang, d = r.lang, r.decision
    if d is None:
        return [Paragraph(label("decision", lang), s.h2), Paragraph(label("no_decision", lang), s.body)]
    colour = hexcolour(OUTCOME_COLOURS.get(d.outcome, graphics.MUTED))
    who = label("decided_by", lang).format(name=d.decided_by, date=d.decided_on)
    rows = [Paragraph(f'{label("decision", lang)}: <font color="{colour}">{plain(d.label)}</font>', s.big),
            Paragraph(plain(who), s.small),
            Paragraph(f"<b>{label('rationale', lang)}</b>: {plain(d.rationale)}", s.body)]
    if d.conditions:
        rows.append(Paragraph(f"<b>{label('conditions', lang)}</b>:<br/>{plain(d.conditions)}", s.body))
    if d.is_override:
        rows.append(Paragraph(f"<b>{label('override', lang)}</b>: {plain(d.override_note)} "
                              f"<b>{label('override_reason', lang)}</b>: {plain(d.override_reason)}", s.body))
    box = flowing_table([[row] for row in rows], colWidths=[TABLE_WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, graphics.ACCENT), ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f6f8")),
                             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [Spacer(1, 4), box]


def _flag_line(flag: FlagRow, s: Styles) -> Paragraph:
    colour = hexcolour(SEVERITY_COLOURS[flag.severity])
    action = f"<br/>→ {plain(_clip(flag.action, 160))}" if flag.action else ""
    return Paragraph(f'<font color="{colour}"><b>{plain(flag.severity_label)}</b></font> {plain(flag.message)}{action}',
                     s.compact)


def _clip(value: str, limit: int) -> str:
    # The first page summarises; the full action is on the flags page.
    return value if len(value) <= limit else value[: limit - 1].rsplit(" ", 1)[0] + " …"


def _next_steps(r: ReportData, s: Styles) -> list[Any]:
    lang = r.lang
    open_actions = [a for a in r.actions if a.status in ("open", "in_progress")][:FIRST_PAGE_ACTIONS]
    if open_actions:
        return [table([[label("action", lang), label("owner", lang), label("due", lang), label("status", lang)]] +
                       [[a.title, a.owner or "–", a.due + (f" ({label('overdue', lang)})" if a.overdue else ""),
                         a.status_label] for a in open_actions], s, [0.5, 0.18, 0.17, 0.15])]
    conditions = [Paragraph(f"• {plain(f.message)}", s.cell) for f in r.recommendation.conditions[:FIRST_PAGE_ACTIONS]]
    return conditions + [Paragraph(label("no_actions", lang), s.small)]


def _numbered_canvas(footer: dict[str, str], lang: str) -> type[Canvas]:
    """A canvas that writes "page X of Y" once the number of pages is known."""
    font, _bold = graphics.fonts()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802  (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                text = label("footer", lang).format(page=self._pageNumber, pages=len(self._pages), **footer)
                self.setFont(font, 7)
                self.setFillColor(graphics.MUTED)
                self.drawString(MARGIN, 10 * mm, text[:160])
                super().showPage()
            super().save()

    return NumberedCanvas


__all__ = ["plain", "render_pdf"]
