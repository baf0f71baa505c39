"""What a flag is about, in a few words, and where the report shows it.

Generated actions carry this in their title and link to the flag, so that five actions
raised by five different flags never read as five identical rows.
"""
from __future__ import annotations

from readiness.i18n import N_

import re

from readiness.domain.explain import text
from readiness.domain.result import Flag
from readiness.questionnaire.schema import Charter, Questionnaire

_WORDS = {
    "roles": N_("{dimension} ({high} and {low})"),
    "question": N_("{dimension}, question: {item}"),
    "figure": N_("{dimension}, figure: {indicator}"),
    "figures": N_("Figures: {indicators}"),
    "charter": N_("Ethics charter, {theme}: {item}"),
    "charter_all": N_("Ethics charter"),
}


SHORT = 90  # characters of a question or charter text kept in a subject


def short(value: str, limit: int = SHORT) -> str:
    """:return: ``value`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    if len(value) <= limit:
        return value
    return value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def flag_anchor(code: str) -> str:
    """:return: the id of the flag's entry in the report page (letters, digits, - and _ only)."""
    return "flag-" + re.sub(r"[^a-z0-9_-]+", "-", code.lower())


def flag_subject(flag: Flag, q: Questionnaire, charter: Charter | None, lang: str) -> str:
    """:return: what ``flag`` is about: its dimension and, when it has them, the roles, question or figure."""
    ev = flag.evidence
    dimension = next((text(d.label, lang) for d in q.dimensions if d.id == flag.dimension), "")
    words = {key: text(value, lang) for key, value in _WORDS.items()}
    if flag.kind == "perception_gap":
        roles = {role.id: text(role.label, lang).lower() for role in q.roles}
        return words["roles"].format(dimension=dimension, high=roles[ev["high_role"]], low=roles[ev["low_role"]])
    if flag.kind in ("critical_gate", "critical_unknown") and flag.subject:
        return words["question"].format(dimension=dimension, item=short(text(q.item(flag.subject).text, lang)))
    if flag.kind in ("indicator_low", "self_rating"):
        indicator = next(i for i in q.indicators if i.id == flag.subject)
        return words["figure"].format(dimension=dimension, indicator=text(indicator.label, lang))
    if flag.kind == "figures_missing":
        labels = [text(i.label, lang) for i in q.indicators if i.id in ev.get("indicators", ())]
        return words["figures"].format(indicators=", ".join(labels))
    if flag.kind in ("charter_blocking", "charter_condition") and charter is not None and flag.subject:
        item = charter.item(flag.subject)
        theme = next((text(t.label, lang) for t in charter.themes if t.id == item.theme), item.theme)
        return words["charter"].format(theme=theme, item=short(text(item.text, lang).rstrip(".")))
    if flag.kind.startswith("charter"):
        return words["charter_all"]
    return dimension


def flag_action_title(flag: Flag, q: Questionnaire, charter: Charter | None, lang: str) -> str:
    """:return: the title of the action generated from ``flag``, in ``lang``: what it is about, then what to do.

    Stored actions keep ``title_key = "flag:<code>"`` and are titled again with this in each
    reader's language from the result's flag, so the plan never stays in its creator's language.
    """
    from readiness.domain.decision import GOLIVE_KINDS
    from readiness.domain.explain import describe_flag

    from . import wording

    described = describe_flag(flag, q, charter, lang)
    todo = described.action or text(wording.SENTENCES["action_from_flag"], lang).format(message=described.message)
    subject = flag_subject(flag, q, charter, lang)
    title = f"{subject} — {todo}" if subject else todo
    if flag.kind in GOLIVE_KINDS:  # a go-live condition says so wherever it appears
        title = text(wording.SENTENCES["golive_action"], lang).format(title=title)
    return title


FLAG_TITLE = "flag:"  # prefix of ``ActionItem.title_key`` for a title generated from a flag
