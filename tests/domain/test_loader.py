"""Broken definition files give one clear error naming the file and the line; nothing crashes."""
from __future__ import annotations

from pathlib import Path

import pytest

from readiness.questionnaire.loader import DefinitionError, check_path, load_directory, load_file

from .conftest import EXAMPLES, ROOT

ANNOTATED = (EXAMPLES / "definitions" / "annotated-questionnaire.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert old in ANNOTATED, old
    text = ANNOTATED.replace(old, new, 1)
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def only_problem(path: Path) -> str:
    problems = check_path(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def test_annotated_examples_are_valid():
    assert load_file(EXAMPLES / "definitions" / "annotated-questionnaire.yaml").id == "sample"
    assert load_file(EXAMPLES / "definitions" / "annotated-charter.yaml").id == "sample_charter"


def test_shipped_definitions_load():
    definitions = load_directory(ROOT / "questionnaires")
    assert ("readiness", "1.0") in definitions.questionnaires
    assert ("ethics_charter", "1.0") in definitions.charters


def test_bad_yaml_names_the_line(tmp_path):
    path, text = broken(tmp_path, "  - id: shared_devices\n", "  - id: shared_devices\n   dimension: [ict\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:")
    assert int(message.split(":")[1]) in (line_of(text, "dimension: [ict"), line_of(text, "dimension: [ict") + 1)


def test_unknown_key_names_item_and_line(tmp_path):
    path, text = broken(tmp_path, "    weight: 2 ", "    colour: red\n    weight: 2 ")
    assert only_problem(path) == f"{path}:{line_of(text, 'colour: red')}: item power_supply: unknown key 'colour'"


def test_duplicate_id(tmp_path):
    path, text = broken(tmp_path, "  - id: shared_devices", "  - id: power_supply")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if "- id: power_supply" in line]
    assert only_problem(path) == f"{path}:{lines[1]}: item power_supply: duplicate id 'power_supply' (already used in items)"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_level_without_descriptor_in_one_language(tmp_path, language):
    old = "      1: {en: Power is available a few hours a day., fr: Le courant est disponible quelques heures par jour.}"
    kept = "en: Power is available a few hours a day." if language == "fr" else "fr: Le courant est disponible quelques heures par jour."
    path, text = broken(tmp_path, old, "      1: {" + kept + "}")
    message = only_problem(path)
    assert message == (
        f"{path}:{line_of(text, '      1: {')}: item power_supply: text missing in language '{language}' (items.0.levels.1)"
    )


def test_level_missing_entirely(tmp_path):
    old = "      4: {en: Reliable power and back-up everywhere staff work., fr: Courant fiable et secours partout où le personnel travaille.}\n"
    path, text = broken(tmp_path, old, "")
    message = only_problem(path)
    assert f"{path}:{line_of(text, '    levels:')}: item power_supply:" in message
    assert "missing [4]" in message


def test_rule_naming_unknown_dimension(tmp_path):
    path, text = broken(tmp_path, "when: {coverage_below: 0.6}", "when: {dimension_below: {staffing: 40}}")
    message = only_problem(path)
    assert message == f"{path}:{line_of(text, 'staffing: 40')}: rule evidence: unknown dimension 'staffing'"


@pytest.mark.parametrize("weight", ["0", "-1"])
def test_non_positive_weight(tmp_path, weight):
    path, text = broken(tmp_path, "    weight: 2 ", f"    weight: {weight} ")
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, f'weight: {weight} ')}: item power_supply: weight:")
    assert "greater than 0" in message


def test_object_tag_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "ran"
    path, text = broken(tmp_path, 'version: "1.0"', f'version: !!python/object/apply:os.system ["touch {marker}"]')
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, 'os.system')}:")
    assert "tags that build objects are not allowed" in message
    assert not marker.exists()


def test_duplicate_key(tmp_path):
    path, text = broken(tmp_path, "    evidence: optional", "    evidence: optional\n    evidence: required")
    assert only_problem(path) == f"{path}:{line_of(text, 'evidence: required')}: item power_supply: duplicate key 'evidence' (first on line {line_of(text, 'evidence: optional')})"


def test_unknown_schema_version(tmp_path):
    path, text = broken(tmp_path, "schema_version: 1 ", "schema_version: 2 ")
    assert "unsupported schema_version 2" in only_problem(path)
    assert only_problem(path).startswith(f"{path}:{line_of(text, 'schema_version: 2')}:")


def test_bands_must_increase(tmp_path):
    path, text = broken(tmp_path, "below: 15.01,", "below: 10,")
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, 'below: 10,')}: indicator caseload:")
    assert "'below' must increase" in message


def test_directory_reports_every_file_and_placement(tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(ANNOTATED.replace("weight: 2 ", "weight: 0 "), encoding="utf-8")
    (folder / "2.0.yaml").write_text(ANNOTATED, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert "1.0.yaml" in messages[0] and "greater than 0" in messages[0]
    assert "2.0.yaml" in messages[1] and "should be named sample/1.0.yaml" in messages[1]


def test_unreadable_file(tmp_path):
    assert "cannot read file" in only_problem(tmp_path / "absent.yaml")


def test_screening_trigger_naming_an_unknown_fact(tmp_path):
    text = (ROOT / "questionnaires" / "ethics_screening" / "1.0.yaml").read_text(encoding="utf-8")
    path = tmp_path / "screening.yaml"
    path.write_text(text.replace("fact: new_technology", "fact: shiny_things", 1), encoding="utf-8")
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(path.read_text(), 'shiny_things')}: trigger new_technology: unknown fact 'shiny_things'")


def test_a_band_source_is_a_plain_string_or_a_text_checked_in_every_language(tmp_path):
    old = 'source: "CWLA: 12 active cases per worker"'
    assert load_file(EXAMPLES / "definitions" / "annotated-questionnaire.yaml").indicators[0].bands[0].source == (
        "CWLA: 12 active cases per worker"
    )
    path, _ = broken(tmp_path, old, 'source: {en: "CWLA: 12 active cases per worker", fr: "CWLA : 12 dossiers actifs"}')
    assert check_path(path) == []
    assert load_file(path).indicators[0].bands[0].source == {"en": "CWLA: 12 active cases per worker",
                                                            "fr": "CWLA : 12 dossiers actifs"}
    path, text = broken(tmp_path, old, 'source: {en: "CWLA: 12 active cases per worker"}')
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, 'source: {en: ')}:")
    assert "text missing in language 'fr' (indicators.0.bands.0.source)" in message
