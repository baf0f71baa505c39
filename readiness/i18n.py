"""One translation system: gettext catalogues, usable with or without a request.

Interface code uses Flask-Babel's ``_()`` for the reader's language. Code that writes a
document in a chosen language (reports, PDFs, letters, explanations, CLI output, e-mails) takes
the language code and renders through :func:`gettext_in`, which reads the same compiled
catalogues with a per-call ``Translations`` object, so a French letter can be written from an
English session and a PDF from the command line. Sentences are marked with :func:`N_` where
they are defined (English msgids, extracted by ``make translations``) and translated when shown.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import DateTimePattern, format_date, get_date_format
from babel.support import NullTranslations, Translations

CATALOGUES = Path(__file__).parent / "translations"
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def is_rtl(lang: str) -> bool:
    return lang.split("_")[0].split("-")[0] in RTL_LANGUAGES


class Msg(str):
    """An English msgid marked for translation, with an optional gettext context."""

    context: str | None = None

    def __new__(cls, msgid: str, context: str | None = None) -> Msg:
        self = super().__new__(cls, msgid)
        self.context = context
        return self


def N_(msgid: str) -> Msg:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``msgid`` for extraction; it is translated where it is shown."""
    return Msg(msgid)


def NC_(context: str, msgid: str) -> Msg:  # noqa: N802
    """Mark ``msgid`` with a context, for an English word that needs two translations."""
    return Msg(msgid, context)


@lru_cache(maxsize=16)
def translations(lang: str) -> NullTranslations:
    """:return: the compiled catalogue of ``lang`` (no translation for English or a missing catalogue)."""
    if not lang or lang == SOURCE_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(CATALOGUES), [lang], domain="messages")


def gettext_in(lang: str, msgid: str, **params: Any) -> str:
    """:return: ``msgid`` translated into ``lang``, with ``{name}`` placeholders filled from ``params``."""
    catalogue = translations(lang)
    context = getattr(msgid, "context", None)
    text = str(catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid))
    return text.format(**params) if params else text


DRAFT_NOTICE = N_("Draft translation: a native-speaking practitioner has not reviewed this language yet; the English version is authoritative.")


def review_status(lang: str) -> str:
    """:return: "source", "reviewed" or "draft" for the interface catalogue of ``lang`` (``LANGUAGE_REVIEW``)."""
    from flask import current_app, has_app_context

    from readiness.config import Config

    statuses = current_app.config.get("LANGUAGE_REVIEW", {}) if has_app_context() else Config.LANGUAGE_REVIEW
    return statuses.get(lang, "draft")


def draft_notice(lang: str, *definitions: Any) -> str | None:
    """:return: the notice a document in ``lang`` carries when its wording, or a definition file's, is a draft."""
    from readiness.questionnaire.schema import review_status as definition_status

    drafts = [review_status(lang)] + [definition_status(d, lang) for d in definitions if d is not None]
    return gettext_in(lang, DRAFT_NOTICE) if any(status in ("draft", "missing") for status in drafts) else None


def available_catalogues() -> list[str]:
    """:return: every language with a catalogue (``<lang>/LC_MESSAGES/messages.po``), English first."""
    found = sorted(p.parent.parent.name for p in CATALOGUES.glob("*/LC_MESSAGES/messages.po"))
    return [SOURCE_LANGUAGE, *found]


# One date style per language: Babel's "long" date ("April 15, 2026", "15 avril 2026").
def format_day(value: date | datetime | None, lang: str) -> str:
    """:return: ``value`` as a long date in ``lang`` ("–" when there is none)."""
    if value is None:
        return "–"
    day = value.date() if isinstance(value, datetime) else value
    locale, pattern = _long_date(lang)
    return format_date(day, format=pattern, locale=locale)  # type: ignore[arg-type]  # Babel takes a parsed pattern too


@cache
def _long_date(lang: str) -> tuple[Locale, DateTimePattern]:
    """The language's locale and "long" date pattern, parsed once (tables format a date per row)."""
    locale = Locale.parse(lang)
    return locale, get_date_format("long", locale=locale)
