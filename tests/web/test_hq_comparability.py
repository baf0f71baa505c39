"""Only results on the same questionnaire version, or versions declared comparable, are compared."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from readiness import create_app
from readiness.extensions import db
from readiness.models import Role
from tests.conftest import delete_all_rows, settings_for

from .hq_factory import make_delegation, make_result

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The shipped definitions plus readiness 1.1 (declared comparable with 1.0) and 2.0 (not)."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(SHIPPED, folder)
    source = (folder / "readiness" / "1.0.yaml").read_text(encoding="utf-8")
    (folder / "readiness" / "1.1.yaml").write_text(
        source.replace("version: '1.0'\ncomparable_with: []", "version: '1.1'\ncomparable_with: ['1.0']"), encoding="utf-8"
    )
    (folder / "readiness" / "2.0.yaml").write_text(source.replace("version: '1.0'", "version: '2.0'"), encoding="utf-8")
    app = create_app(settings_for(database_url, tmp_path, QUESTIONNAIRE_DIR=str(folder)))
    yield app
    with app.app_context():
        delete_all_rows()
        db.session.remove()  # give the session's connection back, so dispose closes it now
        db.engine.dispose()


@pytest.fixture
def mixed(db_session):
    office = make_delegation("Goma office")
    first = make_result(office, days=0, version="1.0", scores={"ict": 40.0})
    second = make_result(office, days=200, version="1.1", scores={"ict": 55.0})
    third = make_result(office, days=400, version="2.0", scores={"ict": 70.0})
    other = make_result(make_delegation("Bukavu office"), days=50, version="1.0", scores={"ict": 20.0})
    db.session.commit()
    return {"office": office.id, "first": first.id, "second": second.id, "third": third.id, "other": other.id}


def test_comparing_incompatible_versions_is_refused_with_an_explanation(client, login_as, mixed):
    login_as(Role.HQ)

    response = client.get(f"/hq/compare?a={mixed['first']}&b={mixed['third']}")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "These results cannot be compared" in html
    assert "Questionnaire versions 1.0 and 2.0 ask different questions" in html
    assert "comparable_with" in html


def test_versions_declared_comparable_are_compared(client, login_as, mixed):
    login_as(Role.HQ)

    response = client.get(f"/hq/compare?a={mixed['first']}&b={mixed['second']}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'ICT infrastructure</th><td class="num">40</td><td class="num">55</td>\s*<td class="num up">\+15<', html)


def test_benchmark_pages_refuse_a_mix_of_versions_chosen_in_the_filters(client, login_as, mixed):
    login_as(Role.HQ)

    refused = client.get("/hq/heatmap?version=1.0&version=2.0")
    accepted = client.get("/hq/heatmap?version=1.0&version=1.1")

    assert refused.status_code == 400 and "Questionnaire versions 1.0 and 2.0" in refused.get_data(as_text=True)
    assert accepted.status_code == 200
    assert "Compared on questionnaire versions 1.0, 1.1, declared comparable." in accepted.get_data(as_text=True)


def test_by_default_benchmarks_use_the_latest_version_and_only_what_compares_with_it(client, login_as, mixed):
    login_as(Role.HQ)

    html = client.get("/hq/heatmap?order=name").get_data(as_text=True)

    # The latest version is 2.0, which nothing else compares with: only Goma's 2.0 result is shown.
    assert "Compared on questionnaire version 2.0." in html
    assert "Goma office" in html and "Bukavu office" not in html


def test_the_trend_explains_why_the_latest_change_is_not_computed(client, login_as, mixed):
    login_as(Role.HQ)

    html = client.get(f"/hq/delegations/{mixed['office']}/trend").get_data(as_text=True)

    assert "Questionnaire versions 1.1 and 2.0 ask different questions" in html
    assert "Flags resolved" not in html
