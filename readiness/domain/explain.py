"""Plain-language text for results, in the reader's language.

The engine stores structured flags; the words are chosen here when a result is shown, so a
stored result can be read in English or French and the wording can improve without
re-scoring anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readiness.questionnaire.schema import Charter, Questionnaire

from .result import Flag

OUTCOMES = {
    "go": {"en": "Go", "fr": "Go"},
    "go_with_conditions": {"en": "Go with conditions", "fr": "Go sous conditions"},
    "no_go": {"en": "No-go", "fr": "No-go"},
    "insufficient_evidence": {"en": "Insufficient evidence", "fr": "Éléments insuffisants"},
    "deferred": {"en": "Deferred", "fr": "Reporté"},
}
SEVERITIES = {
    "critical": {"en": "Critical", "fr": "Critique"},
    "major": {"en": "Major", "fr": "Majeur"},
    "minor": {"en": "Minor", "fr": "Mineur"},
}
STATUSES = {
    "met": {"en": "met", "fr": "respecté"},
    "partly": {"en": "partly met", "fr": "partiellement respecté"},
    "not_met": {"en": "not met", "fr": "non respecté"},
    "not_applicable": {"en": "not applicable", "fr": "sans objet"},
    "missing": {"en": "not answered", "fr": "sans réponse"},
    "answered": {"en": "answered", "fr": "répondu"},
    "unknown": {"en": "don't know", "fr": "ne sait pas"},
}

_MESSAGES = {
    "critical_gate": {
        "en": "Critical item “{item}” scores {score} where at least {min_level} is required.",
        "fr": "L'élément critique « {item} » obtient {score} alors qu'il faut au moins {min_level}.",
    },
    "critical_unknown": {
        "en": "Critical item “{item}” is not established ({status}); it must be answered to allow a go.",
        "fr": "L'élément critique « {item} » n'est pas établi ({status}) ; il faut y répondre pour permettre un go.",
    },
    "dimension_floor": {
        "en": "{dimension} scores {score}, below the floor of {floor}.",
        "fr": "{dimension} obtient {score}, sous le plancher de {floor}.",
    },
    "dimension_below_go": {
        "en": "{dimension} scores {score}, below the go threshold of {go}.",
        "fr": "{dimension} obtient {score}, sous le seuil de go de {go}.",
    },
    "dimension_floor_just": {
        "en": "{dimension} scores {score} once rounded, but just below the floor of {floor}.",
        "fr": "{dimension} obtient {score} une fois arrondi, mais juste sous le plancher de {floor}.",
    },
    "dimension_below_go_just": {
        "en": "{dimension} scores {score} once rounded, but just below the go threshold of {go}.",
        "fr": "{dimension} obtient {score} une fois arrondi, mais juste sous le seuil de go de {go}.",
    },
    "perception_gap": {
        "en": "{dimension}: {high_role} {high}, {low_role} {low} on the {shared} question(s) both answered — a gap of {gap}.",
        "fr": "{dimension} : {high_role} {high}, {low_role} {low} sur les {shared} question(s) auxquelles les deux ont répondu — un écart de {gap}.",
    },
    "unknowns": {
        "en": "{dimension}: {count} question(s) answered “don't know” or not answered by every role asked; coverage {coverage}.",
        "fr": "{dimension} : {count} question(s) avec « ne sait pas » ou sans réponse de chaque rôle concerné ; couverture {coverage}.",
    },
    "floor_low_evidence": {
        "en": "Not enough evidence on {dimension}: it scores {score}, below the floor of {floor}, but only {coverage} of it was answered (at least {minimum} is needed to judge it).",
        "fr": "Pas assez d'éléments sur {dimension} : le score est de {score}, sous le plancher de {floor}, mais seulement {coverage} de la dimension a reçu une réponse (il faut au moins {minimum} pour en juger).",
    },
    "role_not_heard": {
        "en": "Not heard: {role} ({respondents} respondent(s) answered, at least {minimum} expected); {count} question(s) lack their view.",
        "fr": "Non entendu : {role} ({respondents} personne(s) ont répondu, au moins {minimum} attendue(s)) ; {count} question(s) n'ont pas leur point de vue.",
    },
    "critical_golive": {
        "en": "Before go-live: critical item “{item}” scores {score} where at least {min_level} is required.",
        "fr": "Avant la mise en service : l'élément critique « {item} » obtient {score} alors qu'il faut au moins {min_level}.",
    },
    "charter_golive": {
        "en": "Before go-live: blocking charter item {status}: “{item}”.",
        "fr": "Avant la mise en service : engagement bloquant de la charte {status} : « {item} ».",
    },
    "purpose": {
        "en": "The tool looks wanted mainly for reporting, not for social workers' daily casework: {scores}.{reasons}",
        "fr": "L'outil semble voulu surtout pour les rapports, pas pour le travail quotidien des travailleurs sociaux : {scores}.{reasons}",
    },
    "indicator_low": {
        "en": "{indicator} is {value} {unit}, level {level} of 4.",
        "fr": "{indicator} vaut {value} {unit}, niveau {level} sur 4.",
    },
    "self_rating": {
        "en": "“{item}” is rated {self_rating} but the figures give {indicator} = {value} {unit} (level {level}).",
        "fr": "« {item} » est évalué à {self_rating} mais les chiffres donnent {indicator} = {value} {unit} (niveau {level}).",
    },
    "figures_missing": {
        "en": "Figures missing for: {indicators}.",
        "fr": "Chiffres manquants pour : {indicators}.",
    },
    "charter_blocking": {
        "en": "Blocking charter item {status}: “{item}”.",
        "fr": "Engagement bloquant de la charte {status} : « {item} ».",
    },
    "charter_condition": {
        "en": "Charter item {status}: “{item}”.",
        "fr": "Engagement de la charte {status} : « {item} ».",
    },
    "charter_unanswered": {
        "en": "{count} charter item(s) not answered, {blocking} of them blocking.",
        "fr": "{count} engagement(s) de la charte sans réponse, dont {blocking} bloquant(s).",
    },
    "charter_advisory": {
        "en": "{count} advisory charter item(s) not fully met.",
        "fr": "{count} recommandation(s) de la charte pas entièrement respectée(s).",
    },
}

_ACTIONS = {
    "perception_gap": {
        "en": "Discuss the gap with both groups before deciding; the frontline view is evidence, not noise.",
        "fr": "Discuter de l'écart avec les deux groupes avant de décider ; le point de vue du terrain est une donnée, pas du bruit.",
    },
    "unknowns": {
        "en": "Find out the unknown answers or invite the missing roles, then re-score.",
        "fr": "Trouver les réponses inconnues ou inviter les rôles manquants, puis recalculer.",
    },
    "figures_missing": {
        "en": "Enter the measured figures so self-ratings can be checked.",
        "fr": "Saisir les chiffres mesurés pour pouvoir vérifier les auto-évaluations.",
    },
    "charter_unanswered": {
        "en": "Complete the charter self-assessment.",
        "fr": "Compléter l'auto-évaluation de la charte.",
    },
    "critical_unknown": {
        "en": "Establish this item with evidence before any go decision.",
        "fr": "Établir cet élément avec des preuves avant toute décision de go.",
    },
    "role_not_heard": {
        "en": "Invite this role and collect its answers before deciding; its view is evidence the others cannot give.",
        "fr": "Inviter ce rôle et recueillir ses réponses avant de décider ; son point de vue apporte ce que les autres ne peuvent pas donner.",
    },
    "floor_low_evidence": {
        "en": "Find out first: {items}.",
        "fr": "À établir d'abord : {items}.",
    },
    "purpose": {
        "en": "Rework the plan with social workers so the tool serves daily casework first; reports should come from the same records.",
        "fr": "Revoir le projet avec les travailleurs sociaux pour que l'outil serve d'abord le suivi quotidien des cas ; les rapports doivent sortir des mêmes dossiers.",
    },
}

_WORDS = {
    "point": {"en": "{n} point", "fr": "{n} point"},
    "points": {"en": "{n} points", "fr": "{n} points"},
    "rated_by": {"en": "{rating} by {role}", "fr": "{rating} par {role}"},
    "and": {"en": " and ", "fr": " et "},
    "reason": {"en": " Reason given for the tool: {quote}", "fr": " Raison donnée pour l'outil : {quote}"},
    "level_of": {"en": "{item} {score} of 4", "fr": "{item} {score} sur 4"},
}


@dataclass(frozen=True)
class FlagText:
    message: str
    action: str | None


def text(value: dict[str, str] | None, lang: str) -> str:
    """:return: ``value`` in ``lang``, falling back to English."""
    if not value:
        return ""
    return value.get(lang) or value.get("en") or next(iter(value.values()))


def outcome_label(outcome: str, lang: str) -> str:
    return text(OUTCOMES.get(outcome), lang) or outcome


def number(value: float | None, digits: int = 0) -> str:
    """:return: ``value`` rounded once, half away from zero, as every page shows it."""
    if value is None:
        return "–"
    shown = rounded(value, digits)
    return f"{shown:.{digits}f}"


def rounded(value: float, digits: int = 0) -> float:
    """:return: ``value`` rounded half away from zero (59.5 -> 60), the one rounding every display uses."""
    factor = 10 ** digits
    return float(int(abs(value) * factor + 0.5 + 1e-9)) / factor * (1 if value >= 0 else -1)


def points(value: float, lang: str) -> str:
    """:return: "1 point" or "12 points", rounded as displayed."""
    shown = number(value)
    return text(_WORDS["point" if shown in ("1", "-1") else "points"], lang).format(n=shown)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{number(value * 100)} %"


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
        params |= {"item": text(item.text, lang), "score": number(ev["score"], 1), "min_level": ev["min_level"]}
        params["status"] = text(STATUSES.get(ev.get("status", "")), lang)
        if flag.kind != "critical_unknown":
            action = text(item.action, lang) or None
    elif flag.kind in ("dimension_floor", "dimension_below_go"):
        params |= {"score": number(ev["score"]), "floor": number(ev["floor"]), "go": number(ev["go"])}
        actions = [text(q.item(i).action, lang) for i in ev["lowest_items"] if q.item(i).action]
        action = " ".join(actions[:2]) or None
    elif flag.kind == "perception_gap":
        by_role = ev["by_role"]
        params |= {"high_role": roles[ev["high_role"]], "low_role": roles[ev["low_role"]], "gap": points(ev["gap"], lang)}
        params |= {"high": number(by_role[ev["high_role"]]), "low": number(by_role[ev["low_role"]])}
        params["shared"] = len(ev.get("items", [])) or "–"
    elif flag.kind == "unknowns":
        count = len(ev["dont_know_items"]) + len(ev["unanswered_items"]) + len(ev.get("partly_covered_items", []))
        params |= {"count": count, "coverage": percent(ev["coverage"])}
    elif flag.kind == "floor_low_evidence":
        params |= {"score": number(ev["score"]), "floor": number(ev["floor"]), "coverage": percent(ev["coverage"]),
                   "minimum": percent(ev["minimum"])}
        items = [text(q.item(i).text, lang) for i in ev.get("find_out", [])[:3]]
        action = text(_ACTIONS["floor_low_evidence"], lang).format(items=" / ".join(items)) if items else None
    elif flag.kind == "role_not_heard":
        params |= {"role": roles.get(flag.subject, flag.subject), "respondents": ev["respondents"],  # type: ignore[arg-type]
                   "minimum": ev["min_respondents"], "count": len(ev["items"])}
    elif flag.kind == "purpose":
        scores = [text(_WORDS["level_of"], lang).format(item=f"“{text(q.item(i).text, lang)}”", score=number(v, 1))
                  for i, v in ev["scores"].items()]
        params["scores"] = "; ".join(scores)
        quotes = " ".join(f"“{reason.strip()}”" for reason in ev.get("reasons", []) if reason.strip())
        params["reasons"] = text(_WORDS["reason"], lang).format(quote=quotes) if quotes else ""
    elif flag.kind in ("indicator_low", "self_rating"):
        indicator = next(i for i in q.indicators if i.id == flag.subject)
        params |= {"indicator": text(indicator.label, lang), "value": number(ev["value"], 1)}
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
        return number(ev["self_rating"], 1)
    parts = [text(_WORDS["rated_by"], lang).format(rating=number(v, 1), role=roles.get(r, r)) for r, v in by_role.items()]
    return text(_WORDS["and"], lang).join(parts)


_CONDITIONS = {
    "critical_failed": {"en": "a critical item that must hold before the decision is below its minimum level",
                        "fr": "un élément critique qui doit être acquis avant la décision est sous son niveau minimum"},
    "critical_failed_no": {"en": "no critical item is below its minimum level", "fr": "aucun élément critique n'est sous son niveau minimum"},
    "blocking_unmet": {"en": "a blocking charter item that must hold before the decision is not met",
                       "fr": "un engagement bloquant de la charte qui doit être acquis avant la décision n'est pas respecté"},
    "blocking_unmet_no": {"en": "every blocking charter item is met", "fr": "chaque engagement bloquant de la charte est respecté"},
    "coverage_below": {"en": "less than {value} of the applicable questions are answered", "fr": "moins de {value} des questions applicables ont une réponse"},
    "any_dimension_below": {"en": "a dimension scores below its {threshold}", "fr": "une dimension est sous son {threshold}"},
    "all_dimensions_at_least": {"en": "every dimension reaches its {threshold}", "fr": "chaque dimension atteint son {threshold}"},
    "dimension_below": {"en": "{dimension} scores below {value}", "fr": "{dimension} est sous {value}"},
    "overall_at_least": {"en": "the overall score is at least {value}", "fr": "le score global est d'au moins {value}"},
    "overall_below": {"en": "the overall score is below {value}", "fr": "le score global est sous {value}"},
    "max_flags": {"en": "at most {value} {severity} flag(s)", "fr": "au plus {value} alerte(s) {severity}"},
    "always": {"en": "no earlier rule applied (this is the fallback rule)",
               "fr": "aucune règle précédente ne s'appliquait (règle par défaut)"},
    "role_not_heard": {"en": "the role “{role}” was not heard", "fr": "le rôle « {role} » n'a pas été entendu"},
    "and": {"en": " and ", "fr": " et "},
    "go": {"en": "go threshold", "fr": "seuil de go"},
    "floor": {"en": "floor", "fr": "plancher"},
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
            parts.append(text(_CONDITIONS[key], lang).format(value=percent(value)))
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


def band_ranges(bands: list) -> list[tuple[float | None, float | None, int, str]]:
    """:return: ``(from, below, level, source)`` for each band; None marks an open end."""
    ranges: list[tuple[float | None, float | None, int, str]] = []
    lower: float | None = None
    for band in bands:
        ranges.append((lower, band.below, band.level, band.source))
        lower = band.below
    return ranges
