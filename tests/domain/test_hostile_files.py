"""Archives are sniffed within a fixed budget: a zip bomb is refused without being inflated.

The work is measured, not timed: the bytes inflated out of the archive are counted, and the
count must stay within the sniffer's budget, however large the member claims or turns out to be.
"""
from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest

from readiness.domain.collection import _SNIFF_BUDGET, EvidenceProblem, check_evidence

ODT = b"application/vnd.oasis.opendocument.text"


@contextmanager
def inflated_bytes() -> Iterator[list[int]]:
    """Count the bytes read out of any archive member while the block runs."""
    total = [0]
    original = zipfile.ZipExtFile.read

    def counted(self, n=-1):
        data = original(self, n)
        total[0] += len(data)
        return data

    with mock.patch.object(zipfile.ZipExtFile, "read", counted):
        yield total


def _bomb(member: str, megabytes: int, extra: dict[str, bytes] | None = None) -> bytes:
    """A small archive whose ``member`` inflates to ``megabytes`` of zeros (written in chunks, never held whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as out:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                out.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "member", "extra"), [
    ("budget.xlsx", "mimetype", {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
    ("note.odt", "mimetype", {}),
    ("plan.docx", "word/document.xml", {"[Content_Types].xml": b"<x/>"}),
])
def test_a_zip_bomb_is_refused_without_inflating_it(filename: str, member: str, extra: dict[str, bytes]) -> None:
    data = _bomb(member, 300, extra)
    assert len(data) < 1024 * 1024  # under a megabyte on the wire

    tracemalloc.start()
    with inflated_bytes() as inflated:
        check = check_evidence(filename, data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert check.problem is EvidenceProblem.ARCHIVE
    assert peak < 4 * len(data) + 1024 * 1024  # nothing inflated beyond a fixed budget
    assert inflated[0] <= _SNIFF_BUDGET  # a kilobyte at most of the 300 MB, whatever the member says


def test_a_mimetype_member_that_lies_about_its_size_is_read_only_within_budget() -> None:
    """The central directory may understate a member's size: the read itself is bounded too."""
    honest = _bomb("mimetype", 50)
    lying = honest.replace((50 * 1024 * 1024).to_bytes(8, "little"), len(ODT).to_bytes(8, "little"))

    tracemalloc.start()
    with inflated_bytes() as inflated:
        check = check_evidence("note.odt", lying)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert check.problem is not None
    assert peak < 4 * len(lying) + 1024 * 1024
    assert inflated[0] <= _SNIFF_BUDGET


def test_many_members_are_refused_as_an_archive_problem() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("xl/workbook.xml", b"<w/>")
        for n in range(20_001):
            archive.writestr(f"x/{n}", b"")

    assert check_evidence("budget.xlsx", buffer.getvalue()).problem is EvidenceProblem.ARCHIVE


def test_a_real_office_file_still_passes() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", b"<office:document-content/>" * 1000)

    assert check_evidence("note.odt", buffer.getvalue()).problem is None
