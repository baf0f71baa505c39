"""Kobo/ODK submission exports built from the XLSForm we generate, as those tools lay them out."""
from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook, load_workbook

from readiness.domain.collection import AnswerState
from readiness.questionnaire.schema import ItemType, Questionnaire

KOBO_META_BEFORE = ["start", "end"]
KOBO_META_AFTER = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                   "_submitted_by", "__version__", "_tags", "_index"]


def form_fields(xlsform: bytes) -> list[tuple[str, str, str]]:
    """(group path, field name, type) of every data field of the form's survey sheet, in order."""
    sheet = load_workbook(io.BytesIO(xlsform), read_only=True)["survey"]
    rows = list(sheet.iter_rows(values_only=True))
    kind_at, name_at = rows[0].index("type"), rows[0].index("name")
    groups, fields = [], []
    for row in rows[1:]:
        kind, name = row[kind_at], row[name_at]
        if kind == "begin_group":
            groups.append(name)
        elif kind == "end_group":
            groups.pop()
        else:
            fields.append(("/".join(groups), name, kind))
    return fields


def answers_for(q: Questionnaire, role: str) -> dict[str, AnswerState]:
    """A varied, deterministic set of answers for every item of the role."""
    cycle: list[Any] = [3, 0, "dont_know", 4, 1, "not_applicable", 2]
    answers = {}
    for n, item in enumerate(q.items_for_role(role)):
        comment = f"Comment {n}: seen in Gao" if n % 3 == 0 else ""
        link = "https://example.org/policy.pdf" if item.evidence != "none" and n % 2 == 0 else None
        if item.type is ItemType.TEXT:
            answers[item.id] = AnswerState(f"Less paperwork, item {n}", None, comment, link)
        elif item.type is ItemType.YES_NO:
            answers[item.id] = AnswerState("partly", None, comment, link)
        else:
            choice = cycle[n % len(cycle)]
            special = choice if isinstance(choice, str) else None
            answers[item.id] = AnswerState(None if special else choice, special, comment, link)
    return answers


def cell_values(answers: dict[str, AnswerState], name: str) -> str:
    """What Kobo writes in the column of field ``name`` (XML values)."""
    item_id, _, suffix = name.partition("__")
    state = answers.get(item_id)
    if state is None:
        return ""
    if suffix == "comment":
        return state.comment
    if suffix == "link":
        return state.evidence_link or ""
    if suffix == "special":
        return state.special or ""
    if state.special:
        return state.special
    return "" if state.value is None else str(state.value)


def kobo_rows(xlsform: bytes, submissions: list[tuple[str, dict[str, AnswerState]]], *, group_paths: bool = True,
              pin: str | None = None) -> list[list[str]]:
    """A Kobo export's rows (headers first) for ``submissions`` of (uuid, answers)."""
    fields = form_fields(xlsform)
    headers = KOBO_META_BEFORE + [f"{g}/{n}" if g and group_paths else n for g, n, _t in fields] + KOBO_META_AFTER
    rows = [headers]
    for number, (uuid, answers) in enumerate(submissions, start=1):
        values = ["2026-11-30T09:00:00.000+00:00", "2026-11-30T09:20:00.000+00:00"]
        for _g, name, kind in fields:
            if kind == "calculate":
                values.append(pin or _pin_of(xlsform))
            else:
                values.append(cell_values(answers, name))
        values += [str(1000 + number), uuid, "2026-11-30T09:21:00", "", "", "submitted_via_web", "", "vLr2x", "", str(number)]
        rows.append(values)
    return rows


def _pin_of(xlsform: bytes) -> str:
    sheet = load_workbook(io.BytesIO(xlsform), read_only=True)["survey"]
    rows = list(sheet.iter_rows(values_only=True))
    calc_at = rows[0].index("calculation")
    return next(r[calc_at] for r in rows[1:] if r[0] == "calculate").strip("'")


def as_csv(rows: list[list[str]], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        # Kobo writes numbers as numbers: a level "3" arrives as the integer 3.
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
