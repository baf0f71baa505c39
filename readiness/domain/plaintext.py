"""Text that people typed, made safe to store and to show.

Pure functions: the web layer cleans every submitted value with :func:`clean_input`; templates and
PDFs show free text through :func:`isolate_bidi` and :func:`strip_bidi`.
"""
from __future__ import annotations

import unicodedata

# Tab, line feed and carriage return are the only control characters a form field can mean.
_KEPT_CONTROLS = frozenset("\t\n\r")

# Explicit direction formatting characters (UAX #9): embeddings, overrides, isolates and marks.
FSI, PDI = "\u2068", "\u2069"
_OPENERS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF (U+202C)
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def clean_input(value: str) -> str:
    """Drop the characters no one can type on purpose: NUL and other controls (C0, DEL, C1).

    PostgreSQL refuses NUL in text, and the others only hide or garble what is shown. The
    direction isolate the pages wrap around a value (see :func:`isolate_bidi`) is taken off again,
    so a value shown in a form field comes back as it was.
    """
    if value.isprintable():
        return value
    cleaned = "".join(ch for ch in value if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc")
    if cleaned.startswith(FSI) and cleaned.endswith(PDI):
        cleaned = cleaned[1:-1]
    return cleaned


def has_bidi_controls(value: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(value)


def isolate_bidi(value: str) -> str:
    """Keep direction overrides inside the value they came with (the plain-text form of ``<bdi>``).

    An unmatched closer inside the value is dropped, so it cannot end the isolate early; every
    isolate the value opens is closed, then the whole value sits in a first-strong isolate.
    :return: ``value`` unchanged when it has no direction controls.
    """
    if not has_bidi_controls(value):
        return value
    out, open_isolates = [], 0
    for ch in value:
        if ch in _ISOLATES:
            open_isolates += 1
        elif ch == PDI:
            if open_isolates == 0:
                continue
            open_isolates -= 1
        out.append(ch)
    return FSI + "".join(out) + PDI * open_isolates + PDI


def isolated(value: str) -> str:
    """:return: ``value`` in a first-strong isolate whatever it holds: a name placed inside a sentence of
    the other direction (a Latin delegation or tool name in Arabic) keeps its own order and does not
    reorder the words around it."""
    safe = isolate_bidi(value)
    return safe if safe != value else FSI + value + PDI


def strip_bidi(value: str) -> str:
    """Remove direction controls, for renderers that do not reorder text (the PDFs): there an
    override can only show as a missing glyph."""
    if not has_bidi_controls(value):
        return value
    return "".join(ch for ch in value if ch not in BIDI_CONTROLS)
