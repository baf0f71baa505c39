"""Every page in every language: the right ``lang`` and ``dir``, no interface sentence left in English.

Walks the route × role matrix of ``test_permissions`` (every page each actor may open) once per
language in ``LANGUAGES``. A page fails when a text node of its own is exactly an English msgid
the language's catalogue translates differently (so the template forgot ``_()``, or the code
passed the English on), except inside an element marked ``lang="en"`` (a definition-file text
that the file lacks in this language, shown in English on purpose).
"""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from readiness.config import Config
from readiness.i18n import available_catalogues, gettext_in, N_
from readiness.questionnaire.po_files import placeholders
from readiness.web.helpers import text_direction

from .test_permissions import ACTORS, MATRIX, client_for, shared_app, shared_world  # noqa: F401 - fixtures

CATALOGUES = Path(__file__).resolve().parents[2] / "readiness" / "translations"
WITH_CATALOGUE = [lang for lang in Config.LANGUAGES if lang in available_catalogues() and lang != "en"]
_PERCENT = re.compile(r"%\(\w+\)[sd]")


def catalogue(lang: str):
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_language_in_the_menu_has_a_catalogue():
    missing = [lang for lang in Config.LANGUAGES if lang not in available_catalogues()]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"no catalogue yet for {missing} (fails in CI)")
    assert missing == []


@pytest.mark.parametrize("lang", WITH_CATALOGUE)
def test_translations_keep_every_placeholder_in_every_language(lang: str):
    wrong = []
    for message in catalogue(lang):
        if not message.id or not message.string:
            continue
        english = message.id[-1] if isinstance(message.id, (tuple, list)) else message.id
        forms = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
        wrong += [f"{english!r} -> {form!r}" for form in forms
                  if form and (sorted(placeholders(form)) != sorted(placeholders(english)))]
    assert not wrong, f"{lang}: translations whose placeholders differ from the English:\n" + "\n".join(wrong)


def test_a_document_sentence_renders_in_the_language_asked_not_the_process_one():
    sentence = N_("{count} more condition(s): see “Flags”.")
    assert gettext_in("en", sentence, count=2) == "2 more condition(s): see “Flags”."
    assert gettext_in("fr", sentence, count=2) == "2 autre(s) condition(s)\u202f: voir «\u202fAlertes\u202f»."


def untranslated_english(lang: str) -> set[str]:
    """English msgids of two words or more, without placeholders, that ``lang`` translates differently."""
    found = set()
    for message in catalogue(lang):
        if not message.id or isinstance(message.id, (tuple, list)) or not message.string:
            continue
        if message.string != message.id and " " in message.id.strip() and not placeholders(message.id) \
                and not _PERCENT.search(message.id):
            found.add(message.id.strip())
    return found


class _Text(HTMLParser):
    """The page's own text nodes, leaving out scripts, styles and elements marked as English."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.nodes: list[str] = []
        self.html_lang = self.html_dir = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang, self.html_dir = attrs.get("lang"), attrs.get("dir")
        if tag in self.VOID:
            return
        skipped = tag in ("script", "style") or attrs.get("lang") == "en" or (self.stack and self.stack[-1][1])
        self.stack.append((tag, bool(skipped)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]) and data.strip():
            self.nodes.append(" ".join(data.split()))


def _pages(world: SimpleNamespace, actor: str) -> list[str]:
    return [r.url(world, actor) for r in MATRIX.values() if r.method == "GET" and r.expected[actor] == 200]


@pytest.mark.parametrize("lang", Config.LANGUAGES)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_in_every_language(shared_world: tuple[Flask, SimpleNamespace], lang: str, actor: str) -> None:
    app, world = shared_world
    client = client_for(app, world, actor)
    with client.session_transaction() as session:
        session["lang"] = lang
    english = untranslated_english(lang) if lang in WITH_CATALOGUE else set()
    wrong_lang, leftovers = [], {}
    for url in _pages(world, actor):
        response = client.get(url)
        if response.mimetype != "text/html":
            response.close()
            continue
        page = _Text()
        page.feed(response.get_data(as_text=True))
        if (page.html_lang, page.html_dir) != (lang, text_direction(lang)):
            wrong_lang.append(f"{url}: lang={page.html_lang} dir={page.html_dir}")
        left = sorted({node for node in page.nodes if node in english})
        if left:
            leftovers[url] = left
    assert not wrong_lang, f"pages with the wrong lang or dir in {lang}: {wrong_lang}"
    assert not leftovers, f"interface text left in English on {lang} pages: {leftovers}"
