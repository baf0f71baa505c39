"""Score an assessment from what is stored, and freeze the result as a snapshot."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from readiness.definitions import get_definitions
from readiness.domain.anonymity import heard_counts, protect_result
from readiness.domain.answers import Respondent as EngineRespondent
from readiness.domain.engine import score_assessment
from readiness.domain.result import Result, result_from_json, result_to_json
from readiness.domain.uncertainty import OVERALL, Interval, bootstrap_intervals
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


MAX_REPLICATES, MIN_REPLICATES, REPLICATE_BUDGET = 200, 20, 100_000


def score_intervals(assessment: Assessment) -> dict[str, Interval | None]:
    """Bootstrap intervals of the assessment's scores, seeded by its id so a re-close gives the same."""
    questionnaire, _charter = definitions_for(assessment)
    people, _inputs, _charter_answers = engine_inputs(assessment)
    # Each replicate re-counts every respondent: bound the work so a very large assessment still
    # closes quickly (its intervals are narrow anyway).
    replicates = max(MIN_REPLICATES, min(MAX_REPLICATES, REPLICATE_BUDGET // max(1, len(people))))
    return bootstrap_intervals(questionnaire, people, replicates=replicates, seed=assessment.id)


def store_snapshot(
    assessment: Assessment, result: Result, intervals: Mapping[str, Interval | None] | None = None
) -> ResultSnapshot:
    """Replace the assessment's snapshot with ``result``, flattened for SQL aggregation.

    :param intervals: dimension id (and ``"overall"``) -> bootstrap interval, frozen with the scores.
    """
    intervals = intervals or {}
    overall = intervals.get(OVERALL)
    db.session.execute(delete(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    snapshot = ResultSnapshot(
        assessment_id=assessment.id,
        questionnaire_id=result.questionnaire_id,
        questionnaire_version=result.questionnaire_version,
        recommendation=result.recommendation.outcome,
        rule_id=result.recommendation.rule_id,
        overall_score=result.overall_score,
        coverage=result.overall_coverage,
        overall_low=overall[0] if overall else None,
        overall_high=overall[1] if overall else None,
        result=result_to_json(result),
        dimensions=[
            SnapshotDimension(
                dimension_id=d.dimension, score=d.score, coverage=d.coverage or 0.0, threshold=d.go,
                interval_low=_end(intervals, d.dimension, 0), interval_high=_end(intervals, d.dimension, 1),
            )
            for d in result.dimensions.values()
        ],
        flags=[
            SnapshotFlag(code=f.code, kind=f.kind, severity=f.severity, dimension_id=f.dimension) for f in result.flags
        ],
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def _end(intervals: Mapping[str, Interval | None], key: str, end: int) -> float | None:
    interval = intervals.get(key)
    return interval[end] if interval else None
