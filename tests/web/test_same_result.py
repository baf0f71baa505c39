"""The same answers give the same result in the CLI, the live preview, the frozen result, the report and the API."""
from __future__ import annotations

import html
import json

from sqlalchemy import select

from readiness.domain.explain import describe_flag
from readiness.domain.headline import headline
from readiness.domain.result import result_from_json, result_to_json
from readiness.extensions import db
from readiness.models import ResultSnapshot, Role
from readiness.services.results import compute_result, definitions_for
from readiness.services.assessments import close_assessment

from .test_api import bearer, issue
from .test_report_page import SCENARIOS, make_assessment

SCENARIO = "seen-04-late-answer-could-flip"  # a silent role, "find out first", dimensions in file order


def test_one_result_everywhere(runner, client, db_session, login_as):
    cli = runner.invoke(args=["assess", "score", "--format", "json", str(SCENARIOS / f"{SCENARIO}.json")])
    assert cli.exit_code == 0, cli.output
    from_cli = json.loads(cli.output)

    assessment = make_assessment(SCENARIO, close=False)
    questionnaire, charter = definitions_for(assessment)
    preview = compute_result(assessment)
    assert result_to_json(preview) == from_cli

    close_assessment(None, assessment)
    db.session.commit()
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    frozen = result_from_json(snapshot.result, questionnaire)
    assert result_to_json(frozen) == from_cli
    assert list(frozen.dimensions) == [d.id for d in questionnaire.dimensions]
    assert frozen.robustness.find_out_first == ["role:supervisor"]

    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = html.unescape(client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True))
    assert headline(frozen, questionnaire, charter, "en") in page
    assert describe_flag(frozen.flags[0], questionnaire, charter, "en").message in page
    client.get("/logout")

    token = issue(client, login_as)
    rows = client.get("/api/v1/results", headers=bearer(token)).get_json()["data"]
    row = next(r for r in rows if r["assessment_id"] == assessment.id)
    assert (row["recommendation"], row["rule_id"]) == (frozen.recommendation.outcome, frozen.recommendation.rule_id)
    assert row["overall_score"] == frozen.overall_score and row["coverage"] == frozen.overall_coverage
    assert row["flags"] == [flag.code for flag in frozen.flags]  # in the ranked order
    assert list(row["dimensions"]) == list(frozen.dimensions)
