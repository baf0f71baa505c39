"""Forms built from the definition files: a respondent's page, the figures, the ethics charter.

One registry maps an item type to its form field; a fresh form class is made for each page
(and language), with fields named from the item ids.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE
from readiness.domain.collection import AnswerState, is_http_link, normalise_text
from readiness.domain.explain import text
from readiness.domain.indicators import input_from_ratio, percent_from_counts, ratio_inputs
from readiness.models import CharterStatus
from readiness.questionnaire.schema import Charter, Item, ItemType, MeasuredInput, Questionnaire

COMMENT_MAX = 4000
UNKNOWN = "unknown"

# Field-name suffixes; item ids are lower-case identifiers, so "__" never clashes with one.
COMMENT, LINK, FILE, WAS, VERSION, SPECIAL = "__comment", "__link", "__file", "__was", "__version", "__special"
RATIO, PART, WHOLE = "__ratio", "__part", "__whole"  # a figure given the way the delegation knows it


def special_choices() -> list[tuple[str, str]]:
    return [(DONT_KNOW, _("Don't know")), (NOT_APPLICABLE, _("Not applicable"))]


def yes_no_choices() -> list[tuple[str, str]]:
    return [("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))]


def charter_choices() -> list[tuple[str, str]]:
    return [
        (CharterStatus.MET.value, _("Met")),
        (CharterStatus.PARTLY.value, _("Partly met")),
        (CharterStatus.NOT_MET.value, _("Not met")),
        (CharterStatus.NOT_APPLICABLE.value, _("Not applicable")),
    ]


def http_link(_form: Any, field: Field) -> None:
    if field.data and field.data.strip() and not is_http_link(field.data):
        raise ValidationError(_("Enter a web address starting with http:// or https://"))


def number_between(low: float | None, high: float | None) -> Callable[[Any, Field], None]:
    def check(_form: Any, field: Field) -> None:
        raw = (field.data or "").strip()
        if not raw:
            return
        value = parse_number(raw)
        if value is None:
            raise ValidationError(_("Enter a number, for example 12 or 3.5."))
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                raise ValidationError(_("Enter a number of at least %(low)s.", low=f"{low:g}"))
            raise ValidationError(_("Enter a number from %(low)s to %(high)s.", low=f"{low or 0:g}", high=f"{high:g}"))

    return check


def parse_number(raw: str) -> float | None:
    """Accept "3.5" and the French "3,5"; refuse anything else."""
    try:
        value = float(raw.strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def parse_version(raw: str | None) -> int | None:
    """A version counter sent back by a page: ASCII digits only ("²".isdigit() is true, int("²") fails)."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


# --- The respondent's page ---------------------------------------------------------


def _level_field(item: Item, lang: str) -> Field:
    levels = item.levels or {}
    choices = [(str(level), text(levels[level], lang)) for level in sorted(levels)]
    return RadioField(text(item.text, lang), choices=choices + special_choices(), validators=[Optional()])


def _yes_no_field(item: Item, lang: str) -> Field:
    return RadioField(text(item.text, lang), choices=yes_no_choices() + special_choices(), validators=[Optional()])


def _number_field(item: Item, lang: str) -> Field:
    return StringField(text(item.text, lang), validators=[number_between(None, None)])


def _text_field(item: Item, lang: str) -> Field:
    return TextAreaField(text(item.text, lang), validators=[Optional(), Length(max=COMMENT_MAX)])


FIELD_FOR_TYPE: dict[ItemType, Callable[[Item, str], Field]] = {
    ItemType.LEVEL: _level_field,
    ItemType.YES_NO: _yes_no_field,
    ItemType.NUMBER: _number_field,
    ItemType.TEXT: _text_field,
}
# Types whose answer is typed in: "don't know" and "not applicable" sit in a separate choice.
TYPED = frozenset({ItemType.NUMBER, ItemType.TEXT})


class _LinkProtected:
    # The respondent's link is their credential: the page carries a proof derived from the link
    # (checked by the respond blueprint), not the session's CSRF token, so a lost cookie loses nothing.
    csrf = False


def page_form(items: list[Item], lang: str, *, link_protected: bool = True) -> type[FlaskForm]:
    """A form class for one page of a respondent's questions.

    :param link_protected: False for a signed-in person's form (a paper sheet typed in), which keeps session CSRF.
    """
    form = type("RespondentPageForm", (FlaskForm,), {"Meta": _LinkProtected} if link_protected else {})
    for item in items:
        setattr(form, item.id, FIELD_FOR_TYPE[item.type](item, lang))
        if item.type in TYPED:
            setattr(form, item.id + SPECIAL, SelectField(
                _l("Or"), choices=[("", _("—"))] + special_choices(), validators=[Optional()]))
        setattr(form, item.id + COMMENT, TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=COMMENT_MAX)]))
        if item.evidence != "none":
            setattr(form, item.id + LINK, StringField(_l("Link to evidence"), validators=[Optional(), Length(max=2000), http_link]))
            setattr(form, item.id + FILE, FileField(_l("Or attach a file")))
        setattr(form, item.id + WAS, HiddenField())
        setattr(form, item.id + VERSION, HiddenField())
    return form


def fill_page(form: FlaskForm, items: list[Item], states: dict[str, AnswerState]) -> None:
    """Show stored answers in a fresh (GET) form."""
    for item in items:
        state = states.get(item.id, AnswerState())
        if item.type in TYPED:
            form[item.id].data = "" if state.value is None else (f"{state.value:g}" if isinstance(state.value, float) else str(state.value))
            form[item.id + SPECIAL].data = state.special or ""
        else:
            form[item.id].data = state.special or (None if state.value is None else str(state.value))
        form[item.id + COMMENT].data = state.comment
        if item.evidence != "none":
            form[item.id + LINK].data = state.evidence_link or ""


def submitted_state(form: FlaskForm, item: Item) -> AnswerState:
    """What the respondent sent for one item."""
    link = normalise_text(form[item.id + LINK].data) or None if item.evidence != "none" else None
    comment = normalise_text(form[item.id + COMMENT].data)
    raw = form[item.id].data
    if item.type in TYPED:
        special = form[item.id + SPECIAL].data or None
        value: Any = normalise_text(raw) or None
        if item.type is ItemType.NUMBER and value is not None:
            value = parse_number(value)
        return AnswerState(None if special else value, special, comment, link)
    if raw in (DONT_KNOW, NOT_APPLICABLE):
        return AnswerState(None, raw, comment, link)
    if raw in (None, "", "None"):
        return AnswerState(None, None, comment, link)
    return AnswerState(int(raw) if item.type is ItemType.LEVEL else raw, None, comment, link)


# --- The delegation's figures ------------------------------------------------------


def figures_form(questionnaire: Questionnaire, lang: str) -> type[FlaskForm]:
    form = type("FiguresForm", (FlaskForm,), {})
    for entry in questionnaire.inputs:
        setattr(form, entry.id, StringField(text(entry.label, lang), validators=[number_between(entry.min, entry.max)]))
        setattr(form, entry.id + SPECIAL, BooleanField(_l("We do not know this figure")))
        setattr(form, entry.id + COMMENT, TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=COMMENT_MAX)]))
        setattr(form, entry.id + WAS, HiddenField())
        setattr(form, entry.id + VERSION, HiddenField())
    for input_id, indicator in ratio_inputs(questionnaire).items():
        setattr(form, input_id + RATIO, StringField(text(indicator.label, lang), validators=[number_between(0, None)]))
    for entry in percent_inputs(questionnaire):
        setattr(form, entry.id + PART, StringField(_l("How many"), validators=[number_between(0, None)]))
        setattr(form, entry.id + WHOLE, StringField(_l("Out of"), validators=[number_between(0, None)]))
    return form


def percent_inputs(questionnaire: Questionnaire) -> list[MeasuredInput]:
    """Figures asked as a percentage: they can also be given as two counts."""
    return [e for e in questionnaire.inputs if e.max == 100 and text(e.unit, "en") == "%"]


def derive_figures(form: FlaskForm, questionnaire: Questionnaire) -> bool:
    """Turn a ratio or two counts into the figure itself, written into its field so the person sees it.

    :return: False when a ratio or the counts cannot be used (a message is on the field).
    """
    ok = True
    for input_id, indicator in ratio_inputs(questionnaire).items():
        ok &= _from_ratio(form, input_id, indicator)
    for entry in percent_inputs(questionnaire):
        ok &= _from_counts(form, entry.id)
    return ok


def _from_ratio(form: FlaskForm, input_id: str, indicator: Any) -> bool:
    ratio = parse_number(form[input_id + RATIO].data or "")
    if ratio is None:
        return True
    if (form[input_id].data or "").strip():
        form[input_id + RATIO].errors = [*form[input_id + RATIO].errors, _("Give either the figure or the ratio, not both.")]
        return False
    other_id = indicator.denominator if input_id == indicator.numerator else indicator.numerator
    other = parse_number(form[other_id].data or "")
    value = input_from_ratio(indicator, input_id, ratio, other) if other is not None else None
    if value is None:
        form[input_id + RATIO].errors = [*form[input_id + RATIO].errors, _(
            "To use the ratio, also give “%(other)s” (above).", other=form[other_id].label.text)]
        return False
    form[input_id].data, form[input_id + RATIO].data = f"{value:g}", ""
    return True


def _from_counts(form: FlaskForm, input_id: str) -> bool:
    part, whole = parse_number(form[input_id + PART].data or ""), parse_number(form[input_id + WHOLE].data or "")
    if part is None and whole is None:
        return True
    value = percent_from_counts(part, whole) if part is not None and whole is not None and part <= whole else None
    if value is None or (form[input_id].data or "").strip():
        form[input_id + PART].errors = [*form[input_id + PART].errors, _(
            "Give both counts (the first no larger than the second), or the percentage, not both.")]
        return False
    form[input_id].data, form[input_id + PART].data, form[input_id + WHOLE].data = f"{value:g}", "", ""
    return True


def fill_figures(form: FlaskForm, inputs: list[MeasuredInput], states: dict[str, AnswerState]) -> None:
    for entry in inputs:
        state = states.get(entry.id, AnswerState())
        form[entry.id].data = "" if state.value is None else f"{state.value:g}"
        form[entry.id + SPECIAL].data = state.special == UNKNOWN
        form[entry.id + COMMENT].data = state.comment


def shown_version(form: FlaskForm, item_id: str) -> int | None:
    """:return: the record version the page showed for an item, or None when there was no record."""
    raw = (form[item_id + VERSION].data or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


def submitted_figure(form: FlaskForm, entry: MeasuredInput) -> AnswerState:
    comment = normalise_text(form[entry.id + COMMENT].data)
    if form[entry.id + SPECIAL].data:
        return AnswerState(None, UNKNOWN, comment)
    raw = (form[entry.id].data or "").strip()
    return AnswerState(parse_number(raw) if raw else None, None, comment)


# --- The ethics charter ------------------------------------------------------------


def charter_form(charter: Charter, lang: str) -> type[FlaskForm]:
    form = type("CharterForm", (FlaskForm,), {})
    for item in charter.items:
        setattr(form, item.id, RadioField(text(item.text, lang), choices=charter_choices(), validators=[Optional()]))
        setattr(form, item.id + COMMENT, TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=COMMENT_MAX)]))
        setattr(form, item.id + LINK, StringField(_l("Link to evidence"), validators=[Optional(), Length(max=2000), http_link]))
        setattr(form, item.id + WAS, HiddenField())
        setattr(form, item.id + VERSION, HiddenField())
    return form


def fill_charter(form: FlaskForm, charter: Charter, states: dict[str, AnswerState]) -> None:
    for item in charter.items:
        state = states.get(item.id, AnswerState())
        form[item.id].data = state.value
        form[item.id + COMMENT].data = state.comment
        form[item.id + LINK].data = state.evidence_link or ""


def submitted_charter(form: FlaskForm, item_id: str) -> AnswerState:
    status = form[item_id].data or None
    return AnswerState(
        None if status in (None, "None") else status, None,
        normalise_text(form[item_id + COMMENT].data), normalise_text(form[item_id + LINK].data) or None,
    )


def check_figures(form: FlaskForm, inputs: list[MeasuredInput]) -> bool:
    """Cross-field rule: a figure and "we do not know" together are contradictory."""
    ok = True
    for entry in inputs:
        if form[entry.id + SPECIAL].data and (form[entry.id].data or "").strip():
            form[entry.id].errors = [*form[entry.id].errors, _("Either give the figure or tick “we do not know”, not both.")]
            ok = False
    return ok


def check_charter(form: FlaskForm, charter: Charter) -> bool:
    """A comment or link is kept with a status: ask for one rather than drop what was typed."""
    ok = True
    for item in charter.items:
        state = submitted_charter(form, item.id)
        if state.value is None and (state.comment or state.evidence_link):
            form[item.id].errors = [*form[item.id].errors, _("Choose a status to keep this comment or link.")]
            ok = False
    return ok
