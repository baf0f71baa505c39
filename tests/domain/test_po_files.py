"""Translators' workflow: definition texts out to PO files and back into the YAML, line by line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from readiness.questionnaire import po_files
from readiness.questionnaire.loader import load_directory, load_file
from readiness.translations_cli import export_command, import_command

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    copy = tmp_path / "questionnaires"
    shutil.copytree(SHIPPED, copy)
    return copy


def run(command, *args: str) -> object:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


def test_french_round_trip_leaves_every_definition_file_byte_for_byte_the_same(definitions: Path, tmp_path: Path):
    before = {p: p.read_bytes() for p in definitions.rglob("*.yaml")}
    out = tmp_path / "po"
    assert run(export_command, "fr", "--out", str(out), "--definitions", str(definitions)).exit_code == 0
    exported = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.po"))
    assert "definitions/readiness/1.0.fr.po" in exported and "interface.fr.po" in exported
    result = run(import_command, str(out), "--definitions", str(definitions))
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in definitions.rglob("*.yaml")} == before


def test_export_gives_the_item_path_as_context_english_as_msgid_and_french_as_msgstr(definitions: Path):
    catalog = po_files.export_definition(definitions / "readiness" / "1.0.yaml", "fr")
    q = load_file(definitions / "readiness" / "1.0.yaml")
    item = q.items[0]
    message = catalog.get(item.text["en"], context=f"items[{item.id}].text")
    assert message is not None and message.string == item.text["fr"]


def _edit_po(path: Path, context: str, new: str) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context == context:
            message.string = new
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_an_edited_translation_changes_only_its_own_line(definitions: Path, tmp_path: Path):
    target = definitions / "readiness" / "1.0.yaml"
    before = target.read_text(encoding="utf-8").splitlines()
    out = tmp_path / "po"
    run(export_command, "fr", "--out", str(out), "--definitions", str(definitions))
    _edit_po(out / "definitions/readiness/1.0.fr.po", "roles[manager].label", "Responsable de pays ou de programme")
    assert run(import_command, str(out), "--definitions", str(definitions)).exit_code == 0
    after = target.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][1].strip() == 'fr: "Responsable de pays ou de programme"'
    assert load_file(target).role("manager").label["fr"] == "Responsable de pays ou de programme"


def test_import_refuses_a_missing_translation_or_a_changed_placeholder_with_file_and_line(definitions: Path, tmp_path: Path):
    out = tmp_path / "po"
    run(export_command, "fr", "--out", str(out), "--definitions", str(definitions))
    po = out / "definitions/readiness/1.0.fr.po"
    _edit_po(po, "roles[manager].label", "")
    before = (definitions / "readiness" / "1.0.yaml").read_bytes()
    result = CliRunner().invoke(import_command, [str(out), "--definitions", str(definitions)])
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(po.read_text(encoding="utf-8").splitlines(), 1)
                if text == 'msgctxt "roles[manager].label"') + 1  # the msgid line
    assert f"{po}:{line}: roles[manager].label: not translated" in result.output
    assert (definitions / "readiness" / "1.0.yaml").read_bytes() == before
    problems = po_files.check_catalog(_catalog_with("{count} flag(s)", "{nombre} alerte(s)"), "x.po")
    assert [p.message for p in problems] == ["placeholders differ: {count} in English, {nombre} here"]


def _catalog_with(msgid: str, msgstr: str):
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="fr")
    catalog.add(msgid, msgstr)
    return catalog


def test_a_new_language_is_a_data_change_the_loader_then_holds_it_complete(definitions: Path, tmp_path: Path):
    """A sixth language: export it, translate every text, import: the files declare and hold it."""
    for path in definitions.rglob("*.yaml"):
        catalog = po_files.export_definition(path, "pt")
        for message in catalog:
            if message.id:
                message.string = f"[pt] {message.id}"
        assert po_files.import_definition(path, catalog, "pt", str(path)) == []
    loaded = load_directory(definitions)
    q = loaded.latest_questionnaire()
    assert "pt" in q.languages and q.items[0].text["pt"] == f"[pt] {q.items[0].text['en']}"
    assert q.translations.get("pt") is None  # undeclared status: a draft until a reviewer marks it


def test_loader_refuses_a_file_whose_declared_language_lacks_a_text_at_its_line(definitions: Path):
    from readiness.questionnaire.loader import DefinitionError

    target = definitions / "readiness" / "1.0.yaml"
    source = target.read_text(encoding="utf-8").replace("languages: [en, fr", "languages: [en, fr, pt", 1)
    target.write_text(source, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_file(target)
    first = caught.value.problems[0]
    assert "text missing in language 'pt' (title)" in first.message
    assert first.line == next(i for i, t in enumerate(source.splitlines(), 1) if t.startswith("title:"))
