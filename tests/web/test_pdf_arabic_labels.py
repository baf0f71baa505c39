"""Arabic labels inside the PDF's charts, and its headings, are shaped and drawn in reading order, like its paragraphs.

The charts are drawn string by string on the canvas, where ReportLab neither joins Arabic letters
nor reorders them: each label goes through the same helper as the paragraphs (``pdf_base.visual``).
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import arabic_reshaper
import pytest
from reportlab.platypus import SimpleDocTemplate

from readiness.definitions import get_definitions
from readiness.domain.explain import text
from readiness.i18n import gettext_in
from readiness.reports.pdf import render_pdf
from readiness.reports.pdf_labels import label
from readiness.reports.pdf_sections import charts
from readiness.reports.source import load_report

from .test_report_page import make_assessment

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")

ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")
PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


def charts_only(report) -> str:
    """The text of a PDF holding only the report's charts (no table or paragraph repeats their labels)."""
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([charts(report)])
    return subprocess.run(["pdftotext", "-", "-"], input=buffer.getvalue(), capture_output=True, check=True).stdout.decode()


def read_order(line: str) -> list[str]:
    """The Arabic words of a drawn line as pdftotext reads them back.

    A label is one string drawn left to right in visual order; pdftotext turns a run of
    right-to-left glyphs back into logical order, so a label drawn right reads back as written,
    while one drawn unshaped in logical order reads back letter-reversed.
    """
    return ARABIC_WORD.findall(unicodedata.normalize("NFKC", line))


def shaped(label: str) -> list[str]:
    """The words of ``label`` as the shaping helper writes them (it drops short vowels such as tanwin)."""
    return ARABIC_WORD.findall(unicodedata.normalize("NFKC", arabic_reshaper.reshape(label)))


def test_the_chart_labels_and_legends_of_an_arabic_pdf_are_shaped_and_read_right_to_left(app, db_session):
    assessment = make_assessment("perception-gap")
    page = charts_only(load_report(assessment, "ar"))
    q = get_definitions().questionnaire("readiness", "1.0")
    drawn = [read_order(line) for line in page.splitlines()]

    assert PRESENTATION_FORMS.search(page), "letters are not joined"
    # Each dimension's label above its bar, whole (at most 70 characters: these are shorter).
    for dimension in q.dimensions:
        label = text(dimension.label, "ar")
        assert len(label) <= 70 and shaped(label) in drawn, label
    # The legends, in the report's language: all roles, the go threshold, the floor, and each role heard.
    for legend in [gettext_in("ar", msgid) for msgid in ("All roles", "Go threshold", "Floor")] + [
            text(role.label, "ar") for role in q.roles if role.id in ("manager", "social_worker")]:
        assert shaped(legend) in drawn, legend


def test_an_english_pdf_draws_its_chart_labels_unchanged(app, db_session):
    page = charts_only(load_report(make_assessment("perception-gap"), "en"))
    assert "Go threshold" in page and "All roles" in page and not PRESENTATION_FORMS.search(page)


def test_the_headings_of_an_arabic_pdf_are_shaped_and_read_right_to_left(app, db_session):
    report = load_report(make_assessment("perception-gap"), "ar")
    pdf = render_pdf(report)
    lines = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().splitlines()
    # A paragraph's words are laid out from the right, each drawn on its own: pdftotext gives them left to right.
    read = [list(reversed(ARABIC_WORD.findall(unicodedata.normalize("NFKC", line)))) for line in lines]
    for key in ("recommendation", "first_things", "next_steps", "dimensions", "roles", "flags", "indicators",
                "robustness", "plan", "charter", "method"):
        assert shaped(label(key, "ar")) in read, key
