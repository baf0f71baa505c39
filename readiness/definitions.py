"""Load the definition files once per app; the app refuses to start on an invalid file."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from readiness.questionnaire.loader import DefinitionError, Definitions, load_directory

EXTENSION_KEY = "readiness.definitions"


class InvalidDefinitions(RuntimeError):
    """Raised by the app factory; its message lists every problem as ``file:line: ...``."""


def init_app(app: Flask) -> None:
    folder = app.config["QUESTIONNAIRE_DIR"]
    try:
        app.extensions[EXTENSION_KEY] = _load(folder, _signature(folder))
    except DefinitionError as exc:
        lines = "\n".join(f"  {problem}" for problem in exc.problems)
        raise InvalidDefinitions(f"Readiness cannot start: the definition files in {folder} have problems:\n{lines}") from None


def _signature(folder: str) -> tuple[tuple[str, int, int], ...]:
    """Each file's path, size and modification time: a changed file is read again."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(Path(folder).rglob("*.yaml")))


@lru_cache(maxsize=8)
def _load(folder: str, _signature: tuple[tuple[str, int, int], ...]) -> Definitions:
    # Several apps in one process (tests, workers) share one parse of the same files.
    return load_directory(folder)


def get_definitions() -> Definitions:
    return current_app.extensions[EXTENSION_KEY]
