"""The French interface catalogue: complete, compiled, with intact placeholders, and in use.

The strings are extracted from the code as the test runs, with the same mapping as
``make translations`` (``babel.cfg``), so a string added without a French translation fails here.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.helpers import csrf_token_in

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "readiness" / "translations"
PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo"
# What `make translations` passes to pybabel: its default keywords plus the lazy ones and N_ / NC_.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "N_": None, "NC_": ((1, "c"), 2)}
FIX = "Run `make translations`, translate the new entries in readiness/translations/fr/LC_MESSAGES/messages.po, then run it again to compile."
# %(name)s, %(num)d, and bare %s / %d; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([sdifgeExXr])")


def key(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, (tuple, list)) else message_id


@pytest.fixture(scope="module")
def extracted() -> set[tuple[str | None, str]]:
    """(context, msgid) of every interface string marked in readiness/**.py and templates/**.html today."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        (context, key(message))
        for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS
        )
        if key(message)
    }


@pytest.fixture(scope="module")
def french() -> Catalog:
    with PO.open("rb") as po:
        return read_po(po, locale="fr")


def translations(catalog: Catalog) -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    # read_mo leaves a message context as bytes; read_po gives str.
    return {(m.context.decode() if isinstance(m.context, bytes) else m.context, key(m.id)): m.string
            for m in catalog if m.id}


def is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not message.fuzzy and bool(strings) and all(s and s.strip() for s in strings)


def test_every_interface_string_has_a_french_translation(extracted, french):
    assert len(extracted) > 500, "the extraction found almost nothing: is babel.cfg still read?"
    done = {(m.context, key(m.id)) for m in french if m.id and is_translated(m)}
    missing = sorted(extracted - done, key=lambda pair: (pair[1], pair[0] or ""))
    listing = "\n".join(f"  - {msgid!r}" + (f" (context {context!r})" if context else "") for context, msgid in missing)
    assert not missing, f"{len(missing)} interface string(s) without a French translation:\n{listing}\n{FIX}"


def test_the_catalogue_has_no_fuzzy_or_empty_entries(french):
    bad = sorted(key(m.id) for m in french if m.id and not is_translated(m))
    assert not bad, f"fuzzy or empty French entries: {bad}\n{FIX}"


def test_the_compiled_catalogue_matches_the_po_file(french):
    with MO.open("rb") as mo:
        compiled = read_mo(mo)
    expected = {k: v for k, v in translations(french).items() if v}
    actual = {k: v for k, v in translations(compiled).items() if v}
    stale = sorted(k[1] for k in expected.keys() ^ actual.keys())
    assert not stale, f"messages.mo and messages.po hold different strings: {stale[:20]}\n{FIX}"
    differing = sorted(k[1] for k in expected if tuple(expected[k] if isinstance(expected[k], (tuple, list)) else [expected[k]])
                       != tuple(actual[k] if isinstance(actual[k], (tuple, list)) else [actual[k]]))
    assert not differing, f"messages.mo is older than messages.po for: {differing[:20]}\n{FIX}"


def placeholders(text: str) -> Counter:
    return Counter(m.group(0) if not m.group(1) else f"%({m.group(1)}){m.group(2)}"
                   for m in PLACEHOLDER.finditer(text.replace("%%", "")))


def test_translations_keep_the_placeholders_of_the_english(french):
    wrong = []
    for message in french:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, (tuple, list)):
            # French plural forms follow the English plural, which carries every placeholder.
            expected = placeholders(message.id[1])
            forms = list(message.string)
        else:
            expected, forms = placeholders(message.id), [message.string]
        for form in forms:
            if placeholders(form) != expected:
                wrong.append(f"{key(message.id)!r} -> {form!r}")
    assert not wrong, "translations whose placeholders differ from the English:\n" + "\n".join(wrong)


def test_french_uses_french_quotation_marks(french):
    english_quotes = sorted(key(m.id) for m in french if m.id and any(
        q in s for s in (m.string if isinstance(m.string, (tuple, list)) else [m.string]) for q in "“”"))
    assert not english_quotes, f"use « » in French, not “ ”: {english_quotes}"


def choose(client, lang: str) -> None:
    """Pick the interface language with the switch in the page header, as a reader would."""
    token = csrf_token_in(client.get("/").get_data(as_text=True))
    assert client.post("/language", data={"lang": lang, "next": "/", "csrf_token": token}).status_code == 302
    # The db_session fixture keeps one app context across requests, where Flask-Babel caches the locale.
    flask_babel.refresh()


def test_start_page_is_in_french_after_choosing_french(client, db_session):
    assert "Skip to content" in client.get("/").get_data(as_text=True)
    choose(client, "fr")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Aller au contenu" in html and "Skip to content" not in html
    assert ">Accueil</a>" in html and ">Méthode</a>" in html and ">Se connecter</a>" in html
    assert "Ce contexte est-il prêt pour un outil numérique de gestion de cas\u202f?" in html
    assert "Readiness conseille\u202f; les personnes décident." in html


def test_login_and_method_pages_are_in_french_after_choosing_french(client, db_session):
    choose(client, "fr")
    login = client.get("/login").get_data(as_text=True)
    assert "<h1>Se connecter</h1>" in login
    assert "Mot de passe" in login and "Adresse e-mail" in login
    assert "Les répondants n'ont pas besoin de compte" in login
    assert "Log in" not in login and "Password" not in login
    method = client.get("/method").get_data(as_text=True)
    assert "Comment Readiness calcule sa recommandation" in method and "Seuil de go" in method


def test_switching_back_to_english_restores_the_english_interface(client, db_session):
    choose(client, "fr")
    assert "Aller au contenu" in client.get("/").get_data(as_text=True)
    choose(client, "en")
    html = client.get("/login").get_data(as_text=True)
    assert "<h1>Log in</h1>" in html and "Se connecter" not in html
