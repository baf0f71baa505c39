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


@questionnaires.command("xlsform")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--questionnaire", "questionnaire_id", default="readiness", show_default=True)
@click.option("--version", help="Default: the latest version.")
@click.option("--role", "roles", multiple=True, help="Only this role (repeatable); default: every role.")
def xlsform_command(out_dir: Path, questionnaire_id: str, version: str | None, roles: tuple[str, ...]) -> None:
    """Write one XLSForm per role (for KoboToolbox or ODK) into OUT_DIR."""
    from readiness.definitions import get_definitions
    from readiness.services.xlsform import filename_for, xlsform_for

    found = get_definitions()
    versions = {v: q for (qid, v), q in found.questionnaires.items() if qid == questionnaire_id}
    q = versions.get(version) if version else (found.latest_questionnaire(questionnaire_id) if versions else None)
    if q is None:
        raise click.ClickException(f"no questionnaire {questionnaire_id} {version or ''}".strip())
    unknown = set(roles) - {r.id for r in q.roles}
    if unknown:
        raise click.ClickException(f"unknown role(s): {', '.join(sorted(unknown))}; roles are {', '.join(r.id for r in q.roles)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for role in roles or [r.id for r in q.roles]:
        path = out_dir / filename_for(q, role)
        path.write_bytes(xlsform_for(q, role))
        click.echo(str(path))


@assess.command("score")
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(Config.LANGUAGES), default="en", show_default=True)
def score_file(responses: Path, output: str, lang: str) -> None:
    """Score a responses file and print the result."""
    from readiness.domain.responses import MalformedResponses, decode_responses
    from readiness.services.scoring import ScoringInputError, render_text, score_document

    try:
        document = decode_responses(responses.read_bytes())
    except MalformedResponses as exc:
        raise click.ClickException(f"{responses}: {exc.problems[0]}") from None
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


def _refuse_production() -> None:
    from flask import current_app

    if current_app.config["READINESS_ENV"] == "production":
        # The demo creates an administrator whose password is printed in the public source.
        raise click.ClickException("demo data cannot be loaded in production (READINESS_ENV=production): "
                                   "its logins share a password published with the source code")


@demo.command("load")
@click.option("--delegations", default=6, show_default=True, help="How many delegations to create.")
@click.option("--assessments", default=12, show_default=True, help="How many assessments in all.")
@click.option("--seed", default=7, show_default=True, help="Random seed, so the demo is the same every time.")
@click.option("--followups", is_flag=True, help="Add decided rollouts with follow-ups after go-live (a planted outcome for calibration).")
def load_demo(delegations: int, assessments: int, seed: int, followups: bool) -> None:
    """Load demonstration delegations, assessments and logins (skipped if already loaded)."""
    from readiness.extensions import db
    from readiness.services.demo import DEMO_PASSWORD, load_demo_data

    _refuse_production()
    summary = load_demo_data(delegations=delegations, assessments=assessments, seed=seed, followups=followups)
    db.session.commit()
    click.echo(summary.describe())
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role in summary.logins:
        click.echo(f"  {email:<32} {role}")


@demo.command("big-assessment")
@click.option("--respondents", default=10_000, show_default=True, help="How many respondents answer it.")
@click.option("--dont-know", default=0.05, show_default=True, help="The share of answers that are \"don't know\".")
@click.option("--seed", default=7, show_default=True, help="Random seed for the answers.")
def big_assessment_command(respondents: int, dont_know: float, seed: int) -> None:
    """Add one collecting assessment with thousands of respondents to the demo (loaded first if needed)."""
    from readiness.extensions import db
    from readiness.services.demo import load_demo_data
    from readiness.services.demo_big import demo_owner, load_big_assessment

    _refuse_production()
    load_demo_data()
    owner, delegation = demo_owner()
    assessment_id = load_big_assessment(owner, delegation, respondents, dont_know, seed)
    db.session.commit()
    click.echo(f"Assessment {assessment_id} ({delegation.name}): {respondents} respondents, owned by {owner.email}.")


users = AppGroup("users", help="User accounts.")


@users.command("create")
@click.option("--email", required=True, help="Login email (one account per address).")
@click.option("--name", required=True, help="Full name, as shown in the app and the audit trail.")
@click.option("--role", required=True, type=click.Choice(["admin", "hq", "member", "committee", "chair"]), help="What the user may do.")
@click.option("--delegation", "delegation_names", multiple=True, metavar="NAME", help="A delegation the user belongs to (repeatable).")
@click.option("--password", help="Omit to be asked for it, hidden, twice (keeps it out of the shell history).")
def create_user_command(email: str, name: str, role: str, delegation_names: tuple[str, ...], password: str | None) -> None:
    """Create a user account."""
    import getpass

    from flask_babel import force_locale

    from readiness.extensions import db
    from readiness.models import Role
    from readiness.services import accounts

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Messages come from the services through gettext, which needs a locale outside a request too.
    with force_locale("en"):
        try:
            delegations = accounts.delegations_named(delegation_names)
            user, _temporary = accounts.create_user(
                f"command line ({getpass.getuser()})",
                email=email, name=name, role=Role(role), delegations=delegations, password=password,
            )
        except accounts.AccountError as error:
            raise click.ClickException(f"{error.field}: {error.message}") from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")
    if user.role is Role.MEMBER and not delegations:
        click.echo("Warning: a delegation member without a delegation sees nothing; add one with --delegation.", err=True)


@users.command("rekey-second-factor")
def rekey_second_factor_command() -> None:
    """Re-encrypt the second-factor secrets with the current key (after changing TOTP_ENCRYPTION_KEY)."""
    from flask import current_app

    from readiness.extensions import db
    from readiness.services import two_factor

    try:
        count = two_factor.rekey_secrets(current_app.config)
    except two_factor.encrypted.SecretUnreadable as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{count} second-factor secret(s) re-encrypted with the current key.")


@users.command("list")
def list_users_command() -> None:
    """List user accounts: email, role, status and delegations."""
    from readiness.services import accounts

    for user in accounts.find_users():
        status = "active" if user.is_active else "deactivated"
        if accounts.is_locked(user):
            status = "locked"
        delegations = ", ".join(d.name for d in user.delegations)
        click.echo(f"{user.email:<36} {user.role.value:<10} {status:<12} {user.name}" + (f"  [{delegations}]" if delegations else ""))


@users.command("reset-second-factor")
@click.argument("email")
def reset_second_factor_command(email: str) -> None:
    """Remove a lost second factor (e.g. the last administrator's); it is set up again at next login."""
    import getpass

    from sqlalchemy import select

    from readiness.extensions import db
    from readiness.models import User
    from readiness.services import two_factor

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    two_factor.reset(f"command line ({getpass.getuser()})", user)
    db.session.commit()
    click.echo(f"The second factor of {user.email} is reset; they set it up again at their next login.")


assets = AppGroup("assets", help="Static files.")


@assets.command("compress")
def compress_assets_command() -> None:
    """Write a .gz beside each static file worth compressing, for nginx's gzip_static (run at each deploy)."""
    from flask import current_app

    from readiness.web.assets import compress_static

    written = compress_static(str(current_app.static_folder))
    click.echo(f"{len(written)} compressed file(s) written under {current_app.static_folder}.")


def register_cli(app: Flask) -> None:
    from readiness.cli_collect import respondents
    from readiness.cli_ethics import ethics
    from readiness.cli_followups import followups
    from readiness.ops_cli import backup, data
    from readiness.translations_cli import translations

    for group in (questionnaires, assess, demo, users, backup, data, respondents, ethics, translations, assets, followups):
        app.cli.add_command(group)
