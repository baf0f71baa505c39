"""Before there is enough to judge: say so, what is missing, and who must still answer.

A live preview whose recommendation is "insufficient evidence" shows this instead of a
verdict, dimension scores or an empty chart. A frozen result keeps its verdict: closing on
too little evidence is a finding in itself.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readiness.domain.explain import percent, text
from readiness.domain.result import Result
from readiness.questionnaire.schema import Questionnaire

from . import wording

NOT_ENOUGH = "insufficient_evidence"


@dataclass(frozen=True)
class Waiting:
    reason: str  # the decision rule's own sentence
    missing: list[str]  # what is missing: coverage, roles not heard
    who: list[str]  # who must still answer, role by role


def waiting_view(
    result: Result, q: Questionnaire, *, live: bool, invited: Mapping[str, int], unfinished: Mapping[str, int], lang: str,
) -> Waiting | None:
    """:param invited: role -> people invited (links not withdrawn).
    :param unfinished: role -> of those, the ones who have not sent their answers yet.
    :return: what to show instead of a verdict; None when the result can be judged or is frozen.
    """
    if not live or result.recommendation.outcome != NOT_ENOUGH:
        return None
    rule = next((r for r in q.decision_rules if r.id == result.recommendation.rule_id), None)
    needed = next((r.when.coverage_below for r in q.decision_rules
                   if r.outcome == NOT_ENOUGH and r.when.coverage_below is not None), None)
    labels = {role.id: text(role.label, lang) for role in q.roles}
    missing = []
    if needed is not None and result.overall_coverage < needed:
        missing.append(_say("waiting_coverage", lang, answered=percent(result.overall_coverage), needed=percent(needed)))
    if result.roles_not_heard:
        heard_none = ", ".join(labels.get(role, role) for role in result.roles_not_heard)
        missing.append(_say("waiting_not_heard", lang, roles=heard_none))
    who = []
    for role in q.roles:
        if unfinished.get(role.id):
            who.append(_say("waiting_unfinished", lang, role=labels[role.id], count=unfinished[role.id],
                            invited=invited.get(role.id, 0)))
        elif role.expected and not invited.get(role.id):
            who.append(_say("waiting_nobody_invited", lang, role=labels[role.id]))
    return Waiting(reason=text(rule.text, lang) if rule else "", missing=missing, who=who)


def _say(key: str, lang: str, **params: object) -> str:
    return text(wording.SENTENCES[key], lang).format(**params)
