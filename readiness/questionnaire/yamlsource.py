"""Read YAML safely and remember the line of every key, so errors can point at it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

Path = tuple[Any, ...]

_INT_TAG = "tag:yaml.org,2002:int"


@dataclass(frozen=True)
class Located:
    """Parsed YAML data with a map from each key path to its 1-based line."""

    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int | None:
        """:return: the line of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None, path: Path = (), data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path
        self.data = data


def read_yaml(text: str) -> Located:
    """Parse ``text`` with the safe loader and index the lines of its keys.

    :raise YamlProblem: on invalid YAML, a duplicate key, or a tag that would build an object.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        lines: dict[Path, int] = {}
        duplicates: list[YamlProblem] = []
        if root is not None:
            _index(root, (), lines, duplicates)
        data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader refuses object tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        raise YamlProblem(_plain(problem), line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", None) from None
    if duplicates:
        first = duplicates[0]
        raise YamlProblem(first.message, first.line, first.path, data)
    return Located(data, lines)


def _plain(problem: str) -> str:
    if "could not determine a constructor" in problem:
        return f"YAML tags that build objects are not allowed ({problem.split('tag', 1)[-1].strip()})"
    return problem


def _index(node: yaml.Node, path: Path, lines: dict[Path, int], duplicates: list[YamlProblem]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _key(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(YamlProblem(f"duplicate key '{key}' (first on line {seen[key]})", line, path))
            seen[key] = line
            _index(value_node, path + (key,), lines, duplicates)
            lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _index(child, path + (index,), lines, duplicates)


def _key(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _INT_TAG:
            try:
                return int(node.value)
            except ValueError:
                return node.value
        return node.value
    return repr(node.value)
