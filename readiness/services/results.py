"""Score an assessment from what is stored, and freeze the result as a snapshot."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Text, and_, case, cast, column, delete, exists, func, inspect, or_, select, table, update
from sqlalchemy.orm import aliased

from readiness.definitions import get_definitions
from readiness.domain.anonymity import protect_result
from readiness.domain.answers import Respondent as EngineRespondent
from readiness.domain.engine import score_counts
from readiness.domain.result import Result, result_from_json, result_to_json
from readiness.domain.tally import AnswerCount, Silent, silent_groups
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
    SpecialAnswer,
)
from readiness.models.types import json_type
from readiness.services.current_results import fill_summaries
from readiness.questionnaire.schema import Charter, Questionnaire


def definitions_for(assessment: Assessment) -> tuple[Questionnaire, Charter]:
    """:return: the questionnaire and charter versions the assessment is pinned to."""
    definitions = get_definitions()
    return (
        definitions.questionnaire(assessment.questionnaire_id, assessment.questionnaire_version),
        definitions.charter(assessment.charter_id, assessment.charter_version),
    )


def engine_inputs(assessment: Assessment) -> tuple[list[EngineRespondent], dict[str, float | None], dict[str, str]]:
    """Read answers, figures and charter answers in four queries, whatever their number.

    Answers are read as plain rows, not ORM objects: an assessment can hold hundreds of thousands.
    """
    roles: dict[int, str] = {rid: role for rid, role in db.session.execute(
        select(Respondent.id, Respondent.role).where(Respondent.assessment_id == assessment.id))}
    answers: dict[int, dict[str, Any]] = {respondent_id: {} for respondent_id in roles}
    decoded: dict[str, Any] = {}  # the JSON text of a value -> the value: answers repeat a few values
    for respondent_id, item_id, special, raw in db.session.execute(
        select(Answer.respondent_id, Answer.item_id, Answer.special, cast(Answer.value, Text))
        .join(Respondent, Answer.respondent_id == Respondent.id).where(Respondent.assessment_id == assessment.id)
    ):
        if special is not None:
            answers[respondent_id][item_id] = special.value
        elif raw is not None:
            if raw not in decoded:
                decoded[raw] = json.loads(raw)
            if decoded[raw] is not None:
                answers[respondent_id][item_id] = decoded[raw]
    people = [EngineRespondent(str(rid), roles[rid], answers[rid]) for rid in sorted(roles)]
    return (people, *owner_inputs(assessment))


def owner_inputs(assessment: Assessment) -> tuple[dict[str, float | None], dict[str, str]]:
    """:return: the figures and charter answers the owner entered."""
    inputs = {
        m.input_id: (None if m.unknown else m.value)
        for m in db.session.scalars(select(MeasuredInput).where(MeasuredInput.assessment_id == assessment.id))
    }
    charter = {
        c.item_id: c.status.value
        for c in db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment.id))
    }
    return inputs, charter


Counted = tuple[list[AnswerCount], dict[str, int], dict[str, int], dict[str, int]]  # what ``counted_answers`` returns


def counted_answers(assessment: Assessment) -> Counted:
    """Count the answers in the database, so scoring costs the same for 10 or 10,000 respondents.

    :return: (role, item id, answer, number) rows; respondents per role; per role, those who gave any
        answer (the anonymity rule's count) and those who gave one other than "not applicable" (the engine's).
    """
    given = or_(Answer.value.is_not(None), Answer.special.is_not(None))
    of_assessment = Respondent.assessment_id == assessment.id
    rows = db.session.execute(
        select(Respondent.role, Answer.item_id, Answer.special, Answer.value, func.count())
        .join(Respondent, Answer.respondent_id == Respondent.id).where(of_assessment, given)
        .group_by(Respondent.role, Answer.item_id, Answer.special, Answer.value)
    ).all()
    counted = [(role, item_id, special.value if special is not None else value, n) for role, item_id, special, value, n in rows]
    return (counted, *respondents_by_role(assessment))


def respondents_by_role(assessment: Assessment) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """:return: per role, the respondents; those who gave any answer (the anonymity rule's count); and
        those who gave one other than "not applicable" (the engine's). One query."""
    given = or_(Answer.value.is_not(None), Answer.special.is_not(None))
    # Per respondent, an indexed look-up of one answer: cheaper than a second pass over every answer.
    mine = (Answer.respondent_id == Respondent.id, given)
    spoke = or_(Answer.special.is_(None), Answer.special != SpecialAnswer.NOT_APPLICABLE)
    people, answered, heard = {}, {}, {}
    for role, everyone, anyone, spoken in db.session.execute(
        select(Respondent.role, func.count(), func.sum(case((exists().where(*mine), 1), else_=0)),
               func.sum(case((exists().where(*mine, spoke), 1), else_=0)))
        .where(Respondent.assessment_id == assessment.id).group_by(Respondent.role)
    ):
        people[role], answered[role], heard[role] = everyone, int(anyone), int(spoken)
    return people, answered, heard


def silent_respondents(assessment: Assessment) -> Silent:
    """:return: the respondents who gave no answer other than "not applicable", grouped by role and by
        the items they marked so (one query; a "what if" that gives them an answer makes them heard)."""
    given = or_(Answer.value.is_not(None), Answer.special.is_not(None))
    spoke = or_(Answer.special.is_(None), Answer.special != SpecialAnswer.NOT_APPLICABLE)
    mark = aliased(Answer)  # the outer join's answers, apart from those the "not heard" test looks up
    marked = and_(mark.respondent_id == Respondent.id, mark.special == SpecialAnswer.NOT_APPLICABLE)
    found: dict[int, tuple[str, set[str]]] = {}
    for respondent_id, role, item_id in db.session.execute(
        select(Respondent.id, Respondent.role, mark.item_id).outerjoin(mark, marked)
        .where(Respondent.assessment_id == assessment.id,
               ~exists().where(Answer.respondent_id == Respondent.id, given, spoke))
    ):
        items = found.setdefault(respondent_id, (role, set()))[1]
        if item_id is not None:
            items.add(item_id)
    return silent_groups(((role, frozenset(items)), 1) for role, items in found.values())


def compute_result(assessment: Assessment, counts: Counted | None = None) -> Result:
    """Score the assessment as it stands now (the live preview while collecting), anonymity kept.

    :param counts: ``counted_answers(assessment)`` when the caller has read them already (the report re-uses them).
    """
    questionnaire, charter = definitions_for(assessment)
    counted, people, answered, heard = counts or counted_answers(assessment)
    inputs, charter_answers = owner_inputs(assessment)
    if questionnaire.followup is not None:
        charter = None  # type: ignore[assignment]  # a follow-up asks no charter questions; continuing ethics review has its own pages
    result = score_counts(questionnaire, counted, people, heard, inputs, charter_answers, charter)
    return protect_result(result, questionnaire, answered)


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
                role_scores=dict(d.by_role),
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
    # The dimensions' role-score column came after the migration that first ran this: rewritten once it exists.
    role_scores = "role_scores" in {c["name"] for c in inspect(connection).get_columns("snapshot_dimensions")}
    for snapshot_id, stored, qid, version in connection.execute(
            select(_SNAPSHOTS.c.id, _SNAPSHOTS.c.result, _SNAPSHOTS.c.questionnaire_id, _SNAPSHOTS.c.questionnaire_version)):
        questionnaire = lookup(qid, version)
        protected = protect_result(result_from_json(stored, questionnaire), questionnaire)
        if not set(protected.withheld_roles) - set(stored.get("withheld_roles") or []):
            continue
        kept = [flag.code for flag in protected.flags]
        connection.execute(update(_SNAPSHOTS).where(_SNAPSHOTS.c.id == snapshot_id).values(result=result_to_json(protected)))
        connection.execute(delete(_FLAGS).where(_FLAGS.c.snapshot_id == snapshot_id, _FLAGS.c.code.not_in(kept)))
        for dimension in protected.dimensions.values() if role_scores else ():
            connection.execute(
                update(_DIMENSIONS)
                .where(_DIMENSIONS.c.snapshot_id == snapshot_id, _DIMENSIONS.c.dimension_id == dimension.dimension)
                .values(role_scores=dict(dimension.by_role))
            )
        changed += 1
    # The current results carry a summary of their snapshots' rows (a later column): rewritten with them.
    if changed and "flags" in {c["name"] for c in inspect(connection).get_columns("current_results")}:
        fill_summaries(connection)
    return changed


_SNAPSHOTS = table("result_snapshots", column("id"), column("result", json_type()), column("questionnaire_id"),
                   column("questionnaire_version"))
_FLAGS = table("snapshot_flags", column("snapshot_id"), column("code"))
_DIMENSIONS = table("snapshot_dimensions", column("snapshot_id"), column("dimension_id"), column("role_scores", json_type()))
