"""The PDF's pages after the first: charts, dimensions, roles, flags, figures, plan, charter, method."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from readiness.domain.explain import number, percent

from . import pdf_graphics as graphics
from .data import ReportData
from .pdf_base import SEVERITY_COLOURS, WIDTH, Styles, drawn, hexcolour, plain, table
from .pdf_after import after_go_live
from .pdf_labels import label


def details(r: ReportData, s: Styles, base_url: str) -> list[Any]:
    if r.waiting:  # nothing to judge yet: no scores, charts, flags or robustness, as on the page
        return _words(r, s, base_url) + _plan(r, s) + _charter(r, s) + _method(r, s, base_url)
    return (_dimensions(r, s) + _roles(r, s) + _flags(r, s) + _way(r, s) + _indicators(r, s) + _robustness(r, s)
            + _words(r, s, base_url) + _plan(r, s) + after_go_live(r, s) + _charter(r, s) + _method(r, s, base_url))


def _headed(heading: list[Any], first: list[Any]) -> KeepTogether:
    """A heading kept on the page of what follows it: never alone at a page foot."""
    return KeepTogether(heading + first)


def charts(r: ReportData) -> Table:
    """The radar and the bars side by side, with their legends; every label shaped as the paragraphs are."""
    half = WIDTH / 2 - 6
    drawing = Table([[graphics.radar(r.chart, half, 190, drawn), graphics.bars(r.chart, half, drawn)],
                     [graphics.radar_legend(r.chart, half, drawn), graphics.bars_legend(r.chart, half, drawn)]],
                    colWidths=[half + 6, half + 6])
    drawing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return drawing


def _dimensions(r: ReportData, s: Styles) -> list[Any]:
    lang = r.lang
    rows = [[label("dimension", lang), label("score", lang), label("coverage", lang), label("go", lang), label("margin", lang)]]
    rows += [[d.label, number(d.score, lang=lang), percent(d.coverage, lang=lang), number(d.go, lang=lang),
              "–" if d.margin is None else f"{d.margin:+.0f}"] for d in r.dimensions]
    rows.append([label("overall", lang), r.overall_score, r.overall_coverage, "", ""])
    below = [i + 1 for i, d in enumerate(r.dimensions) if d.state in ("below_go", "below_floor")]
    return [Paragraph(plain(label("dimensions", lang)), s.h2), charts(r), Spacer(1, 4),
            table(rows, s, [0.52, 0.12, 0.14, 0.1, 0.12], highlight=below),
            _headed([Paragraph(plain(label("margins", lang)), s.h3)], [Paragraph(plain(m), s.cell) for m in r.recommendation.margins])]


def _roles(r: ReportData, s: Styles) -> list[Any]:
    lang, roles = r.lang, r.roles
    if not roles.roles:
        return []
    share = 0.78 / len(roles.roles)
    header = [label("dimension", lang)] + [f"{role.label} ({count})" for role, count in zip(roles.roles, roles.counts)]
    rows = [header] + [[name] + [number(v, lang=lang) for v in values] for name, values, _gap in roles.rows]
    gaps = [i + 1 for i, (_n, _v, gap) in enumerate(roles.rows) if gap]
    story: list[Any] = [Paragraph(plain(label("roles", lang)), s.h2),
                        table(rows, s, [0.22] + [share] * len(roles.roles), highlight=gaps)]
    if r.words.withheld:
        story.append(Paragraph(plain(r.words.withheld), s.small))
    story += [Paragraph(f"• {plain(f.message)}", s.cell) for f in r.perception_gaps]
    return story


def _flags(r: ReportData, s: Styles) -> list[Any]:
    lang = r.lang
    story: list[Any] = []
    heading: list[Any] = [Paragraph(plain(label("flags", lang)), s.h2)]
    for group in r.flag_groups:
        colour = hexcolour(SEVERITY_COLOURS[group.severity])
        heading.append(Paragraph(f'<font color="{colour}">{plain(group.label)} ({len(group.flags)})</font>', s.h3))
        for index, flag in enumerate(group.flags):
            parts = [Paragraph(f"<b>{plain(flag.message)}</b>", s.body)]
            parts += [Paragraph(plain(line), s.small) for line in flag.evidence]
            if flag.action:
                parts.append(Paragraph(f"<b>{plain(label('action', lang))}</b>: {plain(flag.action)}", s.cell))
            story.append(_headed(heading, parts + [Spacer(1, 4)]) if index == 0 else KeepTogether(parts + [Spacer(1, 4)]))
            heading = []
    return story or heading


def _way(r: ReportData, s: Styles) -> list[Any]:
    way = r.first.way
    if way is None:
        return []
    lines = [Paragraph(f"• {plain(change)}", s.cell) for change in way.changes]
    return [_headed([Paragraph(plain(label("way", r.lang)), s.h2), Paragraph(plain(way.sentence), s.body)], lines[:1])] + lines[1:]


def _words(r: ReportData, s: Styles, base_url: str) -> list[Any]:
    lang, words = r.lang, r.words
    heading = [Paragraph(plain(label("words", lang)), s.h2), Paragraph(plain(label("words_intro", lang)), s.small)]
    if words.withheld:
        heading.append(Paragraph(plain(words.withheld), s.small))
    if not words.groups:
        return heading + [Paragraph(plain(label("no_words", lang)), s.body)]
    story: list[Any] = []
    for group in words.groups:
        lines = [Paragraph(f'<font color="{hexcolour(graphics.MUTED)}">{plain(line.role)} · {plain(line.kind)}:</font> '
                           f"{plain(line.text)}", s.cell) for line in group.lines]
        if group.total > group.shown:  # bounded: say how many, and where to read them all
            lines.append(Paragraph(plain(label("words_shown", lang).format(
                shown=group.shown, total=group.total, link=base_url.rstrip("/") + group.list_path)), s.small))
        story.append(_headed(heading + [Paragraph(plain(group.question), s.h3)], lines[:1]))
        story += lines[1:]
        heading = []
    return story


def _indicators(r: ReportData, s: Styles) -> list[Any]:
    lang = r.lang
    rows = [[label("indicator", lang), label("value", lang), label("level", lang), label("self_rating", lang)]]
    for ind in r.indicators:
        level = "–" if ind.level is None else f"{ind.level}/4"
        rating = f"{ind.self_rating}/4" + (f" ({label('disagrees', lang)})" if ind.disagrees else "")
        checks = f"\n“{ind.checks}”" if ind.checks else ""
        rows.append([ind.label + checks, f"{ind.value} {ind.unit}", level, rating])
    disagreeing = [i + 1 for i, ind in enumerate(r.indicators) if ind.disagrees]
    return [Paragraph(plain(label("indicators", lang)), s.h2), table(rows, s, [0.52, 0.18, 0.1, 0.2], highlight=disagreeing)]


def _robustness(r: ReportData, s: Styles) -> list[Any]:
    lang, rob = r.lang, r.robustness
    story: list[Any] = [Paragraph(plain(label("robustness", lang)), s.h2),
                        Paragraph(f"{plain(label('coverage', lang))}: {plain(r.overall_coverage)}", s.body),
                        Paragraph(plain(rob.sentence), s.body)]
    if rob.deciding_items:
        story.append(Paragraph(f"<b>{plain(label('deciding', lang))}</b>:", s.body))
        story += [Paragraph(f"• {plain(item)}", s.cell) for item in rob.deciding_items]
    return story


def _plan(r: ReportData, s: Styles) -> list[Any]:
    lang = r.lang
    if not r.actions:
        return [Paragraph(plain(label("plan", lang)), s.h2), Paragraph(plain(label("no_actions", lang)), s.body)]
    rows = [[label("action", lang), label("owner", lang), label("due", lang), label("status", lang)]]
    rows += [[a.title, a.owner or "–", a.due + (f" ({label('overdue', lang)})" if a.overdue else ""), a.status_label]
             for a in r.actions]
    overdue = [i + 1 for i, a in enumerate(r.actions) if a.overdue]
    return [Paragraph(plain(label("plan", lang)), s.h2), table(rows, s, [0.5, 0.18, 0.17, 0.15], highlight=overdue)]


def _charter(r: ReportData, s: Styles) -> list[Any]:
    lang = r.lang
    if not r.charter:
        return []
    rows = [[label("commitment", lang), label("level", lang), label("status", lang)]]
    rows += [[f"{c.text}\n{c.theme}", c.level_label, c.status_label] for c in r.charter]
    unmet_blocking = [i + 1 for i, c in enumerate(r.charter) if c.unmet and c.level == "blocking"]
    summary = [Paragraph(plain(line), s.body) for line in r.charter_summary] or [
        Paragraph(plain(label("charter_summary", lang).format(unmet=r.blocking_unmet)), s.body)]
    return [Paragraph(plain(label("charter", lang)), s.h2), *summary, table(rows, s, [0.64, 0.16, 0.2], highlight=unmet_blocking)]


def _method(r: ReportData, s: Styles, base_url: str) -> list[Any]:
    lang = r.lang
    url = base_url.rstrip("/") + r.method_path
    return ([Paragraph(plain(label("method", lang)), s.h2)] + [Paragraph(plain(p), s.body) for p in r.method]
            + [Paragraph(plain(label("method_link", lang).format(url=url)), s.small)])
