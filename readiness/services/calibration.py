"""Calibration notes: what HQ concluded from the figures, kept with the figures it read."""
from __future__ import annotations

from dataclasses import asdict

from flask_babel import gettext as _

from readiness.domain.calibration import Calibration
from readiness.extensions import db
from readiness.models import CalibrationNote, User
from readiness.questionnaire.schema import Questionnaire
from readiness.services import audit


class NoteRefused(ValueError):
    pass


def write_note(actor: User, text: str, questionnaire: Questionnaire, figures: Calibration) -> CalibrationNote:
    """Store a calibration note with the figures shown when it was written.

    :raise NoteRefused: the note is empty.
    """
    if not text.strip():
        raise NoteRefused(_("Write the note before saving it."))
    note = CalibrationNote(
        written_by_id=actor.id, written_by_name=actor.name, text=text.strip(),
        questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version, figures=asdict(figures),
    )
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "calibration.note", note, after={"questionnaire": f"{questionnaire.id} {questionnaire.version}",
                                                          "cases": figures.cases})
    return note
