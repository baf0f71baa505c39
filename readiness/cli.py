"""Flask commands: thin clients of the services."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo = AppGroup("demo", help="Demonstration data.")


@demo.command("load")
def load_demo() -> None:
    """Load the demonstration delegations and assessments."""
    click.echo("demo data: pending")


def register_cli(app: Flask) -> None:
    app.cli.add_command(demo)
