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
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from readiness.i18n import draft_notice

from . import pdf_graphics as graphics
from .data import ReportData
from .parts import FlagRow
from .pdf_base import MARGIN, document_language, visual, OUTCOME_COLOURS, SEVERITY_COLOURS, TABLE_WIDTH, Styles, flowing_table, hexcolour, plain, table
from .pdf_labels import label
from .pdf_sections import details
from .waiting import Waiting

FIRST_PAGE_ACTIONS = 4
FIRST_PAGE_CHANGES = 6


def render_pdf(report: ReportData, base_url: str = "") -> bytes:
    """:param base_url: the site's address, to print the method page's full link.
    :return: the PDF document's bytes.
    """
    with document_language(report.lang):
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
    """The answer first: recommendation and why, how sure, the first three things to do, a way to go.

    A live preview with too little to judge says so instead, as the page does: no verdict.
    """
    h, lang = r.header, r.lang
    story: list[Any] = [Paragraph(f"{plain(label('report', lang))}: {plain(h.title)}", s.title)]
    facts = [(label("delegation", lang), f"{h.delegation} ({h.country})"), (label("tool", lang), h.tool),
             (label("status", lang), h.status_label)]
    if h.target_go_live:
        facts.append((label("go_live", lang), h.target_go_live))
    story.append(Paragraph(" · ".join(f"<b>{plain(k)}</b>: {plain(v)}" for k, v in facts), s.small))
    if h.is_preview:
        story.append(Paragraph(plain(f"{label('preview', lang)}: {h.basis}"), s.banner))
    if draft_notice(lang):
        story.append(Paragraph(plain(draft_notice(lang) or ""), s.small))
    story += _waiting(r.waiting, s, lang) if r.waiting else _answer(r, s)
    story += _decision_box(r, s)
    if not r.waiting:
        story.append(Paragraph(plain(label("next_steps", lang)), s.h2))
        story += _next_steps(r, s)
    story.append(Paragraph(plain(f"{label('versions', lang)}: {h.questionnaire} · {h.charter}. {h.basis}"), s.small))
    return story


def _answer(r: ReportData, s: Styles) -> list[Any]:
    lang, a = r.lang, r.first
    colour = hexcolour(OUTCOME_COLOURS.get(a.outcome, graphics.MUTED))
    story: list[Any] = [Paragraph(plain(label("recommendation", lang)), s.h2),
                        Paragraph(f'<font color="{colour}">{plain(a.label)}</font> '
                                  f'<font size="10" color="black">· {plain(a.decision)}</font>', s.big),
                        Paragraph(plain(a.reason), s.body), Paragraph(plain(a.robustness), s.small),
                        Paragraph(plain(label("first_things", lang)), s.h2)]
    story += [_thing_line(index, thing, s, lang) for index, thing in enumerate(a.things, start=1)]
    if not a.things:
        story.append(Paragraph(plain(label("no_flags", lang)), s.body))
    if a.more:
        story.append(Paragraph(plain(a.more), s.small))
    if a.way:
        story += [Paragraph(plain(label("way", lang)), s.h2), Paragraph(plain(a.way.sentence), s.body)]
        story += [Paragraph(f"• {plain(change)}", s.cell) for change in a.way.changes[:FIRST_PAGE_CHANGES]]
        if len(a.way.changes) > FIRST_PAGE_CHANGES:
            story.append(Paragraph(plain(label("more_changes", lang).format(count=len(a.way.changes) - FIRST_PAGE_CHANGES)),
                                   s.small))
    return story


def _waiting(w: Waiting, s: Styles, lang: str) -> list[Any]:
    """Nothing to judge yet: the rule's reason, what is missing, who must still answer (``templates/reports/_waiting.html``)."""
    story: list[Any] = [Paragraph(plain(label("waiting", lang)), s.h2)]
    if w.reason:
        story.append(Paragraph(plain(w.reason), s.body))
    if w.missing:
        story.append(Paragraph(f"<b>{plain(label('missing', lang))}</b>", s.body))
        story += [Paragraph(f"• {plain(line)}", s.cell) for line in w.missing]
    story.append(Paragraph(f"<b>{plain(label('must_answer', lang))}</b>", s.body))
    story += [Paragraph(f"• {plain(line)}", s.cell) for line in w.who] or [Paragraph(plain(label("all_sent", lang)), s.body)]
    return story + [Spacer(1, 4), Paragraph(plain(label("waiting_later", lang)), s.small)]


def _thing_line(index: int, thing: Any, s: Styles, lang: str) -> Paragraph:
    colour = hexcolour(SEVERITY_COLOURS[thing.severity])
    who = ""
    if thing.who or thing.by_when:
        who = "<br/>" + plain(label("who_when", lang).format(who=thing.who or "–", when=thing.by_when or "–"))
    return Paragraph(f'{index}. <font color="{colour}"><b>{plain(thing.severity_label)}</b></font> '
                     f'<b>{plain(thing.headline)}</b><br/>{plain(_clip(thing.message, 220))}{who}', s.compact)


def _decision_box(r: ReportData, s: Styles) -> list[Any]:
    lang, d = r.lang, r.decision
    if d is None:
        return []  # the recommendation's line already says there is no decision yet
    colour = hexcolour(OUTCOME_COLOURS.get(d.outcome, graphics.MUTED))
    who = label("decided_by", lang).format(name=d.decided_by, date=d.decided_on)
    rows = [Paragraph(f'{plain(label("decision", lang))}: <font color="{colour}">{plain(d.label)}</font>', s.big),
            Paragraph(plain(who), s.small),
            Paragraph(f"<b>{plain(label('rationale', lang))}</b>: {plain(d.rationale)}", s.body)]
    if d.conditions:
        rows.append(Paragraph(f"<b>{plain(label('conditions', lang))}</b>:<br/>{plain(d.conditions)}", s.body))
    if d.is_override:
        rows.append(Paragraph(f"<b>{plain(label('override', lang))}</b>: {plain(d.override_note)} "
                              f"<b>{plain(label('override_reason', lang))}</b>: {plain(d.override_reason)}", s.body))
    rows += _amendment_rows(d, lang, s)
    box = flowing_table([[row] for row in rows], colWidths=[TABLE_WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, graphics.ACCENT), ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f6f8")),
                             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [Spacer(1, 4), box]


def _amendment_rows(d: Any, lang: str, s: Styles) -> list[Any]:
    """Each amendment of the decision: who, when, why, and what it said before."""
    return [Paragraph(plain(label("amended", lang).format(name=h.amended_by, date=h.amended_on, reason=h.reason,
                                                          before=h.before_label)), s.small) for h in d.history]


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
    every = [a for a in r.actions if a.status in ("open", "in_progress")]
    open_actions = every[:FIRST_PAGE_ACTIONS]
    if open_actions:
        story: list[Any] = [table([[label("action", lang), label("owner", lang), label("due", lang), label("status", lang)]] +
                                  [[a.title, a.owner or "–", a.due + (f" ({label('overdue', lang)})" if a.overdue else ""),
                                    a.status_label] for a in open_actions], s, [0.5, 0.18, 0.17, 0.15])]
        if len(every) > len(open_actions):
            story.append(Paragraph(plain(label("more_actions", lang).format(count=len(every) - len(open_actions))), s.small))
        return story
    conditions = r.recommendation.conditions
    story = [Paragraph(f"• {plain(f.message)}", s.cell) for f in conditions[:FIRST_PAGE_ACTIONS]]
    if len(conditions) > FIRST_PAGE_ACTIONS:
        story.append(Paragraph(plain(label("more_conditions", lang).format(count=len(conditions) - FIRST_PAGE_ACTIONS)),
                               s.small))
    return story + [Paragraph(plain(label("no_actions", lang)), s.small)]


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
                self.drawString(MARGIN, 10 * mm, visual(text[:160], paragraph=False))
                super().showPage()
            super().save()

    return NumberedCanvas


__all__ = ["plain", "render_pdf"]
