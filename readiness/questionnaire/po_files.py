"""Definition-file texts to PO files for a translator, and back into the YAML, line by line.

Export: every translated text of a definition file becomes one PO message, its ``msgctxt``
the text's path in the file (``items[cm_procedures].levels.2``), its ``msgid`` the English
and its ``msgstr`` the text in the target language. Import: each message's text is written
back into the YAML source in place of that language's value only, so comments, key order,
quoting and line breaks of everything else stay as they were (an unchanged text is left
untouched, byte for byte). A language the file does not have yet is added after the last
language of each text, and to ``languages``, as a draft.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .loader import Problem
from .yamlsource import LimitedLoader

SOURCE = "en"
_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
_SKIPPED = {"translations"}  # review statuses, not texts


def placeholders(text: str) -> list[str]:
    """:return: the ``{name}`` and ``%(name)s`` placeholders of ``text``, sorted."""
    return sorted(_PLACEHOLDER.findall(text))


@dataclass
class TextNode:
    """One translated text in a definition file: its path and its YAML mapping node."""

    context: str
    node: yaml.MappingNode

    def value(self, lang: str) -> str | None:
        scalar = self.scalar(lang)
        return None if scalar is None else str(scalar.value)

    def scalar(self, lang: str) -> yaml.ScalarNode | None:
        for key, value in self.node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == lang and isinstance(value, yaml.ScalarNode):
                return value
        return None


def text_nodes(source: str) -> list[TextNode]:
    """:return: every translated text (a mapping with an ``en`` string) in a definition file's source."""
    root = yaml.compose(source, Loader=LimitedLoader)
    return list(_walk(root, "")) if root is not None else []


def _walk(node: yaml.Node, path: str) -> Iterator[TextNode]:
    if isinstance(node, yaml.MappingNode):
        keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if isinstance(keys.get(SOURCE), yaml.ScalarNode) and all(isinstance(v, yaml.ScalarNode) for v in keys.values()):
            yield TextNode(path, node)
            return
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and not (path == "" and key.value in _SKIPPED):
                yield from _walk(value, f"{path}.{key.value}" if path else str(key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            yield from _walk(child, f"{path}[{_entry_name(child, index)}]")


def _entry_name(node: yaml.Node, index: int) -> str:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
                return str(value.value)
    return str(index)


def export_definition(path: Path, lang: str) -> Catalog:
    """:return: a PO catalogue of every text of the definition file at ``path``, in ``lang``."""
    source = path.read_text(encoding="utf-8")
    catalog = Catalog(locale=lang, project=path.parent.name, version=path.stem)
    for entry in text_nodes(source):
        catalog.add(entry.value(SOURCE) or "", entry.value(lang) or "", context=entry.context)
    return catalog


def write_catalog(catalog: Catalog, target: Path, width: int = 0) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, catalog, width=width, omit_header=False)


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def check_catalog(catalog: Catalog, name: str) -> list[Problem]:
    """:return: a located problem for each message that is not translated or changes placeholders."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
        where = message.context or ""
        if not any(s.strip() for s in strings) or "fuzzy" in message.flags:
            problems.append(Problem(name, message.lineno, where, f"not translated: {msgid[:60]!r}"))
            continue
        for string in strings:
            if placeholders(string) != placeholders(msgid):
                wanted, found = ", ".join(placeholders(msgid)) or "none", ", ".join(placeholders(string)) or "none"
                problems.append(Problem(name, message.lineno, where, f"placeholders differ: {wanted} in English, {found} here"))
    return problems


def import_definition(path: Path, catalog: Catalog, lang: str, name: str) -> list[Problem]:
    """Write ``lang``'s texts from ``catalog`` into the definition file at ``path``.

    :return: the problems found (nothing is written when there is one).
    """
    source = path.read_text(encoding="utf-8")
    entries = {entry.context: entry for entry in text_nodes(source)}
    problems = check_catalog(catalog, name)
    edits: list[tuple[int, int, str]] = []
    for message in catalog:
        if not message.id:
            continue
        entry = entries.get(message.context or "")
        if entry is None:
            problems.append(Problem(name, message.lineno, message.context or "", "no such text in the definition file"))
        elif entry.value(SOURCE) != message.id:
            problems.append(Problem(name, message.lineno, message.context or "",
                                    "the English text has changed since the export; export again"))
        elif entry.value(lang) != message.string:
            edits.append(_edit(source, entry, lang, str(message.string)))
    missing = set(entries) - {m.context for m in catalog if m.id}
    problems += [Problem(name, None, context, "text missing from the PO file") for context in sorted(missing)]
    if problems or not edits:
        return problems
    if lang not in yaml.load(source, Loader=LimitedLoader).get("languages", []):  # noqa: S506 - a SafeLoader
        edits.append(_declare(source, lang))
    for start, end, replacement in sorted(edits, reverse=True):
        source = source[:start] + replacement + source[end:]
    path.write_text(source, encoding="utf-8")
    return []


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _edit(source: str, entry: TextNode, lang: str, text: str) -> tuple[int, int, str]:
    scalar = entry.scalar(lang)
    if scalar is not None:
        return scalar.start_mark.index, scalar.end_mark.index, _quoted(text)
    last_key, last_value = entry.node.value[-1]
    end = last_value.end_mark.index
    if entry.node.flow_style:
        return end, end, f", {lang}: {_quoted(text)}"
    indent = " " * last_key.start_mark.column
    if source[end - 1:end] == "\n":  # a block scalar (| or >) ends at the start of the next line
        return end, end, f"{indent}{lang}: {_quoted(text)}\n"
    line_end = source.find("\n", end)
    line_end = len(source) if line_end < 0 else line_end
    return line_end, line_end, f"\n{indent}{lang}: {_quoted(text)}"


def _declare(source: str, lang: str) -> tuple[int, int, str]:
    root = yaml.compose(source, Loader=LimitedLoader)
    for key, value in (root.value if root is not None else []):
        if key.value == "languages" and isinstance(value, yaml.SequenceNode) and value.flow_style and value.value:
            end = value.value[-1].end_mark.index
            return end, end, f", {lang}"
    raise ValueError("'languages' must be a flow list such as [en, fr] to add a language")
