"""The start page, the method page and the language switch, through the test client."""
from __future__ import annotations

import re
import shutil

import pytest
from markupsafe import escape

from readiness.config import REPO_ROOT
from readiness.definitions import InvalidDefinitions, get_definitions


from ..helpers import csrf_token_in as csrf_token


def test_start_page_lists_loaded_definitions_with_counts(app, client):
    page = client.get("/").get_data(as_text=True)
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
        charter = get_definitions().latest_charter()
    assert f"version {q.version}" in page
    for dim in q.dimensions:
        assert dim.label["en"] in page
        count = len(q.items_in(dim.id))
        assert re.search(rf"{re.escape(dim.label['en'])}</th><td class=\"num\">{count}</td>", page)
    assert f"{len(charter.items)} commitments in {len(charter.themes)} themes" in page
    assert "may answer anonymously" in page


def test_method_page_is_generated_from_the_definition(app, client):
    page = client.get("/method").get_data(as_text=True)
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
    for rule in q.decision_rules:
        assert f"({rule.id})" in page
        assert rule.text["en"].replace("'", "&#39;") in page
    for item in (i for i in q.items if i.critical):
        assert item.text["en"].replace("'", "&#39;") in page
    for indicator in q.indicators:
        for band in indicator.bands:
            assert escape(band.source["en"]) in page
    assert f"more than {q.flag_rules.perception_gap:.0f} points" in page


def test_method_page_for_unknown_version_is_404(client):
    assert client.get("/method/readiness/99.0").status_code == 404


def test_language_switch_shows_french(client):
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"lang": "fr", "next": "/method", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/method"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Besoins et pertinence" in page or "Besoins" in page


def test_language_switch_refuses_unknown_language_and_foreign_redirects(client):
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/language", data={"lang": "xx", "csrf_token": token}).status_code == 400
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_app_refuses_to_start_on_an_invalid_definition(tmp_path, database_url, make_app):
    folder = tmp_path / "questionnaires"
    shutil.copytree(REPO_ROOT / "questionnaires", folder)
    broken = folder / "readiness" / "1.0.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("schema_version: 1", "schema_version: 1\nsurprise: true", 1), encoding="utf-8")
    with pytest.raises(InvalidDefinitions) as caught:
        make_app(database_url, QUESTIONNAIRE_DIR=str(folder))
    line = next(n for n, row in enumerate(broken.read_text().splitlines(), 1) if row == "surprise: true")
    assert f"{broken}:{line}: unknown key 'surprise'" in str(caught.value)


@pytest.mark.parametrize("lang", ["fr", "es", "ar"])
def test_method_page_shows_band_sources_in_the_readers_language(app, client, lang):
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/language", data={"lang": lang, "next": "/method", "csrf_token": token})
    page = client.get("/method").get_data(as_text=True)
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
    sources = [band.source for indicator in q.indicators for band in indicator.bands]
    assert len(sources) == 30
    for source in sources:
        assert escape(source[lang]) in page and escape(source["en"]) not in page
