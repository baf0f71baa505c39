"""`flask translations export|import`: PO files for translators, for definition files and the interface.

Layout of an export folder (one language per export)::

    interface.<lang>.po                       the interface catalogue (pages, reports, PDFs, letters)
    definitions/<id>/<version>.<lang>.po      one per definition file (msgctxt = path of the text)
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask.cli import AppGroup

from readiness.config import Config
from readiness.i18n import CATALOGUES
from readiness.questionnaire import po_files
from readiness.questionnaire.loader import Problem, check_path

translations = AppGroup("translations", help="Export and import translations as PO files.")


def _definition_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yaml"))


def _catalogue_path(lang: str) -> Path:
    return CATALOGUES / lang / "LC_MESSAGES" / "messages.po"


@translations.command("export", with_appcontext=False)
@click.argument("lang")
@click.option("--out", "out_dir", default="translations-export", type=click.Path(path_type=Path), show_default=True)
@click.option("--definitions", "definitions_dir", type=click.Path(path_type=Path, exists=True),
              help="Definition files folder (default: the app's questionnaires folder).")
def export_command(lang: str, out_dir: Path, definitions_dir: Path | None) -> None:
    """Write every translatable text in LANG as PO files for a translator."""
    root = definitions_dir or Path(Config.QUESTIONNAIRE_DIR)
    count = 0
    for path in _definition_files(root):
        catalog = po_files.export_definition(path, lang)
        po_files.write_catalog(catalog, out_dir / "definitions" / path.parent.name / f"{path.stem}.{lang}.po")
        count += len(catalog)
    interface = _interface_catalog(lang)
    target = out_dir / f"interface.{lang}.po"
    if _catalogue_path(lang).exists():
        target.write_bytes(_catalogue_path(lang).read_bytes())  # as maintained, so an unchanged import changes nothing
    else:
        po_files.write_catalog(interface, target)
    click.echo(f"{out_dir}: {count} definition texts and {len(interface)} interface messages in '{lang}'")


def _interface_catalog(lang: str) -> Catalog:
    existing = _catalogue_path(lang)
    if existing.exists():
        return po_files.read_catalog(existing)
    template = po_files.read_catalog(CATALOGUES / "messages.pot")
    template.locale = lang  # type: ignore[assignment]
    return template


@translations.command("import", with_appcontext=False)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--definitions", "definitions_dir", type=click.Path(path_type=Path, exists=True),
              help="Definition files folder (default: the app's questionnaires folder).")
def import_command(folder: Path, definitions_dir: Path | None) -> None:
    """Read PO files back: check them, then write the texts into the definition files and the catalogue."""
    root = definitions_dir or Path(Config.QUESTIONNAIRE_DIR)
    problems: list[Problem] = []
    for po_path in sorted((folder / "definitions").rglob("*.po")):
        version, _, lang = po_path.stem.rpartition(".")
        target = root / po_path.parent.name / f"{version}.yaml"
        if not target.exists():
            problems.append(Problem(str(po_path), None, "", f"no definition file {target}"))
            continue
        problems += po_files.import_definition(target, po_files.read_catalog(po_path), lang, str(po_path))
    for po_path in sorted(folder.glob("interface.*.po")):
        problems += _import_interface(po_path, po_path.stem.split(".", 1)[1])
    problems += check_path(root)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{folder}: imported")


def _import_interface(po_path: Path, lang: str) -> list[Problem]:
    catalog = po_files.read_catalog(po_path)
    problems = po_files.check_catalog(catalog, str(po_path))
    if problems:
        return problems
    target = _catalogue_path(lang)
    if target.exists() and target.read_bytes() == po_path.read_bytes():
        return []
    po_files.write_catalog(catalog, target, width=76)
    with target.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    return []
