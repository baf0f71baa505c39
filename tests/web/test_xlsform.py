"""XLSForms per role: pyxform converts each and ODK Validate (Java) accepts it; CLI and download."""
from __future__ import annotations

import io
import os
import shutil
from html import unescape

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from readiness.definitions import get_definitions
from readiness.services.xlsform import xlsform_for

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module")
def java() -> None:
    if shutil.which("java") is None:
        if IN_CI:
            pytest.fail("ODK Validate needs a Java runtime: install default-jre-headless (.ci/run does)")
        pytest.skip("no Java runtime for ODK Validate")


def role_ids(app) -> list[str]:
    with app.app_context():
        return [r.id for r in get_definitions().latest_questionnaire("readiness").roles]


@pytest.mark.parametrize("role", ["manager", "social_worker", "supervisor", "it_admin", "partner"])
def test_every_roles_form_converts_and_passes_odk_validate(app, java, role):
    assert role in role_ids(app)
    with app.app_context(), app.test_request_context():
        q = get_definitions().latest_questionnaire("readiness")
        form = xlsform_for(q, role)
    warnings: list[str] = []
    xform = unescape(convert(io.BytesIO(form), warnings=warnings, validate=True, file_type=".xlsx").xform)
    assert warnings == []
    assert f'id="readiness_{q.version.replace(".", "-")}_{role}"' in xform
    for item in q.items_for_role(role):
        assert f"/{item.dimension}/{item.id}" in xform and f"/{item.dimension}/{item.id}__comment" in xform
    for lang in ("English (en)", "Français (fr)"):
        assert f'lang="{lang}"' in xform
    level_item = next(i for i in q.items_for_role(role) if i.type == "level")
    for descriptor in level_item.levels.values():  # the descriptors are the choices, in both languages
        assert descriptor["en"] in xform and descriptor["fr"] in xform
    assert "Don't know" in xform and "Ne sait pas" in xform and "Not applicable" in xform and "Sans objet" in xform
    assert f"'readiness/{q.version}/{role}'" in xform  # the pin comes back in every submission


def test_the_command_writes_one_form_per_role(app, runner, tmp_path):
    out = tmp_path / "forms"
    result = runner.invoke(args=["questionnaires", "xlsform", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"readiness_1-0_{r}.xlsx" for r in role_ids(app))
    book = load_workbook(out / "readiness_1-0_partner.xlsx", read_only=True)
    assert book.sheetnames == ["survey", "choices", "settings"]
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings[1][1] == "readiness_1-0_partner"


def test_the_command_refuses_an_unknown_role(runner, tmp_path):
    result = runner.invoke(args=["questionnaires", "xlsform", str(tmp_path), "--role", "donor"])
    assert result.exit_code != 0 and "unknown role(s): donor" in result.output


def test_the_assessment_page_offers_each_roles_form(client, app, db_session, login_as):
    from readiness.models import ContextType, Delegation
    from readiness.services.assessments import start_assessment

    delegation = Delegation(name="Gao", country="Mali", region="West Africa", context_type=ContextType.STABLE)
    db_session.add(delegation)
    user = login_as(delegations=[delegation])
    assessment = start_assessment(user, delegation, title="Primero rollout", tool_name="Primero")
    db_session.commit()
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert f'href="/assessments/{assessment.id}/xlsform/social_worker.xlsx"' in page
    assert f'href="/assessments/{assessment.id}/import"' in page
    response = client.get(f"/assessments/{assessment.id}/xlsform/social_worker.xlsx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    assert 'filename="readiness_1-0_social_worker.xlsx"' in response.headers["Content-Disposition"]
    assert client.get(f"/assessments/{assessment.id}/xlsform/donor.xlsx").status_code == 404
