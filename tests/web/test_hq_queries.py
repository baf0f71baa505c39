"""Headquarters pages issue a fixed number of queries, whatever the size of the portfolio."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import event

from readiness.extensions import db
from readiness.models import Role
from readiness.services.api_tokens import issue_token

from .hq_factory import make_portfolio

PAGES = [
    "/hq/",
    "/hq/?region=Europe&sort=score&desc=1",
    "/hq/heatmap",
    "/hq/distribution",
    "/hq/flags",
    "/hq/delegations/{first}/peers",
    "/hq/delegations/{first}/trend",
    "/hq/export.csv",
    "/hq/export.xlsx",
]
API = ["/api/v1/portfolio", "/api/v1/results", "/api/v1/benchmark", "/api/v1/delegations/{first}/trend"]


@pytest.fixture
def count_queries(app) -> Callable[[Callable[[], object]], int]:
    def count(action: Callable[[], object]) -> int:
        seen: list[str] = []

        def listener(_conn, _cursor, statement, *_args) -> None:
            seen.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            action()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    return count


def queries_per_page(client, count_queries, first: int, headers: dict | None = None, urls=PAGES) -> dict[str, int]:
    counts = {}
    for url in urls:
        target = url.format(first=first)
        client.get(target, headers=headers)  # warm up: caches that fill once are not what we measure
        # Requests share the test's app context, hence its session: start each from an empty one,
        # as a real request does, so what the identity map happens to hold does not count.
        db.session.remove()
        counts[url] = count_queries(lambda: _ok(client.get(target, headers=headers)))
    return counts


def _ok(response) -> None:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


@pytest.fixture
def grow(db_session) -> Iterator[Callable[[int], int]]:
    def add(count: int) -> int:
        return make_portfolio(count)[0].id

    yield add


def test_hq_pages_do_not_issue_more_queries_for_more_delegations(client, login_as, grow, count_queries):
    login_as(Role.HQ)
    first = grow(3)
    small = queries_per_page(client, count_queries, first)

    grow(27)  # 30 delegations, 60 assessments
    large = queries_per_page(client, count_queries, first)

    assert large == small
    assert max(small.values()) <= 12, small


def test_api_endpoints_do_not_issue_more_queries_for_more_delegations(client, app, grow, count_queries, make_user):
    user = make_user(role=Role.HQ)
    with app.app_context():
        _token, plain = issue_token(db.session.merge(user), "bench")
        db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    first = grow(3)
    small = queries_per_page(client, count_queries, first, headers, API)

    grow(27)
    large = queries_per_page(client, count_queries, first, headers, API)

    assert large == small
