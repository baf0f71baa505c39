"""The recommendation's headline, written from the facts of the result, never a canned sentence.

It names the blockers (for a no-go), the missing evidence (for no verdict) or the conditions and
which of them gate go-live (for a go with conditions), and compares scores as they are displayed.
"""
from __future__ import annotations

from readiness.i18n import N_, NC_

from readiness.questionnaire.schema import Charter, Questionnaire

from .explain import describe_flag, number, outcome_label, percent, rounded, text
from .result import Flag, Result

FUNDAMENTAL = ("critical_gate", "charter_blocking")
GOLIVE = ("critical_golive", "charter_golive")
SHOWN = 3

_W = {
    "blockers": N_("{outcome}: must hold before deciding and does not: {names}."),
    "floors": N_("{outcome}: below the floor (a weakness nothing else makes up for): {names}."),
    "not_heard": N_("{outcome}: not heard yet: {names}."),
    "coverage": N_("{outcome}: only {coverage} of the applicable questions were answered by the roles asked."),
    "go": N_("{outcome}: every dimension reaches its go threshold and no critical or major risk was flagged."),
    "conditions": N_("{outcome}: {count} condition(s) to meet, the first: {first}."),
    "golive_first": N_("{outcome}: nothing rules the rollout out, but before go-live: {names}."),
    "others": N_(" And {count} other condition(s)."),
    "bare": N_("{outcome}."),
    "below_go": N_(" {count} of {total} dimensions below the go threshold: {names}."),
    "all_go": N_(" Every dimension reaches its go threshold."),
    "more": N_("{names} and {count} more"),
    "then": N_(" Then, before go-live: {names}."),
    "then_count": N_(" Then {count} more before go-live."),
}


def headline(result: Result, questionnaire: Questionnaire, charter: Charter | None, lang: str) -> str:
    """:return: one or two sentences saying why the recommendation is what it is."""
    rec = result.recommendation
    outcome = outcome_label(rec.outcome, lang)
    golive_flags = [f for f in result.flags if f.kind in GOLIVE]
    golive = _names(golive_flags, questionnaire, charter, lang)
    if rec.outcome == "no_go":
        blockers = [f for f in result.flags if f.kind in FUNDAMENTAL]
        key = "blockers" if blockers else "floors"
        flags = blockers or [f for f in result.flags if f.kind == "dimension_floor"]
        # One short sentence: the first blockers by name; what gates go-live only as a count (it is listed below).
        sentence = _w(key, lang, outcome=outcome, names=_names(flags, questionnaire, charter, lang, shown=2))
        return sentence + (_w("then_count", lang, count=len(golive_flags)) if golive_flags else "")
    if rec.outcome == "insufficient_evidence":
        silent = [f for f in result.flags if f.kind == "role_not_heard"]
        if silent:
            return _w("not_heard", lang, outcome=outcome, names=_names(silent, questionnaire, charter, lang))
        return _w("coverage", lang, outcome=outcome, coverage=percent(result.overall_coverage, lang=lang))
    if rec.outcome == "go":
        return _w("go", lang, outcome=outcome)
    by_code = {flag.code: flag for flag in result.flags}
    others = [by_code[code] for code in rec.conditions if code in by_code and by_code[code].kind not in GOLIVE]
    if golive:
        sentence = _w("golive_first", lang, outcome=outcome, names=golive)
        sentence += _w("others", lang, count=len(others)) if others else ""
    elif others:
        sentence = _w("conditions", lang, outcome=outcome, count=len(others),
                      first=_names(others[:1], questionnaire, charter, lang, explained=True))
    else:
        sentence = _w("bare", lang, outcome=outcome)
    return sentence + _dimension_summary(result, questionnaire, lang)


def below_go(score: float, go: float) -> bool:
    """:return: whether a score is below its threshold as displayed (59.5 shows as 60 and is not below)."""
    return rounded(score) < go


def _dimension_summary(result: Result, q: Questionnaire, lang: str) -> str:
    short = [text(d.label, lang) for d in q.dimensions
             if result.dimensions[d.id].score is not None and result.dimensions[d.id].score < result.dimensions[d.id].go]  # type: ignore[operator]
    if not short:
        return _w("all_go", lang)
    return _w("below_go", lang, count=len(short), total=len(q.dimensions), names=_join(short, lang))


def _names(flags: list[Flag], q: Questionnaire, charter: Charter | None, lang: str, explained: bool = False,
           shown: int | None = None) -> str:
    return _join([name_of(flag, q, charter, lang, explained) for flag in flags], lang, shown or SHOWN)


def name_of(flag: Flag, q: Questionnaire, charter: Charter | None, lang: str, explained: bool = False) -> str:
    """:param explained: name flags that are not about one question by their message (shortened).
    :return: a short name for what a flag is about.
    """
    described = ("self_rating", "indicator_low", "role_not_heard")
    if explained and (flag.kind in described or not flag.subject and flag.kind not in ("dimension_below_go", "dimension_floor")):
        return _short(describe_flag(flag, q, charter, lang).message, 110, quoted=False)
    if flag.kind.startswith("critical_") and flag.subject:
        return _short(text(q.item(flag.subject).text, lang))
    if flag.kind.startswith("charter_") and flag.subject and charter is not None:
        return _short(text(charter.item(flag.subject).text, lang))
    if flag.kind == "role_not_heard":
        return text(q.role(flag.subject).label, lang)  # type: ignore[arg-type]
    if flag.dimension:
        label = text(next(d.label for d in q.dimensions if d.id == flag.dimension), lang)
        score = flag.evidence.get("score")
        return f"{label} ({number(score, lang=lang)})" if score is not None else label
    return flag.code


def _short(sentence: str, limit: int = 70, quoted: bool = True) -> str:
    sentence = sentence.strip().rstrip(".?")
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{sentence}”" if quoted else sentence


def _join(names: list[str], lang: str, shown: int = SHOWN) -> str:
    if len(names) <= shown:
        return "; ".join(names)
    return _w("more", lang, names="; ".join(names[:shown]), count=len(names) - shown)


def _w(key: str, lang: str, **params: object) -> str:
    return text(_W[key], lang).format(**params).replace("….", "…")


_R = {
    "none": N_("Nothing is left unknown (no “don't know”, no unanswered question or charter item, every expected role heard, every figure entered), so the recommendation cannot change for want of answers."),
    "stable": N_("The recommendation is stable: {count} open question(s) (“don't know”, unanswered questions, roles not heard, charter items, missing figures) were each tried at their worst and best, alone and all together, and none changes it."),
    "fragile": N_("The recommendation could still change: with every open question at its worst it would be “{low}”, at its best “{high}”."),
    "first": N_(" Find out first: {names}."),
    "item": N_("{text}"),
    "role": N_("the answers of “{label}”"),
    "charter": N_("charter: {text}"),
    "input": N_("the figure “{label}”"),
}


def robustness_sentence(result: Result, q: Questionnaire, charter: Charter | None, lang: str) -> str:
    """:return: whether the recommendation could change, and what to find out first."""
    r = result.robustness
    if r is None or not r.unknowns and not r.dont_know_items:
        return text(_R["none"], lang)
    if r.stable:
        return text(_R["stable"], lang).format(count=len(r.unknowns) or len(r.dont_know_items))
    low, high = outcome_label(r.if_lowest or "", lang), outcome_label(r.if_highest or "", lang)
    sentence = text(_R["fragile"], lang).format(low=low, high=high)
    names = [unknown_name(u, q, charter, lang) for u in r.find_out_first]
    return sentence + (text(_R["first"], lang).format(names=_join(names, lang)) if names else "")


def unknown_name(unit: str, q: Questionnaire, charter: Charter | None, lang: str) -> str:
    """:return: a reader's name for an unknown such as ``item:cm_procedures`` or ``role:social_worker``."""
    kind, key = unit.split(":", 1)
    if kind == "item":
        return _short(text(q.item(key).text, lang))
    if kind == "role":
        return text(_R["role"], lang).format(label=text(q.role(key).label, lang))
    if kind == "charter" and charter is not None:
        return text(_R["charter"], lang).format(text=_short(text(charter.item(key).text, lang)))
    if kind == "input":
        entry = next((e for e in q.inputs if e.id == key), None)
        return text(_R["input"], lang).format(label=text(entry.label, lang) if entry else key)
    return unit


_C = {
    "line": N_("{level}: {met} met, {partly} partly met, {not_met} not met, {missing} not answered{na}."),
    "na": N_(", {n} not applicable"),
    "blocking": NC_("charter items", "Blocking"),
    "condition": N_("Conditions"),
    "advisory": NC_("charter items", "Advisory"),
}


def charter_summary(result: Result, lang: str) -> list[str]:
    """:return: one line per charter level: met / partly / not met / not answered (never counted as met)."""
    if result.charter is None or not result.charter.by_level:
        return []
    lines = []
    for level, counts in result.charter.by_level.items():
        if not sum(counts.values()):
            continue
        na = text(_C["na"], lang).format(n=counts["not_applicable"]) if counts.get("not_applicable") else ""
        lines.append(text(_C["line"], lang).format(level=text(_C[level], lang), na=na, **counts))
    return lines
