"""Headquarters' calibration page: follow-up outcomes set against what the readiness assessment predicted."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from readiness.definitions import get_definitions
from readiness.domain.calibration import calibrate
from readiness.domain.explain import number, outcome_label, percent
from readiness.domain.policies import is_headquarters
from readiness.extensions import db
from readiness.forms.once import OnceForm
from readiness.models import CalibrationNote
from readiness.read.calibration import calibration_cases
from readiness.read.labels import dimension_label
from readiness.services.calibration import NoteRefused, write_note
from readiness.services.followup_reminders import due_followups
from readiness.web import once
from readiness.web.auth import allowed
from readiness.web.helpers import current_lang

bp = Blueprint("calibration", __name__, url_prefix="/hq/calibration")


class NoteForm(OnceForm):
    text = TextAreaField(_l("Calibration note"), validators=[DataRequired(), Length(max=20_000)])


@bp.before_request
def _headquarters_only() -> None:
    allowed(is_headquarters)


def _page(form: NoteForm, status: int = 200) -> ResponseReturnValue:
    figures = calibrate(calibration_cases(), current_app.config["CALIBRATION_MIN_CASES"])
    notes = db.session.scalars(select(CalibrationNote).order_by(CalibrationNote.written_at.desc())).all()
    readiness = get_definitions().latest_questionnaire("readiness")
    lang = current_lang()

    def decision_label(key: str) -> str:
        outcome, _plus, override = key.partition("+")
        label = outcome_label(outcome, lang)
        return _("%(decision)s, overriding the recommendation", decision=label) if override else label

    def recommendation_label(key: str) -> str:
        return outcome_label(key, lang)

    def flag_label(key: str) -> str:
        return _("No critical or major flag") if key == "none" else _("Flagged: %(dimension)s", dimension=dimension_label(readiness, key, lang))

    return render_template("hq/calibration.html", figures=figures, notes=notes, form=form, number=number, percent=percent,
                           decision_label=decision_label, flag_label=flag_label,
                           recommendation_label=recommendation_label, due_followups=due_followups()), status


@bp.get("/")
def index() -> ResponseReturnValue:
    """Show follow-up outcomes by recommendation, decision and flag, with the calibration notes."""
    return _page(NoteForm())


@bp.post("/notes")
def add_note() -> ResponseReturnValue:
    """Save a written calibration note with the figures it was written against."""
    form = NoteForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    if (earlier := once.spend(form)) is not None:
        return earlier
    figures = calibrate(calibration_cases(), current_app.config["CALIBRATION_MIN_CASES"])
    try:
        write_note(g.user, form.text.data, get_definitions().latest_questionnaire("readiness"), figures)
    except NoteRefused as refused:
        form.text.errors = [str(refused)]
        return _page(form, 400)
    url = once.lead_to(url_for(".index"))
    db.session.commit()
    flash(_("Calibration note saved. Thresholds change only in a new questionnaire version."), "success")
    return redirect(url)
