"""Arabic in PDFs: letters joined, words in the order a reader reads them, lines from the right."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

from readiness.reports.pdf_base import Styles, document_language, plain

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")

SENTENCE = "تقرير الجاهزية لوفد العراق Primero north بدرجة 28.0 من أصل 100 وهذه جملة طويلة تلتف على أكثر من سطر"


ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def arabic_words(pdf: bytes, rtl: bool) -> list[str]:
    """The Arabic words of the PDF in logical order: pdftotext gives each line as drawn, left to right."""
    words = []
    for line in pdf_text(pdf).splitlines():
        found = ARABIC_WORD.findall(unicodedata.normalize("NFKC", line))
        words += list(reversed(found)) if rtl else found
    return words


def render(lang: str, text: str) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    with document_language(lang):
        s = Styles()
        SimpleDocTemplate(buffer).build([Paragraph(plain(text), s.body)])
    return buffer.getvalue()


def test_an_arabic_paragraph_is_shaped_and_reads_in_logical_order_over_several_lines():
    pdf = render("ar", SENTENCE)
    text = pdf_text(pdf)
    assert any("\ufe80" <= ch <= "\ufefc" for ch in text), "letters are not joined (presentation forms expected)"
    assert len([line for line in text.splitlines() if line.strip()]) >= 2, "the sentence should wrap"
    assert arabic_words(pdf, rtl=True) == ARABIC_WORD.findall(SENTENCE)
    assert "Primero north" in text and "28.0" in text and "100" in text  # Latin and numbers unbroken


def test_an_arabic_name_in_an_english_document_is_shaped_and_whole():
    pdf = render("en", "Delegation: وفد العراق (Baghdad)")
    text = pdf_text(pdf)
    assert text.startswith("Delegation: ") and "Baghdad" in text
    assert sorted(ARABIC_WORD.findall(unicodedata.normalize("NFKC", text))) == sorted(["وفد", "العراق"])
    assert "\ufedf" in text or any("\ufe80" <= ch <= "\ufefc" for ch in text)
