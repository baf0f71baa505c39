"""Save the figures read from a case-management tool's KPI export, through the figures' own save."""
from __future__ import annotations

from readiness.domain.collection import AnswerState
from readiness.domain.kpi_import import KpiFile
from readiness.models import Assessment, User
from readiness.services import audit
from readiness.services.answers import SaveOutcome, Submission, figure_states, figure_versions, save_figures


def import_figures(actor: User, assessment: Assessment, found: KpiFile, filename: str) -> SaveOutcome:
    """Save every figure of a clean file, keeping each figure's comment.

    :raise SavingClosed: the assessment's result is frozen; nothing is saved.
    :raise ValueError: the file has problems (the caller previews it first).
    """
    if not found.ok:
        raise ValueError("a KPI file with problems is never saved")
    states, versions = figure_states(assessment), figure_versions(assessment)
    submissions = []
    for input_id, value in found.figures.items():
        before = states.get(input_id, AnswerState())
        submissions.append(Submission(input_id, AnswerState(value, None, before.comment), before.digest(),
                                      versions.get(input_id)))
    outcome = save_figures(actor, assessment, submissions)
    audit.record(actor, "figures.import", assessment, assessment_id=assessment.id,
                 after={"file": filename[:200], "figures": sorted(found.figures)})
    return outcome
