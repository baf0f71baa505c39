"""Hostile definition files get a located error, ``file:line: message``, with bounded work and no traceback.

The work is counted, not timed: every YAML node composed, constructed or indexed ticks a
meter that stops the test once it passes ``WORK_BUDGET``, so a limit taken out fails here
at once instead of running for a minute on a slow machine.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

from readiness.questionnaire import yamlsource
from readiness.questionnaire.loader import check_path
from readiness.questionnaire.yamlsource import MAX_DEPTH, MAX_NODES, LimitedLoader

from .test_loader import ANNOTATED, broken, line_of, only_problem

ALIAS_BOMB = """schema_version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


WORK_BUDGET = 10 * MAX_NODES  # nodes handled; a shipped file needs a few tens of thousands


class UnboundedWork(BaseException):
    """Raised by the meter; a BaseException, so no ``except Exception`` in the loader can swallow it."""


@contextmanager
def counted_work(budget: int = WORK_BUDGET) -> Iterator[list[int]]:
    """Count the YAML nodes the loader composes, constructs and indexes; :raise UnboundedWork: past ``budget``."""
    count = [0]

    def metered(original):
        def run(*args, **kwargs):
            count[0] += 1
            if count[0] > budget:
                raise UnboundedWork(f"more than {budget:,} nodes handled: a limit is not holding")
            return original(*args, **kwargs)
        return run

    with mock.patch.object(LimitedLoader, "compose_node", metered(LimitedLoader.compose_node)), \
            mock.patch.object(LimitedLoader, "construct_object", metered(LimitedLoader.construct_object)), \
            mock.patch.object(yamlsource, "_index", metered(yamlsource._index)):
        yield count


def _bounded_problem(path: Path) -> str:
    with counted_work():
        return only_problem(path)


def test_an_alias_bomb_is_refused_at_once_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB) < 700

    with counted_work() as work:
        message = only_problem(path)

    assert message.startswith(f"{path}:") and "aliases expand the document past 100,000 nodes" in message
    assert 3 <= int(message.split(":")[1]) <= 11
    assert work[0] < 1_000  # the 90-odd nodes written in the file, never the 43 million they expand to


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, opening: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("schema_version: 1\nkind: questionnaire\nitems: " + opening * 5000 + "\n", encoding="utf-8")

    with counted_work() as work:
        message = only_problem(path)

    assert message.startswith(f"{path}:3:") and "nested deeper than 40 levels" in message
    assert work[0] <= 3 * MAX_DEPTH  # a key and a value per level, stopped at the limit: not 5,000 levels


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("schema_version: 1\nkind: questionnaire\nid: café\n".encode("latin-1"))

    assert _bounded_problem(path) == f"{path}:3: the file is not UTF-8 (byte 0xe9); save it again as UTF-8"


def test_a_non_utf8_file_name_is_still_printable(tmp_path: Path) -> None:
    raw = str(tmp_path).encode() + b"/caf\xe9.yaml"
    path = Path(raw.decode("utf-8", "surrogateescape"))
    path.write_bytes(b"schema_version: 2\n")

    message = only_problem(path)

    message.encode("utf-8")  # printable: no lone surrogate left
    assert "caf\\udce9.yaml:1:" in message


def test_a_5000_digit_integer_is_refused_with_its_line(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    weight: 2 ", "    weight: " + "9" * 5000 + " ")

    message = _bounded_problem(path)

    assert message.startswith(f"{path}:{line_of(text, 'weight: 999')}:") and "integer with 5000 digits" in message


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1.0e+999"])
def test_infinite_numbers_are_refused_with_their_line(tmp_path: Path, value: str) -> None:
    path, text = broken(tmp_path, "    weight: 2 ", f"    weight: {value} ")

    message = _bounded_problem(path)

    assert message.startswith(f"{path}:{line_of(text, f'weight: {value}')}:") and "finite" in message


def test_a_control_character_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.yaml"
    path.write_text("schema_version: 1\nkind: questionnaire\nid: a\x01b\n", encoding="utf-8")

    assert _bounded_problem(path) == f"{path}:3: character #x0001 is not allowed in YAML"


def test_the_shipped_and_annotated_files_are_within_the_limits() -> None:
    assert check_path(Path(__file__).resolve().parents[2] / "questionnaires") == []
    assert ANNOTATED
