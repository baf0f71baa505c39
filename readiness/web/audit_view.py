"""The audit trail for people: one sentence per entry, only the fields that changed, filters.

The stored entries stay as they are (who, what, before, after); this module only words them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from readiness.domain.anonymity import AuditView, names_anonymous_respondent
from readiness.domain.explain import outcome_label, text
from readiness.models import AuditEntry
from readiness.questionnaire.schema import Charter, Questionnaire
from readiness.reports import wording

# Filter name -> the action prefixes it keeps.
KINDS: dict[str, tuple[str, ...]] = {
    "status": ("assessment.", "result.", "decision."),
    "links": ("respondent.",),
    "answers": ("answer.", "evidence."),
    "figures": ("figure.", "charter."),
    "plan": ("action.",),
    "ethics": ("proposal.", "review.", "condition."),
}


def kind_labels() -> dict[str, str]:
    return {
        "status": _("Status and decision"), "links": _("Links"), "answers": _("Answers and evidence"),
        "figures": _("Figures and charter"), "plan": _("Action plan"), "ethics": _("Ethics review"),
    }


def filtered(query: Select, kind: str, who: str) -> Select:
    """:return: ``query`` narrowed to one kind of change and one person (unknown values are ignored)."""
    if kind in KINDS:
        query = query.where(or_(*(AuditEntry.action.startswith(prefix) for prefix in KINDS[kind])))
    if who:
        query = query.where(AuditEntry.actor_label == who)
    return query


def people(assessment_id: int, anonymous_role_labels: list[str], hidden_actions: frozenset[str]) -> list[tuple[str, str]]:
    """:return: (stored label, name shown) of everyone in the assessment's trail, anonymous respondents
    and the committee's reviewers left out."""
    from readiness.extensions import db

    labels = db.session.scalars(select(AuditEntry.actor_label).where(
        AuditEntry.assessment_id == assessment_id, AuditEntry.action.not_in(hidden_actions)).distinct())
    named = (label for label in labels if not names_anonymous_respondent(label, anonymous_role_labels))
    return sorted(((label, person(label)) for label in named), key=lambda pair: pair[1].casefold())


def person(label: str) -> str:
    """:return: the name in an actor label ("Sara Diallo <sara@example.org>" -> "Sara Diallo")."""
    if label == "system":
        return _("The system")
    return label.split(" <", 1)[0] if label.endswith(">") else label


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry | AuditView
    sentence: str
    changes: list[tuple[str, str, str]]  # field, before ("" when new), after ("" when removed): changed ones only


class Wording:
    """Words one assessment's trail: needs its questionnaire and charter for question names."""

    def __init__(self, q: Questionnaire, charter: Charter | None, lang: str) -> None:
        self.q, self.charter, self.lang = q, charter, lang

    def line(self, entry: AuditEntry | AuditView) -> AuditLine:
        before, after = entry.before or {}, entry.after or {}
        named = _NAMED_IN_SENTENCE.get(entry.action, frozenset())
        shown = [(k, self.value(k, before.get(k)), self.value(k, after.get(k)))
                 for k in dict.fromkeys([*before, *after]) if k not in _IDENTITY | named]
        changes = [(k, old, new) for k, old, new in shown if old != new]
        return AuditLine(entry, self.sentence(entry, before, after, changes), changes)

    def sentence(self, entry: AuditEntry | AuditView, before: dict[str, Any], after: dict[str, Any], changes: list) -> str:
        who = person(entry.actor_label)
        words = _SENTENCES.get(entry.action)
        if entry.action == "action.update":
            return self._action_update(who, after.get("title") or before.get("title") or "", changes)
        if words is None:
            return _("%(who)s: %(what)s", who=who, what=entry.action)
        return words(self, who, before, after)

    def _action_update(self, who: str, title: str, changes: list[tuple[str, str, str]]) -> str:
        if len(changes) == 1:
            field, _old, new = changes[0]
            return _("%(who)s changed the %(field)s of “%(title)s” to %(value)s", who=who, field=field_label(field),
                     title=title, value=new or _("nothing"))
        fields = ", ".join(field_label(field) for field, _old, _new in changes)
        return _("%(who)s changed the %(fields)s of “%(title)s”", who=who, fields=fields, title=title)

    def value(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if key in ("due_date", "expires") and isinstance(value, str):
            try:
                return format_date(date.fromisoformat(value[:10]), format="long", locale=self.lang)
            except ValueError:
                return value
        if key == "status" and value in wording.ACTION_STATUSES:
            return text(wording.ACTION_STATUSES[value], self.lang)
        if key in ("outcome", "recommendation"):
            return outcome_label(str(value), self.lang)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def item(self, item_id: str | None) -> str:
        try:
            return text(self.q.item(item_id or "").text, self.lang)
        except KeyError:
            return item_id or ""

    def charter_item(self, item_id: str | None) -> str:
        try:
            return text(self.charter.item(item_id or "").text, self.lang) if self.charter else item_id or ""
        except KeyError:
            return item_id or ""

    def figure(self, input_id: str | None) -> str:
        found = next((i for i in self.q.inputs if i.id == input_id), None)
        return text(found.label, self.lang) if found else input_id or ""


# Which question an entry is about, and the codes that say where an action came from: not for people.
_IDENTITY = frozenset({"item", "input", "source"})
_NAMED_IN_SENTENCE = {"action.create": frozenset({"title"}), "action.delete": frozenset({"title"}),
                      "assessment.create": frozenset({"title"})}


def field_label(field: str) -> str:
    return {
        "title": _("title"), "owner": _("owner"), "due_date": _("due date"), "status": _("status"),
        "source": _("source"), "outcome": _("decision"), "rationale": _("rationale"), "conditions": _("conditions"),
        "override_reason": _("reason for the override"), "decided_by": _("decided by"), "value": _("answer"),
        "special": _("answer"), "comment": _("comment"), "evidence_link": _("evidence link"), "reason": _("reason"),
        "target": _("target level"),
    }.get(field, field.replace("_", " "))


_Words = Callable[[Wording, str, dict[str, Any], dict[str, Any]], str]
_SENTENCES: dict[str, _Words] = {
    "assessment.create": lambda w, who, b, a: _("%(who)s created the assessment “%(title)s”", who=who, title=a.get("title", "")),
    "assessment.open": lambda w, who, b, a: _("%(who)s opened the assessment for answers", who=who),
    "assessment.close": lambda w, who, b, a: _("%(who)s closed the assessment", who=who),
    "assessment.reopen": lambda w, who, b, a: _("%(who)s reopened the assessment for answers", who=who),
    "assessment.decide": lambda w, who, b, a: _("%(who)s marked the assessment as decided", who=who),
    "result.snapshot": lambda w, who, b, a: _("The result was frozen for the report"),
    "decision.record": lambda w, who, b, a: _("%(who)s recorded the decision: %(outcome)s", who=who,
                                              outcome=outcome_label(str(a.get("outcome", "")), w.lang)),
    "decision.amend": lambda w, who, b, a: _("%(who)s amended the decision from %(before)s to %(after)s", who=who,
                                             before=outcome_label(str(b.get("outcome", "")), w.lang),
                                             after=outcome_label(str(a.get("outcome", "")), w.lang)),
    "respondent.invite": lambda w, who, b, a: _("%(who)s invited a respondent", who=who),
    "respondent.revoke": lambda w, who, b, a: _("%(who)s withdrew a respondent's link", who=who),
    "respondent.reissue": lambda w, who, b, a: _("%(who)s issued a new link to a respondent", who=who),
    "answer.create": lambda w, who, b, a: _("%(who)s answered “%(item)s”", who=who, item=w.item(a.get("item"))),
    "answer.update": lambda w, who, b, a: _("%(who)s changed the answer to “%(item)s”", who=who, item=w.item(a.get("item"))),
    "evidence.attach": lambda w, who, b, a: _("%(who)s attached evidence", who=who),
    "figure.update": lambda w, who, b, a: _("%(who)s entered the figure “%(figure)s”", who=who, figure=w.figure(a.get("input"))),
    "charter.update": lambda w, who, b, a: _("%(who)s answered the charter commitment “%(item)s”", who=who,
                                             item=w.charter_item(a.get("item"))),
    "action.create": lambda w, who, b, a: _("%(who)s added the action “%(title)s”", who=who, title=a.get("title", "")),
    "action.delete": lambda w, who, b, a: _("%(who)s deleted the action “%(title)s”", who=who, title=b.get("title", "")),
    "proposal.submit": lambda w, who, b, a: _("%(who)s submitted the proposal to the ethics committee", who=who),
}
