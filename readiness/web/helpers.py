"""Template globals: the reader's language and the domain's plain-language helpers."""
from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask, current_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup, escape

from readiness.domain import explain, policies
from readiness.i18n import RTL_LANGUAGES, is_rtl, review_status
from readiness.domain.plaintext import isolated
from readiness.domain.policies import can_manage_users
from readiness.questionnaire.effort import SECONDS_PER_ITEM, minutes_for_role



def current_lang() -> str:
    return str(get_locale() or "en")


def text_direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


class FallbackText(str):
    """A definition-file text shown in English because the file lacks the reader's language.

    Printed on its own in a template it carries ``lang="en"`` (and ``dir="ltr"``), so screen
    readers and the bidi algorithm treat it as English; inside a sentence it is plain text.
    """

    lang = "en"

    def __html__(self) -> str:
        return str(Markup('<span lang="en" dir="ltr">%s</span>') % escape(str(self)))


def translate(value: dict[str, str] | None) -> str:
    """Pick the reader's language from a definition-file text (English, marked, when missing)."""
    lang = current_lang()
    if isinstance(value, dict) and value and not value.get(lang) and lang != "en":
        return FallbackText(explain.text(value, lang))
    return explain.text(value, lang)




_ENGLISH_TERRITORIES = {name.casefold(): code for code, name in Locale.parse("en").territories.items()}


def country_name(value: str | None, lang: str) -> str:
    """:return: a country stored by its English name, named in ``lang`` (Babel's CLDR names); other text as is."""
    code = _ENGLISH_TERRITORIES.get((value or "").strip().casefold())
    return Locale.parse(lang).territories.get(code, value) if code else (value or "")


def language_choices() -> list[dict[str, Any]]:
    """The language menu: each language named in itself, drafts marked."""
    choices = []
    for code in current_app.config["LANGUAGES"]:
        name = Locale.parse(code).get_display_name(code) or code
        choices.append({"code": code, "name": name[:1].upper() + name[1:], "draft": review_status(code) == "draft",
                        "dir": text_direction(code)})
    return choices


def _page_gettext(translations: Any) -> Any:
    """Jinja's new-style ``gettext`` (``_()``) bound to one catalogue: autoescaped, always %-formatted."""

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> str:
        found = translations.ugettext(string)
        return (Markup(found) if context.eval_ctx.autoescape else found) % variables

    return gettext


def _page_ngettext(translations: Any) -> Any:
    """Jinja's new-style ``ngettext`` bound to one catalogue; ``num`` is there for the sentence."""

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        found = translations.ungettext(singular, plural, num)
        return (Markup(found) if context.eval_ctx.autoescape else found) % variables

    return ngettext


def register_template_helpers(app: Flask) -> None:
    from readiness.web.assets import plotly_js_url

    app.jinja_env.globals.update(
        get_locale=get_locale,
        plotly_js_url=plotly_js_url,
        t=translate,
        # Macros imported without context see no ``lang``: an undefined language means the reader's.
        outcome_label=lambda outcome, lang=None: explain.outcome_label(outcome, lang or current_lang()),
        describe_condition=lambda when, q, lang=None: explain.describe_condition(when, q, lang or current_lang()),
        percent=lambda value: explain.percent(value, current_lang()),
        number=lambda value, digits=0: explain.number(value, digits, current_lang()),
        band_ranges=explain.band_ranges,
        minutes_for_role=minutes_for_role,
        seconds={kind.value: value for kind, value in SECONDS_PER_ITEM.items()},
        rtl_languages=RTL_LANGUAGES,
        text_direction=text_direction,
        language_choices=language_choices,
        review_status=review_status,
        can_manage_users=can_manage_users,
    )

    from readiness.reports.data import format_day

    app.jinja_env.filters["isolate"] = lambda value: isolated(str(value)) if value else ""
    app.jinja_env.filters["region"] = lambda value: explain.text(value, current_lang()) if value else ""
    app.jinja_env.filters["country"] = lambda value: country_name(value, current_lang())
    # One date style per language (Babel's "long" date: "1 December 2026", "1 décembre 2026").
    app.jinja_env.filters["day"] = lambda value: format_day(value, current_lang())

    @app.context_processor
    def _language() -> dict[str, Any]:
        translations = get_translations()
        # The page's own catalogue, looked up once per page: ``_()`` otherwise asks Flask-Babel for
        # the request's locale and catalogue at each of the page's dozens of sentences.
        return {"lang": current_lang(), "gettext": _page_gettext(translations), "ngettext": _page_ngettext(translations)}
    # The report area: hide the decision and action-plan buttons from people who may not use them.
    app.jinja_env.globals.update(can_decide=policies.can_decide, can_edit_actions=policies.can_edit_actions,
                                 can_amend_decision=policies.can_amend_decision)
    # Headquarters area: the nav link.
    app.jinja_env.globals.update(is_headquarters=policies.is_headquarters)
    app.jinja_env.globals.update(can_list_delegations=policies.can_list_delegations)
    # The report's flags carry an id that generated actions link to.
    from readiness.reports.subjects import flag_anchor
    app.jinja_env.globals.update(flag_anchor=flag_anchor)
