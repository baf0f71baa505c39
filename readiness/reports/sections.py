"""Report sections that need more than a line or two: flag evidence, roles, indicators, charter."""
from __future__ import annotations

from readiness.domain.explain import STATUSES, number, text
from readiness.domain.result import Flag, Result
from readiness.questionnaire.schema import Charter, Questionnaire

from . import wording
from .parts import CharterRow, IndicatorRow, RoleScore, RoleTable

MAX_LISTED = 5
UNMET = frozenset({"not_met", "partly", "missing"})
_LEVEL_ORDER = {"blocking": 0, "condition": 1, "advisory": 2}


def _say(key: str, lang: str, **params: object) -> str:
    return text(wording.SENTENCES[key], lang).format(**params)


def _listing(names: list[str], lang: str) -> str:
    opening, closing = ("« ", " »") if lang == "fr" else ("“", "”")
    shown = ", ".join(f"{opening}{name}{closing}" for name in names[:MAX_LISTED])
    if len(names) > MAX_LISTED:
        shown += " " + _say("and_more", lang, count=len(names) - MAX_LISTED)
    return shown


def flag_evidence(flag: Flag, q: Questionnaire, charter: Charter | None, lang: str) -> list[str]:
    """:return: what raised the flag, in plain words (one sentence per piece of evidence)."""
    ev = flag.evidence
    roles = {role.id: text(role.label, lang) for role in q.roles}
    items = {item.id: text(item.text, lang) for item in q.items}
    lines: list[str] = []
    if ev.get("by_role"):
        ordered = [r for r in roles if r in ev["by_role"]] + [r for r in ev["by_role"] if r not in roles]
        scores = ", ".join(f"{roles.get(r, r)} {number(ev['by_role'][r], lang=lang)}" for r in ordered)
        lines.append(_say("by_role", lang, scores=scores))
    if flag.kind in ("critical_gate", "critical_unknown", "critical_golive"):
        status = text(STATUSES.get(ev.get("status", "")), lang) or number(ev.get("score"), 1, lang=lang)
        lines.append(_say("critical_status", lang, min_level=ev["min_level"], status=status))
    if ev.get("lowest_items"):
        lines.append(_say("lowest_items", lang, items=_listing([items[i] for i in ev["lowest_items"] if i in items], lang)))
    if ev.get("dont_know_items"):
        lines.append(_say("unknown_items", lang, items=_listing([items.get(i, i) for i in ev["dont_know_items"]], lang)))
    if ev.get("unanswered_items"):
        lines.append(_say("unanswered_items", lang, items=_listing([items.get(i, i) for i in ev["unanswered_items"]], lang)))
    if ev.get("band_source"):
        lines.append(_say("band_source", lang, source=text(ev["band_source"], lang)))
    if charter is not None:
        lines += _charter_evidence(flag, charter, lang)
    return lines


def _charter_evidence(flag: Flag, charter: Charter, lang: str) -> list[str]:
    ev = flag.evidence
    themes = {theme.id: text(theme.label, lang) for theme in charter.themes}
    if flag.kind in ("charter_blocking", "charter_condition", "charter_golive"):
        status = text(STATUSES.get(ev.get("status", "")), lang)
        return [_say("charter_theme", lang, theme=themes.get(ev.get("theme", ""), ""), status=status)]
    if flag.kind in ("charter_unanswered", "charter_advisory") and ev.get("items"):
        known = {item.id: text(item.text, lang).rstrip(".") for item in charter.items}
        return [_say("charter_items", lang, items=_listing([known.get(i, i) for i in ev["items"]], lang))]
    return []


def role_table(result: Result, q: Questionnaire, lang: str) -> RoleTable:
    """Dimension scores per role, side by side, with perception-gap rows marked."""
    present = [role for role in q.roles if result.roles.get(role.id)]
    gaps = {flag.dimension for flag in result.flags if flag.kind == "perception_gap"}
    rows = []
    for dim in q.dimensions:
        by_role = result.dimensions[dim.id].by_role
        rows.append((text(dim.label, lang), [by_role.get(role.id) for role in present], dim.id in gaps))
    return RoleTable(
        roles=[RoleScore(role.id, text(role.label, lang), None) for role in present],
        counts=[result.roles[role.id] for role in present],
        rows=rows,
    )


def indicator_rows(result: Result, q: Questionnaire, lang: str) -> list[IndicatorRow]:
    """Each derived indicator next to the self-rating it checks."""
    inputs = {i.id: text(i.label, lang) for i in q.inputs}
    gap_limit = q.flag_rules.self_rating_gap
    rows = []
    for indicator in q.indicators:
        r = result.indicators[indicator.id]
        checks = text(q.item(r.self_rating_item).text, lang) if r.self_rating_item else None
        rows.append(IndicatorRow(
            label=text(indicator.label, lang),
            value=number(r.value, 1, lang=lang),
            unit=text(indicator.unit, lang),
            level=r.level,
            band_source=text(r.band_source, lang) or None,
            checks=checks,
            self_rating=number(r.self_rating, 1, lang=lang),
            gap=r.gap,
            disagrees=r.gap is not None and abs(r.gap) >= gap_limit,
            missing_inputs=[inputs.get(i, i) for i in r.missing_inputs],
        ))
    return rows


def charter_rows(result: Result, charter: Charter | None, lang: str) -> list[CharterRow]:
    """Every charter item with its status: unmet blocking items first, then conditions, then advice."""
    if charter is None or result.charter is None:
        return []
    themes = {theme.id: text(theme.label, lang) for theme in charter.themes}
    rows = []
    for item in charter.items:
        status = result.charter.statuses.get(item.id, "missing")
        level = item.level.value
        rows.append(CharterRow(
            item_id=item.id, theme=themes.get(item.theme, item.theme), level=level,
            level_label=text(wording.CHARTER_LEVELS[level], lang), text=text(item.text, lang),
            status=status, status_label=text(STATUSES.get(status), lang) or status,
            unmet=status in UNMET, guidance=text(item.guidance, lang),
        ))
    # Stable sort keeps the charter's own order within each group.
    return sorted(rows, key=lambda row: (not row.unmet, _LEVEL_ORDER[row.level]))
