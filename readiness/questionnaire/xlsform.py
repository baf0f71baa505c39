"""A questionnaire as an XLSForm, one per role: for KoboToolbox, ODK Collect and Enketo.

The form carries every language of the file, the level descriptors as choices, "don't
know" and "not applicable", a comment per item, and a ``readiness_form`` field whose value
(``questionnaire/version/role``) comes back in every submission export, so an import can
tell which questionnaire, version and role a file answers. Pure: no Flask, no database.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE
from readiness.questionnaire.schema import Item, ItemType, Questionnaire

PIN_FIELD = "readiness_form"
COMMENT, SPECIAL, LINK = "__comment", "__special", "__link"
YES_NO = ("yes", "partly", "no")
# Interface words the form needs in each language (given by the caller, from the catalogue).
WORDS = ("comment", "special", "link", "dont_know", "not_applicable", "yes", "partly", "no", "role")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية", "pt": "Português"}


@dataclass(frozen=True)
class Pin:
    questionnaire_id: str
    version: str
    role: str

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.version}/{self.role}"

    @classmethod
    def parse(cls, value: str) -> Pin | None:
        parts = (value or "").strip().split("/")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


def form_id(pin: Pin) -> str:
    """An XML-safe id naming questionnaire, version and role, e.g. ``readiness_1-0_social_worker``."""
    return f"{pin.questionnaire_id}_{pin.version.replace('.', '-')}_{pin.role}"


def _column(kind: str, lang: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def _texts(q: Questionnaire, text: dict[str, str] | None) -> list[str]:
    text = text or {}
    return [text.get(lang) or text.get(q.languages[0], "") for lang in q.languages]


def _words(q: Questionnaire, words: dict[str, dict[str, str]], key: str) -> list[str]:
    return [words[lang][key] for lang in q.languages]


def sheets(q: Questionnaire, role: str, words: dict[str, dict[str, str]]) -> dict[str, list[list[object]]]:
    """The three sheets of the role's XLSForm as rows (first row: headers).

    :param words: for each language of the file, the interface words named in :data:`WORDS`.
    """
    langs = q.languages
    survey: list[list[object]] = [["type", "name", *(_column("label", lang) for lang in langs), *(_column("hint", lang) for lang in langs),
               "appearance", "calculation"]]
    blank = [""] * len(langs)

    def row(kind: str, name: str, labels: list[str], hints: list[str] = blank, appearance: str = "", calc: str = "") -> None:
        survey.append([kind, name, *labels, *hints, appearance, calc])

    pin = Pin(q.id, q.version, role)
    row("calculate", PIN_FIELD, blank, calc=f"'{pin}'")
    choices: list[list[object]] = [["list_name", "name", *(_column("label", lang) for lang in langs)]]
    special = [[DONT_KNOW, *_words(q, words, "dont_know")], [NOT_APPLICABLE, *_words(q, words, "not_applicable")]]
    for name, *labels in special:
        choices.append(["special", name, *labels])
    for name in YES_NO:
        choices.append(["yes_no", name, *_words(q, words, name)])
    for name, *labels in special:
        choices.append(["yes_no", name, *labels])
    items = q.items_for_role(role)
    for dimension in q.dimensions:
        mine = [i for i in items if i.dimension == dimension.id]
        if not mine:
            continue
        row("begin_group", dimension.id, _texts(q, dimension.label), appearance="field-list")
        for item in mine:
            _item_rows(q, item, row, choices, words)
        row("end_group", "", blank)
    role_label = next(r.label for r in q.roles if r.id == role)
    title = f"{q.title.get(langs[0], q.id)} — {role_label.get(langs[0], role)} ({q.version})"
    settings: list[list[object]] = [["form_title", "form_id", "version", "default_language"],
                [title, form_id(pin), q.version.replace(".", ""), f"{LANGUAGE_NAMES.get(langs[0], langs[0])} ({langs[0]})"]]
    return {"survey": survey, "choices": choices, "settings": settings}


def _item_rows(q: Questionnaire, item: Item, row: Callable[..., None], choices: list[list[object]], words: dict[str, dict[str, str]]) -> None:
    if item.type is ItemType.LEVEL:
        list_name = f"lv_{item.id}"
        for level, descriptor in sorted((item.levels or {}).items()):
            choices.append([list_name, str(level), *(f"{level} — {t}" for t in _texts(q, descriptor))])
        choices.append([list_name, DONT_KNOW, *_words(q, words, "dont_know")])
        choices.append([list_name, NOT_APPLICABLE, *_words(q, words, "not_applicable")])
        row(f"select_one {list_name}", item.id, _texts(q, item.text), _texts(q, item.help))
    elif item.type is ItemType.YES_NO:
        row("select_one yes_no", item.id, _texts(q, item.text), _texts(q, item.help))
    else:
        row("decimal" if item.type is ItemType.NUMBER else "text", item.id, _texts(q, item.text), _texts(q, item.help))
        row("select_one special", item.id + SPECIAL, _words(q, words, "special"))
    row("text", item.id + COMMENT, _words(q, words, "comment"), appearance="multiline")
    if item.evidence != "none":
        row("text", item.id + LINK, _words(q, words, "link"))


def workbook_bytes(sheets_rows: dict[str, list[list[object]]]) -> bytes:
    """Write the sheets as an .xlsx file."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets_rows.items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
