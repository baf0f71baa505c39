"""Anonymity kept in every output: one, then three anonymous social workers (minimum group size 3).

Below the minimum, nothing computed from the social workers alone (their role's scores, their
comments and free text, their count) and no respondent number that maps to a link appears in the
report, its PDF, the live preview, the assessment page, headquarters' pages, the CSV and XLSX
exports, the API or the audit trail. At the minimum, their role and words appear, still without ids.
"""
from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain.collection import AnswerState
from readiness.extensions import db
from readiness.models import AuditEntry, ContextType, Delegation, ResultSnapshot, Role
from readiness.questionnaire.schema import ItemType
from readiness.services import answers as answer_service
from readiness.services import api_tokens
from readiness.services.answers import Submission
from readiness.services.assessments import close_assessment, open_assessment, start_assessment
from readiness.services.respondents import invite_respondents, respondent_label

LEVELS = {"manager": 1, "supervisor": 2, "social_worker": 4}
SECRET = "SW-SECRET"


def _answers(q, role: str, tag: str) -> list[Submission]:
    subs = []
    for index, item in enumerate(q.items_for_role(role)):
        if item.type is ItemType.LEVEL:
            value = LEVELS[role]
        elif item.type is ItemType.YES_NO:
            value = "yes" if LEVELS[role] > 2 else "no"
        elif item.type is ItemType.TEXT:
            value = f"{tag}-text-{index}"
        else:
            continue
        comment = f"{tag}-comment-{index}" if index < 2 else ""
        subs.append(Submission(item.id, AnswerState(value, None, comment), AnswerState().digest(), None))
    return subs


def build(owner, social_workers: int):
    """An assessment answered by a manager, a supervisor and ``social_workers`` anonymous social workers."""
    delegation = Delegation(name="Niger – Tahoua", country="Niger", region="West Africa",
                            context_type=ContextType.PROTRACTED_CRISIS)
    db.session.add(delegation)
    assessment = start_assessment(owner, delegation, title="CPIMS+ readiness", tool_name="CPIMS+")
    open_assessment(owner, assessment)
    q = get_definitions().questionnaire(assessment.questionnaire_id, assessment.questionnaire_version)
    roles = {role.id: role for role in q.roles}
    sw_ids = []
    people = [("manager", "Manager", "MGR"), ("supervisor", None, "SUP")]
    people += [("social_worker", None, f"{SECRET}{n}") for n in range(social_workers)]
    for role, name, tag in people:
        [invitation] = invite_respondents(owner, assessment, role=role, name=name)
        respondent = invitation.respondent
        label = respondent_label(respondent, roles[role].label["en"], roles[role].anonymous)
        answer_service.save_answers(respondent, q, _answers(q, role, tag), label)
        if role == "social_worker":
            sw_ids.append(respondent.id)
    db.session.commit()
    return assessment, delegation, sw_ids


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def sw_column(html: str) -> list[str]:
    """The social-worker column of headquarters' perception-gap table (roles in file order: the second)."""
    table = html[html.index('class="hq-gaps"'):]
    rows = re.findall(r'<tr><th scope="row">.*?</th>(.*?)</tr>', table, re.S)
    return [re.findall(r'<td class="num">(.*?)</td>', row)[1] for row in rows]


def outputs(client, assessment, token: str) -> dict[str, str]:
    base = f"/assessments/{assessment.id}"
    bearer = {"Authorization": f"Bearer {token}"}
    xlsx = load_workbook(io.BytesIO(client.get("/hq/export.xlsx").data), read_only=True)
    cells = [str(c) for sheet in xlsx for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    return {
        "report": client.get(base + "/report").get_data(as_text=True),
        "pdf": pdf_text(client.get(base + "/report.pdf").data),
        "assessment": client.get(base).get_data(as_text=True),
        "audit": client.get(base + "/audit").get_data(as_text=True),
        "hq": "".join(client.get(p).get_data(as_text=True) for p in ("/hq/", "/hq/flags", "/hq/heatmap", "/hq/distribution")),
        "hq_flags": client.get("/hq/flags").get_data(as_text=True),
        "csv": client.get("/hq/export.csv").data.decode("utf-8-sig"),
        "xlsx": " ".join(cells),
        "api": "".join(client.get(p, headers=bearer).get_data(as_text=True)
                       for p in ("/api/v1/results", "/api/v1/portfolio", "/api/v1/benchmark")),
    }


@pytest.fixture
def setup(client, db_session, login_as, make_user):
    def make(social_workers: int, close: bool = True):
        hq = make_user(role=Role.HQ)
        owner = make_user(role=Role.ADMIN)
        assessment, delegation, sw_ids = build(owner, social_workers)
        if close:
            close_assessment(owner, assessment)
            db.session.commit()
        _token, plain = api_tokens.issue_token(hq, "Dashboard")
        db.session.commit()
        login_as(Role.ADMIN)
        return assessment, sw_ids, plain
    return make


def no_respondent_ids(found: dict[str, str], sw_ids: list[int]) -> None:
    for name, content in found.items():
        for sw in sw_ids:
            assert f"respondent #{sw}" not in content, name
    anonymous = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_label.startswith("anonymous respondent")))
    entries = list(anonymous)
    assert entries, "the social workers' changes are in the trail"
    for entry in entries:
        assert entry.target_id == "" and entry.before is None and set(entry.after or {}) <= {"item"}


def test_one_social_worker_is_never_shown_on_their_own(setup, client):
    assessment, sw_ids, token = setup(1)
    found = outputs(client, assessment, token)
    for name, content in found.items():
        assert SECRET not in content, name
        # The assessment page lists the links the owner sent (to withdraw or reissue them): not a result.
        assert name == "assessment" or "Social worker (1)" not in content, name
    assert "social_worker" not in found["api"] and "social_worker" not in found["csv"]
    chart = json.loads(re.search(r'id="report-chart-data">(.*?)</script>', found["report"], re.S).group(1))
    assert "social_worker" not in [r["id"] for r in chart["roles"]]
    assert "fewer than 3 people answered" in found["report"] and "fewer than 3 people answered" in found["pdf"]
    assert set(sw_column(found["hq_flags"])) == {"–"}
    stored = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id)).result
    assert stored["withheld_roles"] == ["social_worker"]
    assert all("social_worker" not in d["by_role"] for d in stored["dimensions"].values())
    assert all("social_worker" not in f["evidence"].get("by_role", {}) for f in stored["flags"])
    assert "social_worker" not in stored["roles"]
    no_respondent_ids(found, sw_ids)
    # Their answers still count: the overall score is not the other two roles' alone.
    assert stored["overall_score"] is not None


def test_the_live_preview_keeps_one_social_worker_hidden_too(setup, client):
    assessment, sw_ids, _token = setup(1, close=False)
    base = f"/assessments/{assessment.id}"
    report, pdf = client.get(base + "/report").get_data(as_text=True), pdf_text(client.get(base + "/report.pdf").data)
    assert "Social worker (1)" not in report and "Social worker (1)" not in pdf
    for content in (report, pdf, client.get(base).get_data(as_text=True)):
        assert SECRET not in content
        assert not any(f"respondent #{sw}" in content for sw in sw_ids)


def test_three_social_workers_are_shown_by_role_without_ids(setup, client):
    assessment, sw_ids, token = setup(3)
    found = outputs(client, assessment, token)
    for n in range(3):
        for name in ("report", "pdf"):
            assert f"{SECRET}{n}-comment-0" in found[name], name  # what people said, by role
    assert "Social worker (3)" in found["report"] and "Social worker (3)" in found["pdf"]
    assert "100" in sw_column(found["hq_flags"])  # the role's own mean, at level 4
    for name in ("audit", "assessment", "hq", "csv", "xlsx", "api"):
        assert SECRET not in found[name], name  # words only in the report, never in the trail
    no_respondent_ids(found, sw_ids)
