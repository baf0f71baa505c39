"""Flask commands: thin clients of the loader, the engine and the services."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from readiness.config import Config
from readiness.questionnaire.loader import check_path

# Checking definition files must work when the files are broken, which is exactly when the
# app refuses to start: so this group is also an entry point that runs without an app.
questionnaires = AppGroup("questionnaires", help="Questionnaire and charter definition files.")
assess = AppGroup("assess", help="Score assessments.")
demo = AppGroup("demo", help="Demonstration data.")


@questionnaires.command("check", with_appcontext=False)
@click.argument("path", required=False, type=click.Path(path_type=Path))
def check_definitions(path: Path | None) -> None:
    """Check definition files (a file or a folder; default: the app's questionnaires folder)."""
    target = path or Path(Config.QUESTIONNAIRE_DIR)
    problems = check_path(target)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{target}: ok")


@assess.command("score")
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
def score_file(responses: Path, output: str, lang: str) -> None:
    """Score a responses file and print the result."""
    from readiness.services.scoring import ScoringInputError, render_text, score_document

    try:
        document = json.loads(responses.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{responses}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    try:
        result, questionnaire, charter = score_document(document)
    except ScoringInputError as exc:
        for problem in exc.problems:
            click.echo(f"{responses}: {problem}", err=True)
        sys.exit(1)
    if output == "json":
        from readiness.domain.result import result_to_json

        click.echo(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result, questionnaire, charter, lang))


@demo.command("load")
@click.option("--delegations", default=6, show_default=True, help="How many delegations to create.")
@click.option("--assessments", default=12, show_default=True, help="How many assessments in all.")
@click.option("--seed", default=7, show_default=True, help="Random seed, so the demo is the same every time.")
def load_demo(delegations: int, assessments: int, seed: int) -> None:
    """Load demonstration delegations, assessments and logins (skipped if already loaded)."""
    from readiness.extensions import db
    from readiness.services.demo import DEMO_PASSWORD, load_demo_data

    summary = load_demo_data(delegations=delegations, assessments=assessments, seed=seed)
    db.session.commit()
    click.echo(summary.describe())
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for email, role in summary.logins:
        click.echo(f"  {email:<32} {role}")


def register_cli(app: Flask) -> None:
    for group in (questionnaires, assess, demo):
        app.cli.add_command(group)
