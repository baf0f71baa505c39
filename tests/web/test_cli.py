"""The flask commands: thin clients of the loader and the engine."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from readiness.config import REPO_ROOT

SCENARIOS = REPO_ROOT / "examples" / "scenarios"


def test_check_passes_on_shipped_definitions(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(": ok")


def test_check_reports_each_problem_with_file_and_line(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nkind: charter\nid: c\nid: d\n", encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4: duplicate key 'id' (first on line 3)" in result.output


def test_check_works_when_broken_files_stop_the_app(tmp_path):
    folder = tmp_path / "readiness"
    folder.mkdir()
    text = (REPO_ROOT / "questionnaires" / "readiness" / "1.0.yaml").read_text(encoding="utf-8")
    (folder / "1.0.yaml").write_text(text.replace("kind: questionnaire", "kind: questionnaire\nextra: 1", 1), encoding="utf-8")
    env = {**os.environ, "QUESTIONNAIRE_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "questionnaires", "check", str(tmp_path)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "unknown key 'extra'" in run.stderr


def test_score_prints_recommendation_and_flags(runner):
    result = runner.invoke(args=["assess", "score", str(SCENARIOS / "acute-emergency-no-procedures.json")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Recommendation: No-go")
    assert "Rule critical-gate:" in result.output
    assert "[Critical]" in result.output


def test_score_in_french(runner):
    result = runner.invoke(args=["assess", "score", "--lang", "fr", str(SCENARIOS / "partial-readiness.json")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Recommandation\u202f: Go sous conditions")
    assert "Alertes\u202f:" in result.output


def test_score_json_is_the_full_result(runner):
    result = runner.invoke(args=["assess", "score", "--format", "json", str(SCENARIOS / "stable-strong.json")])
    data = json.loads(result.output)
    assert data["recommendation"]["outcome"] == "go"
    assert set(data["dimensions"]) == {"needs", "system", "ict", "staff", "organisation"}


def write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "responses.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_malformed_responses_name_respondent_and_item(runner, tmp_path):
    document = {
        "respondents": [
            {"id": "sw-1", "role": "social_worker", "answers": {"consent_assent": 7}},
            {"id": "x", "role": "director", "answers": {}},
            {"id": "m-1", "role": "manager", "answers": {"no_such_item": 2, "cm_procedures": "dont_know"}},
        ],
        "measured_inputs": {"power_hours": 30},
    }
    result = runner.invoke(args=["assess", "score", str(write(tmp_path, document))])
    assert result.exit_code == 1
    out = result.output
    assert "respondent 'sw-1', item 'consent_assent': answer 7 is outside the scale" in out
    assert "respondent 'x': unknown role 'director'" in out
    assert "respondent 'm-1', item 'no_such_item': unknown item id" in out
    assert "measured input 'power_hours': 30 is outside 0 to 24" in out


def test_item_not_asked_of_the_role_is_refused(runner, tmp_path):
    document = {"respondents": [{"id": "p", "role": "partner", "answers": {"cm_procedures": 3}}]}
    result = runner.invoke(args=["assess", "score", str(write(tmp_path, document))])
    assert result.exit_code == 1
    assert "respondent 'p', item 'cm_procedures': this item is not asked of role 'partner'" in result.output


def test_invalid_json_names_the_line(runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "respondents": [\n    {"id": 1,,}\n  ]\n}\n', encoding="utf-8")
    result = runner.invoke(args=["assess", "score", str(path)])
    assert result.exit_code == 1
    assert f"{path}: line 3, column 14: invalid JSON" in result.output


SMALL = '{"respondents": [{"id": "m", "role": "manager", "answers": {"cm_procedures": 3}}]}'


def test_responses_file_in_utf8_with_a_bom_or_utf16_is_read(runner, tmp_path):
    for name, data in (("bom.json", b"\xef\xbb\xbf" + SMALL.encode("utf-8")),
                       ("utf16.json", SMALL.encode("utf-16")),  # Python writes the byte-order mark first
                       ("utf16be.json", b"\xfe\xff" + SMALL.encode("utf-16-be"))):
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["assess", "score", str(path)])
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith("Recommendation:")


def test_bad_bytes_and_non_finite_figures_get_one_located_error(runner, tmp_path):
    cases = {
        "latin1.json": ('{"context": {"delegation": "Niamey – cité"}}'.encode("latin-1", "replace"), "line 1: byte"),
        "nan.json": (b'{"measured_inputs": {\n  "open_cases": NaN}}', "line 2, column 17: NaN is not a number"),
        "inf.json": (b'{"measured_inputs": {"open_cases": -Infinity}}', "line 1, column 36: -Infinity is not a number"),
        "huge.json": (b'{"measured_inputs": {"open_cases": 1e999}}', "line 1, column 36: 1e999 is not a number"),
    }
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["assess", "score", str(path)])
        assert result.exit_code == 1, (name, result.output)
        assert f"{path}: {expected}" in result.output, result.output
        assert "Traceback" not in result.output and result.output.count("Error:") == 1
