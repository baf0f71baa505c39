"""Tokens, progress, edit conflicts and evidence checks, without the app."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from readiness.domain.collection import (
    FINISH_PAGE,
    AnswerState,
    Change,
    EvidenceProblem,
    TokenStatus,
    check_evidence,
    classify_change,
    display_filename,
    hash_token,
    is_http_link,
    looks_like_token,
    neighbour,
    pages_for_role,
    progress,
    resume_page,
    token_status,
)
from readiness.questionnaire.loader import load_directory

from .conftest import ROOT

NOW = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def real_q():
    return load_directory(str(ROOT / "questionnaires")).latest_questionnaire("readiness")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_token_is_stored_as_its_sha256_and_odd_shapes_are_refused():
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert looks_like_token("A" * 43)
    assert not looks_like_token("short")
    assert not looks_like_token("A" * 42 + "/")


@pytest.mark.parametrize(
    ("expires", "revoked", "status"),
    [
        (NOW + timedelta(days=1), None, TokenStatus.VALID),
        (NOW - timedelta(seconds=1), None, TokenStatus.EXPIRED),
        (NOW + timedelta(days=1), NOW - timedelta(hours=1), TokenStatus.REVOKED),
        (NOW - timedelta(days=1), NOW - timedelta(hours=1), TokenStatus.REVOKED),
    ],
)
def test_token_status(expires, revoked, status):
    assert token_status(expires, revoked, NOW) is status


def test_pages_follow_the_file_and_skip_dimensions_without_items_for_the_role(real_q):
    pages = pages_for_role(real_q, "it_admin")
    assert not any(i.dimension == "staff" for i in real_q.items_for_role("it_admin"))
    assert pages == ["needs", "system", "ict-1", "ict-2", "organisation"]  # no staff page; ICT in two parts
    assert neighbour(pages, pages[0], -1) is None
    assert neighbour(pages, pages[0], 1) == pages[1]
    assert neighbour(pages, pages[-1], 1) is None


def test_progress_counts_only_the_roles_items(real_q):
    questionnaire = real_q
    role_items = [i.id for i in questionnaire.items_for_role("social_worker")]
    other = next(i.id for i in questionnaire.items if "social_worker" not in i.roles)
    pages = pages_for_role(questionnaire, "social_worker")
    result = progress(questionnaire, "social_worker", {role_items[0], role_items[1], other}, pages[1])
    assert (result.page_number, result.page_count) == (2, len(pages))
    assert (result.answered, result.total) == (2, len(role_items))


def test_resume_goes_back_to_the_last_saved_page_or_the_first():
    pages = ["needs", "system", "ict"]
    assert resume_page(pages, None) == "needs"
    assert resume_page(pages, "ict") == "ict"
    assert resume_page(pages, FINISH_PAGE) == FINISH_PAGE
    assert resume_page(pages, "a_dimension_of_an_older_version") == "needs"


def test_dont_know_counts_as_answered_and_crlf_is_no_change():
    assert AnswerState(special="dont_know").answered
    assert not AnswerState(comment="only a comment").answered
    assert AnswerState(3, comment="a\r\nb").digest() == AnswerState(3.0, comment="a\nb ").digest()


def test_classify_change():
    shown = AnswerState(2)
    theirs = AnswerState(4)
    mine = AnswerState(1)
    # left as shown: never overwrites what someone else saved meanwhile
    assert classify_change(shown, shown.digest(), theirs, stale=True) is Change.UNCHANGED
    assert classify_change(mine, shown.digest(), shown, stale=False) is Change.SAVE
    assert classify_change(mine, shown.digest(), theirs, stale=True) is Change.CONFLICT
    # without a version counter, a changed fingerprint alone reveals the other save
    assert classify_change(mine, shown.digest(), theirs, stale=False) is Change.CONFLICT
    assert classify_change(theirs, shown.digest(), theirs, stale=True) is Change.SAME_AS_SAVED


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "pdf"),
        ("photo.JPEG", b"\xff\xd8\xff\xe0rest", "jpg"),
        ("scan.png", b"\x89PNG\r\n\x1a\nrest", "png"),
        ("plan.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "docx"),
        ("budget.xlsx", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), "xlsx"),
        ("note.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odt"),
    ],
)
def test_allowed_evidence_is_accepted_by_extension_and_content(name, data, kind):
    check = check_evidence(name, data)
    assert (check.kind, check.problem) == (kind, None)
    assert check.content_type


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.pdf", b"", EvidenceProblem.EMPTY),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), EvidenceProblem.TOO_LARGE),
        ("run.exe", b"MZ\x90\x00", EvidenceProblem.EXTENSION),
        ("page.html", b"<html>", EvidenceProblem.EXTENSION),
        ("noextension", b"%PDF-1.4", EvidenceProblem.EXTENSION),
        ("fake.pdf", b"<script>alert(1)</script>", EvidenceProblem.CONTENT),
        ("image.png", b"%PDF-1.4", EvidenceProblem.CONTENT),
        ("plan.docx", _zip({"xl/workbook.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}), EvidenceProblem.CONTENT),
        ("broken.docx", b"PK\x03\x04not really a zip", EvidenceProblem.CONTENT),
    ],
)
def test_other_files_are_refused_with_a_reason(name, data, problem):
    assert check_evidence(name, data).problem is problem


def test_display_filename_drops_paths_and_control_characters():
    assert display_filename("C:\\Users\\ana\\..\\secret.pdf") == "secret.pdf"
    assert display_filename("../../etc/passwd\x00.pdf") == "passwd.pdf"


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://example.org/policy.pdf", True),
        ("http://intranet.local/doc", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/x", False),
        ("https://", False),
        ("example.org", False),
    ],
)
def test_only_http_links_are_evidence(link, ok):
    assert is_http_link(link) is ok


def test_long_dimensions_are_split_and_single_questions_joined(real_q):
    from readiness.domain.collection import MAX_PER_PAGE, MIN_PER_PAGE, role_pages

    q = real_q
    for role in q.roles:
        pages = role_pages(q, role.id)
        sizes = [len(p.item_ids) for p in pages]
        assert all(MIN_PER_PAGE <= size <= MAX_PER_PAGE for size in sizes), (role.id, sizes)
        # every question once, in the file's order
        assert [i for p in pages for i in p.item_ids] == [i.id for i in q.items_for_role(role.id)]
    it = {p.id: len(p.item_ids) for p in role_pages(q, "it_admin")}
    assert it["ict-1"] == 6 and it["ict-2"] == 6  # 12 IT questions: two pages of 6, never one of 12
    partner = [p.id for p in role_pages(q, "partner")]
    assert partner[0] == "needs+system"  # the partner's single "needs" question joins the next dimension
