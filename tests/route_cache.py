"""Build each URL rule's builder once per test process, not once per app.

Every test gets a fresh app (``create_app``), and werkzeug compiles two Python functions per URL
rule when a blueprint is registered: about 0.5 s an app for our hundred-odd routes, most of the
suite's CPU. The compiled builder depends only on the rule's text, its parsed parts, its defaults
and its converters, and takes the rule as its first argument, so the same function serves every
app's copy of the rule. The cache is keyed on all of those; an app still gets its own rules.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def install() -> None:
    Rule._compile_builder = _cached_builder  # type: ignore[method-assign]
