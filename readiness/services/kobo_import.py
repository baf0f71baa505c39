"""Importing a KoboToolbox / ODK submissions export: preview first, then all or nothing.

Each submission becomes one respondent (source: xlsform) keyed by its uuid, so importing
the same file again creates nothing new.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from readiness.models import AnswerSource, Assessment, Respondent, User
from readiness.questionnaire import kobo_export
from readiness.questionnaire.kobo_export import Located, Parsed
from readiness.questionnaire.schema import Questionnaire
from readiness.extensions import db
from readiness.services import audit, submissions
from readiness.services.submissions import Entry, Receipt


@dataclass
class Preview:
    parsed: Parsed = field(default_factory=Parsed)
    problems: list[Located] = field(default_factory=list)
    already_there: set[str] = field(default_factory=set)  # uuids imported before

    @property
    def new_rows(self) -> list[kobo_export.Row]:
        return [row for row in self.parsed.rows if row.uuid not in self.already_there]

    @property
    def ok(self) -> bool:
        return not self.problems


def preview_import(assessment: Assessment, questionnaire: Questionnaire, filename: str, data: bytes) -> Preview:
    """Read and check a whole export without writing anything.

    :return: the respondents and answers it holds, problems located by row and column.
    """
    rows, problem = kobo_export.read_table(filename, data)
    if problem is not None:
        return Preview(problems=[problem])
    parsed = kobo_export.parse(rows, questionnaire)
    uuids = [row.uuid for row in parsed.rows]
    known = {uuid for uuid in db.session.scalars(select(Respondent.external_id).where(
        Respondent.assessment_id == assessment.id, Respondent.external_id.in_(uuids))) if uuid} if uuids else set()
    return Preview(parsed, list(parsed.problems), known)


def import_submissions(
    actor: User, assessment: Assessment, questionnaire: Questionnaire, filename: str, data: bytes
) -> tuple[Preview, Receipt | None]:
    """Create one respondent per new submission, or nothing at all when any problem is found.

    :return: the preview, and what was saved (None when refused).
    """
    preview = preview_import(assessment, questionnaire, filename, data)
    if not preview.ok or preview.parsed.pin is None:
        return preview, None
    role = preview.parsed.pin.role
    entries = [Entry(submissions.new_answers(row.answers), role=role, external_id=row.uuid) for row in preview.new_rows]
    receipt = submissions.receive(AnswerSource.XLSFORM, assessment, questionnaire, entries, actor)
    audit.record(actor, "assessment.import", assessment, assessment_id=assessment.id,
                 after={"file": filename[-200:], "role": role, "respondents": len(receipt.received),
                        "already_imported": len(preview.already_there)})
    return preview, receipt
