"""Snapshots frozen before the anonymity rule are rewritten through it, so HQ's SQL reads and exports show no small group."""
from __future__ import annotations
from readiness.services.current_results import refresh_current_result

import json

from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain.engine import score_assessment
from readiness.extensions import db
from readiness.models import ResultSnapshot
from readiness.services.results import definitions_for, engine_inputs, protect_stored_snapshots, store_snapshot

from .test_anonymity import build, outputs, setup, sw_column  # noqa: F401 (fixture)


def freeze_the_old_way(assessment) -> None:
    """What closing did before the rule: the engine's result stored as it is, small group included."""
    questionnaire, charter = definitions_for(assessment)
    people, inputs, charter_answers = engine_inputs(assessment)
    store_snapshot(assessment, score_assessment(questionnaire, people, inputs, charter_answers, charter))
    refresh_current_result(assessment.delegation_id)  # as the migration that created current results did
    db.session.commit()


def stored(assessment) -> ResultSnapshot:
    db.session.expire_all()
    return db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))


def test_an_old_snapshot_is_protected_and_headquarters_see_no_small_group(setup, client):
    assessment, _sw_ids, token = setup(1)  # one anonymous social worker, minimum 3
    freeze_the_old_way(assessment)
    old = stored(assessment)
    assert any("social_worker" in d["by_role"] for d in old.result["dimensions"].values())  # the leak, as it was
    assert "100" in sw_column(client.get("/hq/flags").get_data(as_text=True))  # HQ's SQL read showed their mean

    changed = protect_stored_snapshots(db.session.connection(), get_definitions().questionnaire)
    db.session.commit()

    assert changed == 1
    new = stored(assessment)
    assert new.result["withheld_roles"] == ["social_worker"]
    assert all("social_worker" not in d["by_role"] for d in new.result["dimensions"].values())
    assert '"social_worker"' not in json.dumps(new.result["flags"]) and "social_worker" not in new.result["roles"]
    assert {f.code for f in new.flags} == {f["code"] for f in new.result["flags"]}
    assert new.overall_score == old.overall_score  # their answers still count
    found = outputs(client, assessment, token)
    assert set(sw_column(found["hq_flags"])) == {"–"}
    assert "social_worker" not in found["csv"] and "social_worker" not in found["api"]
    # Run again (a second migration run, a protected snapshot): nothing to change.
    assert protect_stored_snapshots(db.session.connection(), get_definitions().questionnaire) == 0


def test_a_snapshot_with_enough_people_is_left_as_it_was(setup, client):
    assessment, _sw_ids, _token = setup(3)
    before = stored(assessment).result
    assert protect_stored_snapshots(db.session.connection(), get_definitions().questionnaire) == 0
    assert stored(assessment).result == before
