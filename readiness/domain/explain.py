"""Plain-language text for results, in the reader's language.

The engine stores structured flags; the words are chosen here when a result is shown, so a
stored result can be read in any catalogue language (``readiness.i18n``) and the wording can improve without
re-scoring anything.
"""
from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from readiness.i18n import N_, NC_, gettext_in

from dataclasses import dataclass
from typing import Any

from readiness.questionnaire.schema import Charter, Questionnaire

from .result import Flag

OUTCOMES = {
    "go": N_("Go"),
    "go_with_conditions": N_("Go with conditions"),
    "no_go": N_("No-go"),
    "insufficient_evidence": N_("Insufficient evidence"),
    "deferred": N_("Deferred"),
}
SEVERITIES = {
    "critical": N_("Critical"),
    "major": N_("Major"),
    "minor": N_("Minor"),
}
STATUSES = {
    "met": N_("met"),
    "partly": N_("partly met"),
    "not_met": N_("not met"),
    "not_applicable": N_("not applicable"),
    "missing": N_("not answered"),
    "answered": NC_("status", "answered"),
    "unknown": N_("don't know"),
}

_MESSAGES = {
    "critical_gate": N_("Critical item “{item}” scores {score} where at least {min_level} is required."),
    "critical_unknown": N_("Critical item “{item}” is not established ({status}); it must be answered to allow a go."),
    "dimension_floor": N_("{dimension} scores {score}, below the floor of {floor}."),
    "dimension_below_go": N_("{dimension} scores {score}, below the go threshold of {go}."),
    "dimension_floor_just": N_("{dimension} scores {score} once rounded, but just below the floor of {floor}."),
    "dimension_below_go_just": N_("{dimension} scores {score} once rounded, but just below the go threshold of {go}."),
    "perception_gap": N_("{dimension}: {high_role} {high}, {low_role} {low} on the {shared} question(s) both answered — a gap of {gap}."),
    "unknowns": N_("{dimension}: {count} question(s) answered “don't know” or not answered by every role asked; coverage {coverage}."),
    "floor_low_evidence": N_("Not enough evidence on {dimension}: it scores {score}, below the floor of {floor}, but only {coverage} of it was answered (at least {minimum} is needed to judge it)."),
    "role_not_heard": N_("Not heard: {role} ({respondents} respondent(s) answered, at least {minimum} expected); {count} question(s) lack their view."),
    "critical_golive": N_("Before go-live: critical item “{item}” scores {score} where at least {min_level} is required."),
    "charter_golive": N_("Before go-live: blocking charter item {status}: “{item}”."),
    "purpose": N_("The tool looks wanted mainly for reporting, not for social workers' daily casework: {scores}.{reasons}"),
    "indicator_low": N_("{indicator} is {value} {unit}, level {level} of 4."),
    "self_rating": N_("“{item}” is rated {self_rating} but the figures give {indicator} = {value} {unit} (level {level})."),
    "figures_missing": N_("Figures missing for: {indicators}."),
    "charter_blocking": N_("Blocking charter item {status}: “{item}”."),
    "charter_condition": N_("Charter item {status}: “{item}”."),
    "charter_unanswered": N_("{count} charter item(s) not answered, {blocking} of them blocking."),
    "charter_advisory": N_("{count} advisory charter item(s) not fully met."),
}

_ACTIONS = {
    "perception_gap": N_("Discuss the gap with both groups before deciding; the frontline view is evidence, not noise."),
    "unknowns": N_("Find out the unknown answers or invite the missing roles, then re-score."),
    "figures_missing": N_("Enter the measured figures so self-ratings can be checked."),
    "charter_unanswered": N_("Complete the charter self-assessment."),
    "critical_unknown": N_("Establish this item with evidence before any go decision."),
    "role_not_heard": N_("Invite this role and collect its answers before deciding; its view is evidence the others cannot give."),
    "floor_low_evidence": N_("Find out first: {items}."),
    "purpose": N_("Rework the plan with social workers so the tool serves daily casework first; reports should come from the same records."),
}

_WORDS = {
    "point": N_("{n} point"),
    "points": N_("{n} points"),
    "rated_by": N_("{rating} by {role}"),
    "and": N_(" and "),
    "reason": N_(" Reason given for the tool: {quote}"),
    "level_of": N_("{item} {score} of 4"),
}


@dataclass(frozen=True)
class FlagText:
    message: str
    action: str | None


def text(value: dict[str, str] | str | None, lang: str) -> str:
    """:return: ``value`` in ``lang``, falling back to English.

    :param value: a definition-file text (``{"en": ..., "fr": ...}``) or a catalogue msgid
        marked with ``N_`` (translated through the gettext catalogue of ``lang``).
    """
    if not value:
        return ""
    if isinstance(value, str):
        return gettext_in(lang, value)
    return value.get(lang) or value.get("en") or next(iter(value.values()))


def outcome_label(outcome: str, lang: str) -> str:
    return text(OUTCOMES.get(outcome), lang) or outcome


def number(value: float | None, digits: int = 0, lang: str = "en") -> str:
    """:return: ``value`` rounded once, half away from zero, as every page shows it, in ``lang``'s
    conventions ("28.0", "28,0"). Arabic keeps Western digits (CLDR's default for ``ar``) so a
    figure reads the same in a page, a PDF, a chart and an export; see the README, "Languages".
    """
    if value is None:
        return "–"
    shown = rounded(value, digits)
    if lang == "en":
        return f"{shown:.{digits}f}"
    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(shown, format=pattern, locale=lang, numbering_system="latn")


def rounded(value: float, digits: int = 0) -> float:
    """:return: ``value`` rounded half away from zero (59.5 -> 60), the one rounding every display uses."""
    factor = 10 ** digits
    return float(int(abs(value) * factor + 0.5 + 1e-9)) / factor * (1 if value >= 0 else -1)


def points(value: float, lang: str) -> str:
    """:return: "1 point" or "12 points", rounded as displayed."""
    shown = number(value, lang=lang)
    return text(_WORDS["point" if shown in ("1", "-1") else "points"], lang).format(n=shown)


def percent(value: float | None, lang: str = "en") -> str:
    if value is None:
        return "–"
    if lang == "en":
        return f"{number(value * 100)} %"
    # The locale's own sign and spacing ("28 %" with a narrow no-break space in French).
    return format_percent(rounded(value * 100) / 100, locale=lang, numbering_system="latn")


def describe_flag(flag: Flag, questionnaire: Questionnaire, charter: Charter | None, lang: str) -> FlagText:
    """:return: the flag's message and recommended action in ``lang``."""
    params, action = _params(flag, questionnaire, charter, lang)
    key = flag.kind
    if key in ("dimension_floor", "dimension_below_go") and _shown_at_threshold(flag):
        key = f"{key}_just"  # compare what is shown: 34.6 reads 35, so "just below the floor of 35"
    message = text(_MESSAGES.get(key), lang).format(**params) if key in _MESSAGES else flag.code
    return FlagText(message, action or text(_ACTIONS.get(flag.kind), lang) or None)


def _shown_at_threshold(flag: Flag) -> bool:
    ev = flag.evidence
    threshold = ev["floor"] if flag.kind == "dimension_floor" else ev["go"]
    return ev.get("score") is not None and rounded(ev["score"]) >= threshold


def _params(flag: Flag, q: Questionnaire, charter: Charter | None, lang: str) -> tuple[dict[str, Any], str | None]:
    ev = flag.evidence
    params: dict[str, Any] = {}
    action = None
    if flag.dimension:
        params["dimension"] = text(next(d.label for d in q.dimensions if d.id == flag.dimension), lang)
    roles = {role.id: text(role.label, lang) for role in q.roles}  # labels as written: never lower-cased
    if flag.kind in ("critical_gate", "critical_unknown", "critical_golive"):
        item = q.item(flag.subject)  # type: ignore[arg-type]
        params |= {"item": text(item.text, lang), "score": number(ev["score"], 1, lang=lang), "min_level": ev["min_level"]}
        params["status"] = text(STATUSES.get(ev.get("status", "")), lang)
        if flag.kind != "critical_unknown":
            action = text(item.action, lang) or None
    elif flag.kind in ("dimension_floor", "dimension_below_go"):
        params |= {"score": number(ev["score"], lang=lang), "floor": number(ev["floor"], lang=lang), "go": number(ev["go"], lang=lang)}
        actions = [text(q.item(i).action, lang) for i in ev["lowest_items"] if q.item(i).action]
        action = " ".join(actions[:2]) or None
    elif flag.kind == "perception_gap":
        by_role = ev["by_role"]
        params |= {"high_role": roles[ev["high_role"]], "low_role": roles[ev["low_role"]], "gap": points(ev["gap"], lang)}
        params |= {"high": number(by_role[ev["high_role"]], lang=lang), "low": number(by_role[ev["low_role"]], lang=lang)}
        params["shared"] = len(ev.get("items", [])) or "–"
    elif flag.kind == "unknowns":
        count = len(ev["dont_know_items"]) + len(ev["unanswered_items"]) + len(ev.get("partly_covered_items", []))
        params |= {"count": count, "coverage": percent(ev["coverage"], lang=lang)}
    elif flag.kind == "floor_low_evidence":
        params |= {"score": number(ev["score"], lang=lang), "floor": number(ev["floor"], lang=lang), "coverage": percent(ev["coverage"], lang=lang),
                   "minimum": percent(ev["minimum"], lang=lang)}
        items = [text(q.item(i).text, lang) for i in ev.get("find_out", [])[:3]]
        action = text(_ACTIONS["floor_low_evidence"], lang).format(items=" / ".join(items)) if items else None
    elif flag.kind == "role_not_heard":
        params |= {"role": roles.get(flag.subject, flag.subject), "respondents": ev["respondents"],  # type: ignore[arg-type]
                   "minimum": ev["min_respondents"], "count": len(ev["items"])}
    elif flag.kind == "purpose":
        scores = [text(_WORDS["level_of"], lang).format(item=f"“{text(q.item(i).text, lang)}”", score=number(v, 1, lang=lang))
                  for i, v in ev["scores"].items()]
        params["scores"] = "; ".join(scores)
        quotes = " ".join(f"“{reason.strip()}”" for reason in ev.get("reasons", []) if reason.strip())
        params["reasons"] = text(_WORDS["reason"], lang).format(quote=quotes) if quotes else ""
    elif flag.kind in ("indicator_low", "self_rating"):
        indicator = next(i for i in q.indicators if i.id == flag.subject)
        params |= {"indicator": text(indicator.label, lang), "value": number(ev["value"], 1, lang=lang)}
        params |= {"unit": text(indicator.unit, lang), "level": ev["level"]}
        if flag.kind == "self_rating":
            params |= {"item": text(q.item(ev["self_rating_item"]).text, lang), "self_rating": _ratings(ev, roles, lang)}
        action = text(indicator.action, lang) or None
    elif flag.kind == "figures_missing":
        labels = [text(i.label, lang) for i in q.indicators if i.id in ev["indicators"]]
        params["indicators"] = ", ".join(labels)
    elif flag.kind in ("charter_blocking", "charter_condition", "charter_golive") and charter is not None:
        pledge = charter.item(flag.subject)  # type: ignore[arg-type]
        params |= {"item": text(pledge.text, lang).rstrip("."), "status": text(STATUSES[ev["status"]], lang)}
        action = text(pledge.guidance, lang)
    elif flag.kind in ("charter_unanswered", "charter_advisory"):
        params |= {"count": len(ev["items"]), "blocking": len(ev.get("blocking", []))}
    return params, action


def _ratings(ev: dict[str, Any], roles: dict[str, str], lang: str) -> str:
    """Each contradicting role's own rating (older results carry only the mean over roles)."""
    by_role = ev.get("roles")
    if not by_role:
        return number(ev["self_rating"], 1, lang=lang)
    parts = [text(_WORDS["rated_by"], lang).format(rating=number(v, 1, lang=lang), role=roles.get(r, r)) for r, v in by_role.items()]
    return text(_WORDS["and"], lang).join(parts)


_CONDITIONS = {
    "critical_failed": N_("a critical item that must hold before the decision is below its minimum level"),
    "critical_failed_no": N_("no critical item is below its minimum level"),
    "blocking_unmet": N_("a blocking charter item that must hold before the decision is not met"),
    "blocking_unmet_no": N_("every blocking charter item is met"),
    "coverage_below": N_("less than {value} of the applicable questions are answered"),
    "any_dimension_below": N_("a dimension scores below its {threshold}"),
    "all_dimensions_at_least": N_("every dimension reaches its {threshold}"),
    "dimension_below": N_("{dimension} scores below {value}"),
    "overall_at_least": N_("the overall score is at least {value}"),
    "overall_below": N_("the overall score is below {value}"),
    "max_flags": N_("at most {value} {severity} flag(s)"),
    "always": N_("no earlier rule applied (this is the fallback rule)"),
    "role_not_heard": N_("the role “{role}” was not heard"),
    "and": N_(" and "),
    "go": N_("go threshold"),
    "floor": N_("floor"),
}


def describe_condition(rule_when: object, questionnaire: Questionnaire, lang: str) -> str:
    """:return: a decision rule's condition as one plain sentence."""
    when = rule_when.model_dump(exclude_none=True)  # type: ignore[attr-defined]
    if not when:
        return text(_CONDITIONS["always"], lang)
    parts = []
    for key, value in when.items():
        if key in ("critical_failed", "blocking_unmet"):
            parts.append(text(_CONDITIONS[key if value else f"{key}_no"], lang))
        elif key == "role_not_heard":
            labels = {role.id: text(role.label, lang) for role in questionnaire.roles}
            parts += [text(_CONDITIONS[key], lang).format(role=labels.get(r, r)) for r in value]
        elif key == "coverage_below":
            parts.append(text(_CONDITIONS[key], lang).format(value=percent(value, lang=lang)))
        elif key in ("any_dimension_below", "all_dimensions_at_least"):
            parts.append(text(_CONDITIONS[key], lang).format(threshold=text(_CONDITIONS[value], lang)))
        elif key == "dimension_below":
            labels = {d.id: text(d.label, lang) for d in questionnaire.dimensions}
            parts += [text(_CONDITIONS[key], lang).format(dimension=labels[d], value=v) for d, v in value.items()]
        elif key in ("overall_at_least", "overall_below"):
            parts.append(text(_CONDITIONS[key], lang).format(value=value))
        elif key == "max_flags":
            parts += [
                text(_CONDITIONS[key], lang).format(value=v, severity=text(SEVERITIES[str(s)], lang).lower())
                for s, v in value.items()
            ]
    return text(_CONDITIONS["and"], lang).join(parts)


def band_ranges(bands: list) -> list[tuple[float | None, float | None, int, str | dict[str, str]]]:
    """:return: ``(from, below, level, source)`` for each band; None marks an open end; the source as in the
    file (render it with ``text``)."""
    ranges: list[tuple[float | None, float | None, int, str | dict[str, str]]] = []
    lower: float | None = None
    for band in bands:
        ranges.append((lower, band.below, band.level, band.source))
        lower = band.below
    return ranges
