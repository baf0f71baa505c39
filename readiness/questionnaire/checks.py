"""Rules that look across a definition file: references, translations, ordering.

Each check yields ``(path, message)``; the path follows the YAML structure so the loader
can turn it into a line number.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from .schema import Charter, ItemType, Questionnaire, ScreeningPolicy

Finding = tuple[tuple[Any, ...], str]
REQUIRED_LANGUAGES = ("en", "fr")


def check_questionnaire(q: Questionnaire) -> Iterator[Finding]:
    yield from _check_languages(q.languages, q.translations)
    yield from _check_texts(q, (), set(q.languages))
    yield from _check_unique_ids(q, ("roles", "dimensions", "items", "inputs", "indicators"))
    yield from _check_unique_ids(q, ("decision_rules",))
    yield from _check_dimensions(q)
    yield from _check_items(q)
    yield from _check_indicators(q)
    yield from _check_rules(q)
    yield from _check_purpose(q)
    yield from _check_followup(q)


def check_charter(c: Charter) -> Iterator[Finding]:
    yield from _check_languages(c.languages, c.translations)
    yield from _check_texts(c, (), set(c.languages))
    yield from _check_unique_ids(c, ("themes", "items"))
    themes = {theme.id for theme in c.themes}
    for index, item in enumerate(c.items):
        if item.theme not in themes:
            yield ("items", index, "theme"), f"unknown theme '{item.theme}'"
        if item.stage is not None and item.level.value != "blocking":
            yield ("items", index, "stage"), "only blocking items have a stage"
        if item.about_tool_design and item.level.value != "blocking":
            yield ("items", index, "about_tool_design"), "only blocking items can be about the tool's design"
        if item.stage is not None and not item.stage_reason:
            yield ("items", index, "stage"), "a stage needs a stage_reason citing its source"


def check_screening(s: ScreeningPolicy) -> Iterator[Finding]:
    from readiness.domain.screening import FACTS

    yield from _check_languages(s.languages, s.translations)
    yield from _check_texts(s, (), set(s.languages))
    yield from _check_unique_ids(s, ("triggers",))
    for index, trigger in enumerate(s.triggers):
        if trigger.fact not in FACTS:
            yield ("triggers", index, "fact"), f"unknown fact '{trigger.fact}' (known: {', '.join(FACTS)})"


def _check_languages(languages: list[str], translations: Mapping[str, str]) -> Iterator[Finding]:
    for code in REQUIRED_LANGUAGES:
        if code not in languages:
            yield ("languages",), f"language '{code}' is required"
    if len(set(languages)) != len(languages):
        yield ("languages",), "a language is listed twice"
    for code, status in translations.items():
        if code not in languages:
            yield ("translations", code), f"language '{code}' has a review status but is not declared in 'languages'"
        elif (status == "source") != (code == "en"):
            yield ("translations", code), "English is the source language; every other language is reviewed or draft"


def _check_texts(value: Any, path: tuple[Any, ...], languages: set[str]) -> Iterator[Finding]:
    """Walk every field; a mapping of strings to strings is a translated text."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name == "translations":
                continue  # review statuses, not a translated text
            yield from _check_texts(getattr(value, name), path + (name,), languages)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _check_texts(child, path + (index,), languages)
    elif isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        for code in sorted(languages):
            if not value.get(code, "").strip():
                yield path + (code,), f"text missing in language '{code}' ({_name(path)})"
        for code in sorted(set(value) - languages):
            yield path + (code,), f"language '{code}' is not declared in 'languages'"
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _check_texts(child, path + (key,), languages)


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path)


def _check_unique_ids(model: BaseModel, sections: tuple[str, ...]) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for section in sections:
        for index, entry in enumerate(getattr(model, section)):
            if entry.id in seen:
                yield (section, index, "id"), f"duplicate id '{entry.id}' (already used in {seen[entry.id]})"
            else:
                seen[entry.id] = section


def _check_dimensions(q: Questionnaire) -> Iterator[Finding]:
    for index, dim in enumerate(q.dimensions):
        if dim.thresholds.floor > dim.thresholds.go:
            yield ("dimensions", index, "thresholds"), "floor must not be above go"
        if not q.items_in(dim.id):
            yield ("dimensions", index, "id"), f"dimension '{dim.id}' has no items"


def _check_items(q: Questionnaire) -> Iterator[Finding]:
    dimensions = {dim.id for dim in q.dimensions}
    roles = {role.id for role in q.roles}
    for index, item in enumerate(q.items):
        at = ("items", index)
        if item.dimension not in dimensions:
            yield at + ("dimension",), f"unknown dimension '{item.dimension}'"
        for pos, role in enumerate(item.roles):
            if role not in roles:
                yield at + ("roles", pos), f"unknown role '{role}'"
        for role in sorted(set(item.role_weights or {}) - set(item.roles)):
            yield at + ("role_weights", role), f"role '{role}' does not answer this item"
        yield from _check_levels(item, at)
        if item.critical and not item.scored:
            yield at + ("critical",), f"only level and yes_no items can be critical, not {item.type}"
        if item.critical and "stage" in item.critical.model_fields_set and not item.critical.stage_reason:
            yield at + ("critical", "stage"), "a stage needs a stage_reason citing its source"


def _check_levels(item: Any, at: tuple[Any, ...]) -> Iterator[Finding]:
    if item.type is ItemType.LEVEL:
        missing = sorted(set(range(5)) - set(item.levels or {}))
        if missing:
            where = at + ("levels",) if item.levels else at
            yield where, f"level item needs a descriptor for levels 0-4; missing {missing}"
    elif item.levels is not None:
        yield at + ("levels",), f"only level items have levels, not {item.type}"


def _check_indicators(q: Questionnaire) -> Iterator[Finding]:
    inputs = {entry.id for entry in q.inputs}
    dimensions = {dim.id for dim in q.dimensions}
    scored = {item.id for item in q.items if item.scored}
    for index, ind in enumerate(q.indicators):
        at = ("indicators", index)
        for field in ("numerator", "denominator"):
            ref = getattr(ind, field)
            if ref is not None and ref not in inputs:
                yield at + (field,), f"unknown input '{ref}'"
        if ind.dimension not in dimensions:
            yield at + ("dimension",), f"unknown dimension '{ind.dimension}'"
        if ind.checks_item is not None and ind.checks_item not in scored:
            yield at + ("checks_item",), f"'{ind.checks_item}' is not a scored item"
        yield from _check_bands(ind.bands, at + ("bands",))


def _check_bands(bands: list[Any], at: tuple[Any, ...]) -> Iterator[Finding]:
    previous: float | None = None
    for index, band in enumerate(bands):
        last = index == len(bands) - 1
        if last and band.below is not None:
            yield at + (index, "below"), "the last band must not have 'below' (it takes every larger value)"
        elif not last and band.below is None:
            yield at + (index,), "only the last band may omit 'below'"
        elif band.below is not None and previous is not None and band.below <= previous:
            yield at + (index, "below"), f"'below' must increase ({band.below} after {previous})"
        if band.below is not None:
            previous = band.below


def _check_rules(q: Questionnaire) -> Iterator[Finding]:
    dimensions = {dim.id for dim in q.dimensions}
    roles = {role.id for role in q.roles}
    for index, rule in enumerate(q.decision_rules):
        for dim in sorted((rule.when.dimension_below or {}).keys()):
            if dim not in dimensions:
                yield ("decision_rules", index, "when", "dimension_below", dim), f"unknown dimension '{dim}'"
        for pos, role in enumerate(rule.when.role_not_heard or []):
            if role not in roles:
                yield ("decision_rules", index, "when", "role_not_heard", pos), f"unknown role '{role}'"
    last = q.decision_rules[-1]
    if last.when.model_dump(exclude_none=True):
        yield ("decision_rules", len(q.decision_rules) - 1, "when"), (
            "the last rule must have an empty condition ('when: {}') so every result gets a recommendation"
        )


def _check_purpose(q: Questionnaire) -> Iterator[Finding]:
    if q.purpose_rule is None:
        return
    scored = {item.id for item in q.items if item.scored}
    texts = {item.id for item in q.items if item.type is ItemType.TEXT}
    for pos, item_id in enumerate(q.purpose_rule.items):
        if item_id not in scored:
            yield ("purpose_rule", "items", pos), f"'{item_id}' is not a scored item"
    for pos, item_id in enumerate(q.purpose_rule.reason_items):
        if item_id not in texts:
            yield ("purpose_rule", "reason_items", pos), f"'{item_id}' is not a text item"


def _check_followup(q: Questionnaire) -> Iterator[Finding]:
    if q.followup is None:
        return
    months = q.followup.months
    if any(later <= earlier for earlier, later in zip(months, months[1:])):
        yield ("followup", "months"), "months must be listed in increasing order, each once"
    numbers = {item.id for item in q.items if item.type is ItemType.NUMBER}
    for item_id in q.followup.trouble.item_above:
        if item_id not in numbers:
            yield ("followup", "trouble", "item_above", item_id), f"'{item_id}' is not a number item"
