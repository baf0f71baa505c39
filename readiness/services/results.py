"""Score an assessment from what is stored, and freeze the result as a snapshot."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import column, delete, select, table, update
from sqlalchemy.orm import selectinload

from readiness.definitions import get_definitions
from readiness.domain.anonymity import heard_counts, protect_result
from readiness.domain.answers import Respondent as EngineRespondent
from readiness.domain.engine import score_assessment
from readiness.domain.result import Result, result_from_json, result_to_json
from readiness.extensions import db
from readiness.models import (
    Answer,
    Assessment,
    CharterAnswer,
    MeasuredInput,
    Respondent,
    ResultSnapshot,
    SnapshotDimension,
    SnapshotFlag,
)
from readiness.models.types import json_type
from readiness.questionnaire.schema import Charter, Questionnaire


def definitions_for(assessment: Assessment) -> tuple[Questionnaire, Charter]:
    """:return: the questionnaire and charter versions the assessment is pinned to."""
    definitions = get_definitions()
    return (
        definitions.questionnaire(assessment.questionnaire_id, assessment.questionnaire_version),
        definitions.charter(assessment.charter_id, assessment.charter_version),
    )


def engine_inputs(assessment: Assessment) -> tuple[list[EngineRespondent], dict[str, float | None], dict[str, str]]:
    """Read answers, figures and charter answers in three queries, whatever their number."""
    respondents = db.session.scalars(
        select(Respondent).where(Respondent.assessment_id == assessment.id).options(selectinload(Respondent.answers))
    ).all()
    people = [
        EngineRespondent(str(r.id), r.role, {a.item_id: _value(a) for a in r.answers if _value(a) is not None})
        for r in respondents
    ]
    inputs = {
        m.input_id: (None if m.unknown else m.value)
        for m in db.session.scalars(select(MeasuredInput).where(MeasuredInput.assessment_id == assessment.id))
    }
    charter = {
        c.item_id: c.status.value
        for c in db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment.id))
    }
    return people, inputs, charter


def _value(answer: Answer) -> object:
    return answer.special.value if answer.special is not None else answer.value


def compute_result(assessment: Assessment) -> Result:
    """Score the assessment as it stands now (the live preview while collecting), anonymity kept."""
    questionnaire, charter = definitions_for(assessment)
    people, inputs, charter_answers = engine_inputs(assessment)
    result = score_assessment(questionnaire, people, inputs, charter_answers, charter)
    return protect_result(result, questionnaire, heard_counts(people))


def stored_result(assessment: Assessment, snapshot: ResultSnapshot) -> Result:
    """:return: a snapshot's result, anonymity kept (snapshots frozen before the rule existed included)."""
    questionnaire, _charter = definitions_for(assessment)
    return protect_result(result_from_json(snapshot.result, questionnaire), questionnaire)


def store_snapshot(assessment: Assessment, result: Result) -> ResultSnapshot:
    """Replace the assessment's snapshot with ``result``, flattened for SQL aggregation."""
    db.session.execute(delete(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    snapshot = ResultSnapshot(
        assessment_id=assessment.id,
        questionnaire_id=result.questionnaire_id,
        questionnaire_version=result.questionnaire_version,
        recommendation=result.recommendation.outcome,
        rule_id=result.recommendation.rule_id,
        overall_score=result.overall_score,
        coverage=result.overall_coverage,
        result=result_to_json(result),
        dimensions=[
            SnapshotDimension(dimension_id=d.dimension, score=d.score, coverage=d.coverage or 0.0, threshold=d.go)
            for d in result.dimensions.values()
        ],
        flags=[
            SnapshotFlag(code=f.code, kind=f.kind, severity=f.severity, dimension_id=f.dimension) for f in result.flags
        ],
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot



def protect_stored_snapshots(connection: Any, lookup: Callable[[str, str], Questionnaire]) -> int:
    """Rewrite every snapshot through the anonymity rule, so SQL reads and exports need no second one.

    Snapshots frozen before the rule existed hold an anonymous small group's role scores and
    gap flags; HQ pages and exports read them with SQL (JSON paths, flag rows). Each result is
    replaced by ``protect_result`` of it and the flag rows it no longer has are deleted.
    Written in Core on named columns, so the migration that calls it keeps working as models change.
    Idempotent: a protected snapshot stays as it is.
    :param lookup: ``(questionnaire id, version) -> Questionnaire``.
    :return: how many snapshots changed.
    """
    changed = 0
    for snapshot_id, stored, qid, version in connection.execute(
            select(_SNAPSHOTS.c.id, _SNAPSHOTS.c.result, _SNAPSHOTS.c.questionnaire_id, _SNAPSHOTS.c.questionnaire_version)):
        questionnaire = lookup(qid, version)
        protected = protect_result(result_from_json(stored, questionnaire), questionnaire)
        if not set(protected.withheld_roles) - set(stored.get("withheld_roles") or []):
            continue
        kept = [flag.code for flag in protected.flags]
        connection.execute(update(_SNAPSHOTS).where(_SNAPSHOTS.c.id == snapshot_id).values(result=result_to_json(protected)))
        connection.execute(delete(_FLAGS).where(_FLAGS.c.snapshot_id == snapshot_id, _FLAGS.c.code.not_in(kept)))
        changed += 1
    return changed


_SNAPSHOTS = table("result_snapshots", column("id"), column("result", json_type()), column("questionnaire_id"),
                   column("questionnaire_version"))
_FLAGS = table("snapshot_flags", column("snapshot_id"), column("code"))
