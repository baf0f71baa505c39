"""No 500 from input, anywhere: hostile values in every form field and query parameter of every route, as every identity.

Built on the permission matrix: each row's URL, each actor. The field names come from the forms
the pages really show (crawled once), the row's own data and a few parameters every page could
get. Values are drawn by hypothesis, derandomised so CI runs the same examples every time:
NUL, control and bidi characters, superscript digits, huge and non-numeric numbers, text past
every limit, off-site redirect targets, repeated keys (lists where one value is expected).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.extensions import db

from ..budget import FULL
from ..conftest import delete_all_rows
from .test_permissions import ACTORS, MATRIX, PASS, REDIRECT, build_world, client_for, shared_app  # noqa: F401
from ..helpers import csrf_token_in

HOSTILE = [
    "\x00", "a\x00b", "\x00" * 3 + "@example.org", "\x1b[31m", "\x7f\x85", "\u202eevil\u202c", "\u2066\u2069\u2069", "²", "١٢",
    "9" * 5000, "-1", "0", "1e999", "nan", "inf", "-inf", "3,5", "99999999999999999999", "", " ", "\r\n",
    "/\t/evil.example/", "//evil.example", "https://evil.example", "javascript:alert(1)", "<script>x</script>",
    "' OR 1=1 --", "%00", "2026-13-45", "9999-12-31", "0000-00-00", "x" * 2001, "y" * 10_001, "dont_know", "not_applicable",
    "true", "on", "[]", "{}", "None",
]
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.sampled_from("a1 \x00\x01\t\n\u202e\u2067\u00b2é-=@+."), max_size=12),
    st.lists(st.sampled_from(HOSTILE[:12]), min_size=2, max_size=3),  # a key sent several times
)
GENERIC = ("next", "lang", "q", "page", "sort", "version_id", "format")
# READINESS_FUZZ=full (CI's SQLite pass, `make fuzz`): three examples where the view really runs, one for
# every actor refused anyway. The default, for `make test`: one example where the view runs, and of
# the actors refused, only the first (a refusal happens before any input is read, the same for all).
EXAMPLES_WITH_FIELDS, EXAMPLES_WITHOUT, EXAMPLES_DENIED = (3, 1, 1) if FULL else (1, 1, 1)
# The order in which to pick who crawls a page: the actor who sees the most forms on it.
CRAWLERS = ("respondent_link", "chair", "committee", "delegation_member", "admin", "hq", "other_delegation_member", "anonymous")
DOCUMENTS = re.compile(r"pdf|export|csv|json|vendor|static")

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1).replace("&amp;", "&") if found else ""


@pytest.fixture(scope="module")
def fuzz_world(shared_app: Flask) -> Iterator[tuple[Flask, SimpleNamespace, dict[str, set[str]]]]:  # noqa: F811
    with shared_app.app_context():
        delete_all_rows()
        world = build_world()
        db.session.remove()
    yield shared_app, world, _crawl_forms(shared_app, world)


def _crawl_forms(app: Flask, world: SimpleNamespace) -> dict[str, set[str]]:
    """:return: for every path a form on any page sends to, the names of its fields."""
    fields: dict[str, set[str]] = {}
    for key, r in MATRIX.items():
        crawler = next((actor for actor in CRAWLERS if r.expected[actor] == 200), None)
        if r.method != "GET" or crawler is None or DOCUMENTS.search(key):
            continue
        url = r.url(world, crawler)
        response = client_for(app, world, crawler).get(url)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        response.close()
        for attributes, body in FORM.findall(html):
            target = urlsplit(_attribute(attributes, "action") or url).path
            fields.setdefault(target, set()).update(n for n in NAME.findall(body) if n != "csrf_token")
    return fields


def _allowed(expected: Any) -> bool:
    return expected in (200, REDIRECT, PASS)


ROWS = [pytest.param(key, id=key) for key in MATRIX if not key.startswith(("static", "vendor."))]


@pytest.mark.parametrize("key", ROWS)
def test_no_input_gives_a_500(fuzz_world: tuple[Flask, SimpleNamespace, dict[str, set[str]]], key: str) -> None:
    app, world, forms = fuzz_world
    r = MATRIX[key]
    denied = [actor for actor in ACTORS if not _allowed(r.expected[actor])]
    for actor in ACTORS if FULL else [a for a in ACTORS if _allowed(r.expected[a])] + denied[:1]:
        url = r.url(world, actor)
        path, query = urlsplit(url).path, urlsplit(url).query
        fields = set(r.data) | forms.get(path, set())
        names = sorted(fields | set(GENERIC))
        methods = [r.method] if r.method != "GET" or not forms.get(path) else ["GET", "POST"]
        examples = (EXAMPLES_WITH_FIELDS if fields else EXAMPLES_WITHOUT) if _allowed(r.expected[actor]) else EXAMPLES_DENIED
        client = client_for(app, world, actor)
        for method in methods:
            _fuzz(client, method, path, dict(parse_qsl(query)), names, examples)


def _fuzz(client: Any, method: str, path: str, query: dict[str, str], names: list[str], examples: int) -> None:
    # follow_redirects: an earlier row may have reset this actor's password (forced change page)
    token = csrf_token_in(client.get("/", follow_redirects=True).get_data(as_text=True)) if method == "POST" else ""

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({name: VALUE for name in names}))
    def send(values: dict[str, Any]) -> None:
        if method == "GET":
            response = client.get(path, query_string={**query, **values})
        else:
            response = client.post(path, query_string=query, data={**values, "csrf_token": token})
        body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
        response.close()
        assert response.status_code < 500, f"{method} {path} {values!r}: {response.status_code}"
        assert "Traceback" not in body

    send()
