"""Load definition files into frozen objects, or say exactly what is wrong and where."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks import Finding, check_charter, check_questionnaire, check_screening
from .schema import SCHEMA_VERSION, Charter, Questionnaire, ScreeningPolicy
from .yamlsource import Located, YamlProblem, read_yaml

Definition = Questionnaire | Charter | ScreeningPolicy
# Each kind of file: the model it validates into, and the cross-field checks run after.
_KINDS: dict[str, tuple[type[Definition], Callable[[Any], Iterator[Finding]]]] = {
    "questionnaire": (Questionnaire, check_questionnaire),
    "charter": (Charter, check_charter),
    "screening": (ScreeningPolicy, check_screening),
}
_SECTION_NAMES = {
    "roles": "role",
    "dimensions": "dimension",
    "items": "item",
    "inputs": "input",
    "indicators": "indicator",
    "decision_rules": "rule",
    "themes": "theme",
    "triggers": "trigger",
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Definitions:
    """Every questionnaire and charter the app knows, keyed by ``(id, version)``."""

    questionnaires: dict[tuple[str, str], Questionnaire] = field(default_factory=dict)
    charters: dict[tuple[str, str], Charter] = field(default_factory=dict)
    screenings: dict[tuple[str, str], ScreeningPolicy] = field(default_factory=dict)

    def questionnaire(self, qid: str, version: str) -> Questionnaire:
        return self.questionnaires[(qid, version)]

    def charter(self, cid: str, version: str) -> Charter:
        return self.charters[(cid, version)]

    def latest_questionnaire(self, qid: str | None = None) -> Questionnaire:
        return _latest(q for q in self.questionnaires.values() if qid is None or q.id == qid)

    def latest_charter(self, cid: str | None = None) -> Charter:
        return _latest(c for c in self.charters.values() if cid is None or c.id == cid)

    def latest_screening(self) -> ScreeningPolicy:
        return _latest(self.screenings.values())


def _latest(candidates: Iterable[Definition]) -> Any:
    ordered = sorted(candidates, key=lambda d: (d.id, version_key(d.version)))
    if not ordered:
        raise LookupError("no definition loaded")
    return ordered[-1]


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def load_file(path: Path | str, display: str | None = None) -> Definition:
    """Read one definition file.

    :param path: the YAML file.
    :param display: how to name the file in errors (defaults to the path as given).
    :return: a validated, frozen questionnaire or charter.
    :raise DefinitionError: listing every problem with its file and line.
    """
    path = Path(path)
    name = shown(display or str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DefinitionError([Problem(name, None, "", f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it again as UTF-8"
        raise DefinitionError([Problem(name, line, "", message)]) from None
    try:
        located = read_yaml(text)
    except YamlProblem as exc:
        raise DefinitionError([Problem(name, exc.line, _where(exc.data, exc.path), exc.message)]) from None
    return _build(located, name)


def _build(located: Located, name: str) -> Definition:
    data = located.data
    if not isinstance(data, dict):
        raise DefinitionError([Problem(name, 1, "", "the file must be a mapping of keys to values")])
    if data.get("schema_version") != SCHEMA_VERSION:
        line = located.line_of(("schema_version",))
        found = data.get("schema_version", "nothing")
        message = f"unsupported schema_version {found!r}; this version of Readiness reads {SCHEMA_VERSION}"
        raise DefinitionError([Problem(name, line, "", message)])
    if data.get("kind") not in _KINDS:
        line = located.line_of(("kind",))
        raise DefinitionError([Problem(name, line, "", f"kind must be one of {', '.join(_KINDS)}")])
    model, checker = _KINDS[data["kind"]]
    try:
        definition = model.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_validation_problems(exc, located, name)) from None
    findings = list(checker(definition))
    if findings:
        raise DefinitionError([_problem(located, name, path, message) for path, message in findings])
    return definition


def _validation_problems(exc: ValidationError, located: Located, name: str) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        path = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("[")))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown key '{path[-1]}'"
        elif error["type"] == "missing":
            message = f"missing key '{path[-1]}'"
        else:
            message = f"{path[-1] if path else 'value'}: {message}"
        problems.append(_problem(located, name, path, message))
    return problems


def _problem(located: Located, name: str, path: tuple[Any, ...], message: str) -> Problem:
    return Problem(name, located.line_of(path), _where(located.data, path), message)


def _where(data: Any, path: tuple[Any, ...]) -> str:
    """Name the innermost entry with an id on ``path``: "item cm_procedures", "rule ready"."""
    label = ""
    node = data
    for depth, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        section = path[depth - 1] if depth else None
        if isinstance(part, int) and section in _SECTION_NAMES and isinstance(node, dict):
            label = f"{_SECTION_NAMES[section]} {node.get('id', f'#{part + 1}')}"
    return label or (str(path[0]) if len(path) > 1 else "")


def shown(name: str) -> str:
    """A file name that can be printed even when it is not valid UTF-8 (undecodable bytes as escapes)."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def load_directory(root: Path | str) -> Definitions:
    """Load every ``*.yaml`` under ``root`` (``<id>/<version>.yaml``).

    :raise DefinitionError: with the problems of every file, so one run shows them all.
    """
    root = Path(root)
    found: dict[type, dict[tuple[str, str], Any]] = {model: {} for model, _ in _KINDS.values()}
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.yaml")):
        display = shown(str(path))
        try:
            definition = load_file(path, display)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_check_placement(definition, path, display))
        target = found[type(definition)]
        if definition.key in target:
            problems.append(Problem(display, 1, "", f"{definition.id} {definition.version} is defined twice"))
        target[definition.key] = definition
    if problems:
        raise DefinitionError(problems)
    if not found[Questionnaire]:
        raise DefinitionError([Problem(str(root), None, "", "no questionnaire definition found")])
    return Definitions(found[Questionnaire], found[Charter], found[ScreeningPolicy])


def _check_placement(definition: Definition, path: Path, display: str) -> list[Problem]:
    expected = (definition.id, definition.version)
    if (path.parent.name, path.stem) != expected:
        message = f"file should be named {definition.id}/{definition.version}.yaml to match its id and version"
        return [Problem(display, 1, "", message)]
    return []


def check_path(path: Path | str) -> list[Problem]:
    """:return: every problem in a file or a folder of definition files (empty when all is well)."""
    path = Path(path)
    try:
        if path.is_dir():
            load_directory(path)
        else:
            load_file(path)
    except DefinitionError as exc:
        return exc.problems
    return []

