"""Paper questionnaires: print numbered copies per role, then type each returned sheet in as one respondent.

A sheet may be typed twice by two people: the second entry is compared with the first and the
differences are shown before anything is saved (double entry, as survey teams do for paper).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain.collection import AnswerState
from readiness.domain.explain import text
from readiness.domain.paper import SheetCode, parse_code
from readiness.extensions import db
from readiness.models import AnswerSource, Assessment, Respondent, User
from readiness.questionnaire.schema import Questionnaire
from readiness.reports.paper import PaperWords, render_paper
from readiness.services import submissions, uploads
from readiness.services.submissions import Entry, Receipt

MAX_COPIES = 200


def role_number(q: Questionnaire, role: str) -> int:
    return [r.id for r in q.roles].index(role) + 1


def sheet_codes(assessment: Assessment, q: Questionnaire, role: str, first: int, copies: int) -> list[SheetCode]:
    number = role_number(q, role)
    return [SheetCode(assessment.id, number, sheet) for sheet in range(first, first + copies)]


def _in_each_language(q: Questionnaire, say) -> list[str]:
    found = []
    for lang in q.languages:
        with force_locale(lang):
            found.append(say())
    return found


def paper_words(q: Questionnaire, role: str) -> PaperWords:
    role_label = next(r.label for r in q.roles if r.id == role)
    first = q.languages[0]
    with force_locale(first):
        title = _("%(questionnaire)s — %(role)s (version %(version)s)", questionnaire=text(q.title, first),
                  role=text(role_label, first), version=q.version)
    return PaperWords(
        title=title,
        instructions=_in_each_language(q, lambda: _(
            "Tick one box per question. “Don't know” and “Not applicable” are honest answers. Write a comment wherever "
            "you wish. Do not write your name unless you want to be identified. Keep all pages of this sheet together.")),
        sheet=_in_each_language(q, lambda: _("Sheet %(code)s, page %(page)d")),  # filled in on each page
        comment=_in_each_language(q, lambda: _("Comment (optional)")),
        dont_know=_in_each_language(q, lambda: _("Don't know")),
        not_applicable=_in_each_language(q, lambda: _("Not applicable")),
        yes_no={key: _in_each_language(q, lambda key=key: {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}[key])
                for key in ("yes", "partly", "no")},
        your_answer=_in_each_language(q, lambda: _("Your answer")),
    )


def paper_pdf(assessment: Assessment, q: Questionnaire, role: str, first: int = 1, copies: int = 1) -> bytes:
    """:return: the PDF of ``copies`` numbered copies of the role's questionnaire."""
    return render_paper(q, role, sheet_codes(assessment, q, role, first, copies), paper_words(q, role))


@dataclass(frozen=True)
class Sheet:
    code: SheetCode
    role: str
    transcribed: bool  # already typed in: a respondent with this code exists


def find_sheet(assessment: Assessment, q: Questionnaire, typed: str) -> Sheet | None:
    """:return: the sheet a typed or scanned code names in this assessment, or None when it names none."""
    code = parse_code(typed)
    if code is None or code.assessment_id != assessment.id or not 1 <= code.role_number <= len(q.roles):
        return None
    done = db.session.scalar(select(Respondent.id).where(
        Respondent.assessment_id == assessment.id, Respondent.external_id == str(code))) is not None
    return Sheet(code, q.roles[code.role_number - 1].id, done)


# --- Double entry ------------------------------------------------------------------


def _scope(assessment: Assessment, sheet: Sheet) -> tuple[str, str]:
    return f"paper-{assessment.id}", f"{sheet.code.role_number:02d}{sheet.code.sheet:06d}".ljust(32, "0")


def first_entry(assessment: Assessment, sheet: Sheet) -> tuple[int, dict[str, AnswerState]] | None:
    """:return: who typed the sheet first and what, when a first entry waits for its second."""
    scope, key = _scope(assessment, sheet)
    raw = uploads.peek(scope, key)
    if raw is None:
        return None
    data = json.loads(raw)
    return data["by"], {k: AnswerState(**v) for k, v in data["answers"].items()}


def keep_first_entry(actor: User, assessment: Assessment, sheet: Sheet, answers: dict[str, AnswerState]) -> None:
    scope, key = _scope(assessment, sheet)
    payload = {"by": actor.id, "answers": {k: {"value": a.value, "special": a.special, "comment": a.comment,
                                                "evidence_link": a.evidence_link} for k, a in answers.items()}}
    uploads.keep(scope, key, json.dumps(payload).encode())


def differences(first: dict[str, AnswerState], second: dict[str, AnswerState]) -> list[str]:
    """:return: the item ids on which two entries of the same sheet disagree."""
    return sorted(k for k in first.keys() | second.keys()
                  if first.get(k, AnswerState()).digest() != second.get(k, AnswerState()).digest())


def transcribe(actor: User, assessment: Assessment, q: Questionnaire, sheet: Sheet,
               answers: dict[str, AnswerState]) -> Receipt:
    """Save a paper sheet as one respondent (source: paper); the sheet's code keeps it from being saved twice."""
    entry = Entry(submissions.new_answers({k: a for k, a in answers.items() if a.answered or a.comment}),
                  role=sheet.role, external_id=str(sheet.code))
    receipt = submissions.receive(AnswerSource.PAPER, assessment, q, [entry], actor)
    scope, key = _scope(assessment, sheet)
    uploads.drop(scope, key)
    return receipt
