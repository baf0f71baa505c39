"""Load the definition files once per app; the app refuses to start on an invalid file."""
from __future__ import annotations

from flask import Flask, current_app

from readiness.questionnaire.loader import DefinitionError, Definitions, load_directory

EXTENSION_KEY = "readiness.definitions"


class InvalidDefinitions(RuntimeError):
    """Raised by the app factory; its message lists every problem as ``file:line: ...``."""


def init_app(app: Flask) -> None:
    folder = app.config["QUESTIONNAIRE_DIR"]
    try:
        app.extensions[EXTENSION_KEY] = load_directory(folder)
    except DefinitionError as exc:
        lines = "\n".join(f"  {problem}" for problem in exc.problems)
        raise InvalidDefinitions(f"Readiness cannot start: the definition files in {folder} have problems:\n{lines}") from None


def get_definitions() -> Definitions:
    return current_app.extensions[EXTENSION_KEY]
