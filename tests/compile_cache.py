"""Compile URL rules and templates once per test process, not once per app.

Every test gets a fresh app (``create_app``). Werkzeug compiles two Python functions per URL rule
when a blueprint is registered, and each app's Jinja environment compiles every template it
renders again: together most of a short web test's CPU. Production compiles each once per process.

- A URL rule's builder depends only on the rule's text, its parsed parts and the names of its
  defaults, and takes the rule as its first argument, so one function serves every app's copy.
- Templates go through a shared in-memory bytecode cache; Jinja checks the source's checksum
  before using an entry, so an edited template is compiled again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule

_compile = Rule._compile_builder
_built: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _cached_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    defaults = self.defaults or {}
    if any(dynamic and part in defaults for dynamic, part in self._trace):
        return _compile(self, append_unknown)  # a default inside the rule is written in by its converter
    # What the builder is made of: the rule's parts (static text and variable names), the names of
    # its defaults (keyword arguments) and whether unknown arguments become a query string.
    key = (self.rule, tuple(self._trace), tuple(sorted(defaults)), append_unknown)
    if key not in _built:
        _built[key] = _compile(self, append_unknown)
    return _built[key]


class _Templates(BytecodeCache):
    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _Templates()
_create_environment = Flask.create_jinja_environment


def _environment_with_shared_templates(self: Flask) -> Any:
    environment = _create_environment(self)
    environment.bytecode_cache = _TEMPLATES
    return environment


def install() -> None:
    Rule._compile_builder = _cached_builder  # type: ignore[method-assign]
    Flask.create_jinja_environment = _environment_with_shared_templates  # type: ignore[method-assign]
