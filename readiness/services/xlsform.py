"""XLSForms for KoboToolbox and ODK, one per role and questionnaire version, in every language of the file."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from readiness.questionnaire import xlsform
from readiness.questionnaire.schema import Questionnaire


def words(q: Questionnaire) -> dict[str, dict[str, str]]:
    """The form's interface words in each language of the file, from the catalogue."""
    found = {}
    for lang in q.languages:
        with force_locale(lang):
            found[lang] = {
                "comment": _("Comment (optional)"), "special": _("Or, if you cannot answer"),
                "link": _("Link to evidence"), "dont_know": _("Don't know"), "not_applicable": _("Not applicable"),
                "yes": _("Yes"), "partly": _("Partly"), "no": _("No"), "role": _("Role"),
            }
    return found


def xlsform_for(q: Questionnaire, role: str) -> bytes:
    """:return: the role's XLSForm as .xlsx bytes."""
    return xlsform.workbook_bytes(xlsform.sheets(q, role, words(q)))


def filename_for(q: Questionnaire, role: str) -> str:
    return f"{xlsform.form_id(xlsform.Pin(q.id, q.version, role))}.xlsx"
