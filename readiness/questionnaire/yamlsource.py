"""Read YAML safely and remember the line of every key, so errors can point at it.

The loader also has limits, so a hostile or broken file gives a located error quickly instead
of exhausting memory or the stack: aliases may not expand the document past ``MAX_NODES``
nodes (the "billion laughs"), nesting stops at ``MAX_DEPTH``, integers at ``MAX_INT_DIGITS``
digits, and numbers must be finite (``.inf`` and ``.nan`` would make scores meaningless).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.composer import ComposerError

Path = tuple[Any, ...]

_INT_TAG = "tag:yaml.org,2002:int"

MAX_NODES = 100_000  # the shipped questionnaire has about 6,000
MAX_DEPTH = 40
MAX_INT_DIGITS = 15
MAX_ALIASES = 1_000


class LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with bounds on nesting, aliases, integer size and infinite numbers."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ComposerError(None, None, f"more than {MAX_ALIASES} aliases", self.peek_event().start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise ConstructorError(None, None, f"an integer with {digits} digits (at most {MAX_INT_DIGITS})", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise ConstructorError(None, None, f"numbers must be finite, not {node.value}", node.start_mark)
        return value


LimitedLoader.add_constructor("tag:yaml.org,2002:int", LimitedLoader.construct_yaml_int)
LimitedLoader.add_constructor("tag:yaml.org,2002:float", LimitedLoader.construct_yaml_float)


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
        root = yaml.compose(text, Loader=LimitedLoader)
        lines: dict[Path, int] = {}
        duplicates: list[YamlProblem] = []
        if root is not None:
            _check_expanded_size(root)
            _index(root, (), lines, duplicates)
        data = yaml.load(text, Loader=LimitedLoader)  # noqa: S506 - a SafeLoader: it refuses object tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        raise YamlProblem(_plain(problem), line) from None
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(f"character #x{exc.character:04x} is not allowed in YAML", _line_at(text, exc.position)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", None) from None
    if duplicates:
        first = duplicates[0]
        raise YamlProblem(first.message, first.line, first.path, data)
    return Located(data, lines)


def _check_expanded_size(root: yaml.Node) -> None:
    """Count the nodes the document has once every alias is expanded, without expanding it.

    :raise YamlProblem: past ``MAX_NODES``, at the line of the node that crosses the bound.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                message = f"aliases expand the document past {MAX_NODES:,} nodes"
                raise YamlProblem(message, child.start_mark.line + 1)
        sizes[id(node)] = total
        return total

    size(root)


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


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
