"""A way to go: a small set of changes that would move the recommendation up one step.

Never guessed: every candidate set is re-scored by the engine (``score_tally``), from the answers
counted per role, item and level (``tally.with_items_raised``), so a report of 10,000 respondents
costs what one of ten does. Candidates come
from the result's flags in their (ranked) order: a charter commitment met, a question
answered at a higher level by everyone asked it. They are added one at a time until the
recommendation moves up; then each is dropped again if the step is still reached without
it, so no change in the set can be left out.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from readiness.questionnaire.schema import Charter, Questionnaire

from .answers import DONT_KNOW, NOT_APPLICABLE, Respondent, level_of
from .engine import score_assessment, score_tally
from .result import Result
from .tally import Tally, lifted_value, tally, with_items_raised

STEPS = ("no_go", "go_with_conditions", "go")
RAISE_TO = 3  # a question "at level 3": the described level of a practice that works
MAX_CANDIDATES = 40  # keeps a report view well under a second; the set is then "not found"
_DIMENSION_KINDS = frozenset({"dimension_floor", "dimension_below_go", "perception_gap", "unknowns"})


@dataclass(frozen=True)
class Change:
    """One change: a charter commitment met, a question at ``level`` or above, an indicator in ``level``'s band."""

    kind: str  # "charter", "item" or "figure"
    target: str  # charter item id, question id or indicator id
    level: int | None = None
    value: float | None = None  # for a figure: the indicator value that lands in the band


@dataclass(frozen=True)
class WayForward:
    current: str
    target: str | None  # the next step up; None when already go or not a verdict
    changes: list[Change]
    reached: str | None  # the outcome these exact changes give when re-scored; None when none was found


def next_step(outcome: str) -> str | None:
    """:return: the outcome one step up from ``outcome``, or None (go, insufficient evidence)."""
    if outcome not in STEPS or outcome == STEPS[-1]:
        return None
    return STEPS[STEPS.index(outcome) + 1]


def apply_changes(
    questionnaire: Questionnaire, respondents: Sequence[Respondent], measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str], changes: Iterable[Change],
) -> tuple[list[Respondent], dict[str, float | None], dict[str, str]]:
    """:return: the respondents, figures and charter answers with ``changes`` made.

    A question change lifts every answer of the roles asked it below ``level`` to ``level``
    ("don't know" and unanswered included; "not applicable" stays). A figure change sets the
    indicator's numerator so that the indicator equals ``value`` (a denominator not known is taken as 1).
    """
    raised, inputs, charter = _split(questionnaire, measured_inputs, charter_answers, changes)
    people = [_lift(questionnaire, r, raised) for r in respondents]
    return people, inputs, charter


def apply_changes_counted(
    questionnaire: Questionnaire, counted: Tally, measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str], changes: Iterable[Change],
) -> tuple[Tally, dict[str, float | None], dict[str, str]]:
    """:return: :func:`apply_changes` on counted answers: the counts the lifted respondents would give."""
    raised, inputs, charter = _split(questionnaire, measured_inputs, charter_answers, changes)
    return with_items_raised(counted, questionnaire, raised), inputs, charter


def _split(
    questionnaire: Questionnaire, measured_inputs: Mapping[str, float | None], charter_answers: Mapping[str, str],
    changes: Iterable[Change],
) -> tuple[dict[str, int], dict[str, float | None], dict[str, str]]:
    """:return: question id -> the highest level asked of it; the figures and charter answers with their changes."""
    charter = dict(charter_answers)
    inputs = dict(measured_inputs)
    raised: dict[str, int] = {}
    for change in changes:
        if change.kind == "charter":
            charter[change.target] = "met"
        elif change.kind == "figure":
            _set_figure(questionnaire, inputs, change)
        else:
            raised[change.target] = max(raised.get(change.target, 0), change.level or 0)
    return raised, inputs, charter


def plan_result(
    questionnaire: Questionnaire, respondents: Sequence[Respondent], measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str], charter: Charter | None, targets: Iterable[tuple[str, int]],
) -> Result:
    """Re-score as if every action of the plan reached its target: the result the plan would reach.

    :param targets: ``(question id, level)`` per action that carries a target; a question no
        respondent role was asked, or unknown to the questionnaire, changes nothing.
    :return: the engine's result with each targeted question lifted to its level (see :func:`apply_changes`).
    """
    known = {item.id for item in questionnaire.items if item.scored}
    changes = [Change("item", item_id, level) for item_id, level in targets if item_id in known]
    people, inputs, answers = apply_changes(questionnaire, respondents, measured_inputs, charter_answers, changes)
    return score_assessment(questionnaire, people, inputs, answers, charter)


def plan_outcome(
    questionnaire: Questionnaire, counted: Tally, measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str], charter: Charter | None, targets: Iterable[tuple[str, int]],
) -> str:
    """:return: the recommendation of :func:`plan_result`, from counted answers (the same outcome)."""
    known = {item.id for item in questionnaire.items if item.scored}
    changes = [Change("item", item_id, level) for item_id, level in targets if item_id in known]
    lifted, inputs, answers = apply_changes_counted(questionnaire, counted, measured_inputs, charter_answers, changes)
    # The recommendation alone: the robustness check and the flags' ranking never change it.
    return score_tally(questionnaire, lifted, inputs, answers, charter).recommendation.outcome


def _set_figure(questionnaire: Questionnaire, inputs: dict[str, float | None], change: Change) -> None:
    indicator = next(i for i in questionnaire.indicators if i.id == change.target)
    denominator = 1.0
    if indicator.denominator is not None:
        if not inputs.get(indicator.denominator):
            inputs[indicator.denominator] = 1.0
        denominator = float(inputs[indicator.denominator])  # type: ignore[arg-type]
    inputs[indicator.numerator] = (change.value or 0.0) * denominator / indicator.scale


def figure_change(questionnaire: Questionnaire, indicator_id: str) -> Change | None:
    """:return: the change that puts an indicator in its band of level ``RAISE_TO`` (or the best band)."""
    indicator = next((i for i in questionnaire.indicators if i.id == indicator_id), None)
    if indicator is None:
        return None
    bands = indicator.bands
    good = [i for i, b in enumerate(bands) if b.level >= RAISE_TO] or [max(range(len(bands)), key=lambda i: bands[i].level)]
    index = min(good, key=lambda i: bands[i].level)
    band, previous = bands[index], bands[index - 1] if index > 0 else None
    if previous is not None and previous.below is not None:
        value = previous.below  # the band starts where the one before it ends
    elif band.below is not None:
        value = band.below / 2 if band.below > 0 else band.below - 1
    else:
        return None
    return Change("figure", indicator.id, band.level, value)


def _lift(questionnaire: Questionnaire, respondent: Respondent, raised: Mapping[str, int]) -> Respondent:
    answers = dict(respondent.answers)
    for item_id, level in raised.items():
        item = questionnaire.item(item_id)
        if respondent.role not in item.roles or answers.get(item_id) == NOT_APPLICABLE:
            continue
        current = answers.get(item_id)
        now = None if current in (None, DONT_KNOW) else level_of(item.type, current)
        if now is None or now < level:
            answers[item_id] = lifted_value(item.type, level)
    return Respondent(respondent.id, respondent.role, answers)


def find_way_forward(
    questionnaire: Questionnaire,
    respondents: Sequence[Respondent],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
    result: Result,
) -> WayForward:
    """:return: :func:`find_way_forward_counted` of the respondents' counted answers."""
    return find_way_forward_counted(questionnaire, tally(questionnaire, respondents), measured_inputs,
                                    charter_answers, charter, result)


def find_way_forward_counted(
    questionnaire: Questionnaire,
    counted: Tally,
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
    result: Result,
) -> WayForward:
    """Find a set of answer changes that moves the recommendation up one step, from counted answers.

    Exactly what :func:`find_way_forward_by_lifting` finds (each "what if" counts the lifted answers
    instead of lifting every respondent; pinned equal on random assessments in the domain tests).

    :param counted: the answers counted per role, item and level, with who is not heard (``Tally.silent``).
    :param result: the result of these very inputs (its flags order the candidates).
    :return: the changes and the outcome they give when re-scored; ``reached`` None when none was found.
    """
    cache: dict = {}  # items the changes leave alone are scored once for every candidate set

    def outcome(changes: list[Change]) -> str:
        lifted, inputs, answers = apply_changes_counted(questionnaire, counted, measured_inputs, charter_answers, changes)
        return score_tally(questionnaire, lifted, inputs, answers, charter, cache).recommendation.outcome

    return _search(questionnaire, set(counted.respondents), charter, result, outcome)


def find_way_forward_by_lifting(
    questionnaire: Questionnaire,
    respondents: Sequence[Respondent],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
    result: Result,
) -> WayForward:
    """Find a set of answer changes that moves the recommendation up one step.

    The reference path, kept to pin :func:`find_way_forward_counted` against: every "what if" lifts
    each respondent's answers and counts them again, so it costs more with every respondent.

    :param result: the result of these very inputs (its flags order the candidates).
    :return: the changes and the outcome they give when re-scored; ``reached`` None when none was found.
    """

    def outcome(changes: list[Change]) -> str:
        people, inputs, answers = apply_changes(questionnaire, respondents, measured_inputs, charter_answers, changes)
        # The recommendation alone: the robustness check and the flags' ranking never change it.
        return score_tally(questionnaire, tally(questionnaire, people), inputs, answers, charter).recommendation.outcome

    return _search(questionnaire, {r.role for r in respondents}, charter, result, outcome)


def _search(questionnaire: Questionnaire, roles: set[str], charter: Charter | None, result: Result,
            outcome: Callable[[list[Change]], str]) -> WayForward:
    """Add candidates in order until ``outcome`` reaches the next step, then drop each one not needed.

    :param roles: the roles with at least one respondent.
    """
    current = result.recommendation.outcome
    target = next_step(current)
    if target is None:
        return WayForward(current, None, [], None)

    def enough(found: str) -> bool:
        return found in STEPS and STEPS.index(found) >= STEPS.index(target)

    chosen: list[Change] = []
    for change in _candidates(questionnaire, roles, charter, result)[:MAX_CANDIDATES]:
        chosen.append(change)
        if enough(outcome(chosen)):
            break
    else:
        return WayForward(current, target, [], None)
    for change in reversed(list(chosen)):
        trial = [c for c in chosen if c != change]
        if enough(outcome(trial)):
            chosen = trial
    return WayForward(current, target, chosen, outcome(chosen))


def _candidates(questionnaire: Questionnaire, heard: set[str], charter: Charter | None, result: Result) -> list[Change]:
    """Changes that address the flags, in the flags' order, each once (``heard``: roles with respondents)."""
    charter_ids = {item.id for item in charter.items} if charter else set()
    found: list[Change] = []
    for flag in result.flags:
        if flag.severity == "minor":
            continue
        if flag.subject in charter_ids:
            found.append(Change("charter", flag.subject))
        elif flag.kind == "indicator_low" and flag.subject and (figure := figure_change(questionnaire, flag.subject)):
            found.append(figure)
        elif flag.kind == "charter_unanswered":
            found += [Change("charter", i) for i in flag.evidence.get("items", []) if i in charter_ids]
        elif flag.subject and _raisable(questionnaire, flag.subject, heard):
            item = questionnaire.item(flag.subject)
            found.append(Change("item", item.id, max(RAISE_TO, item.critical.min_level if item.critical else 0)))
        elif flag.kind in _DIMENSION_KINDS and flag.dimension:
            found += _dimension_candidates(questionnaire, result, flag.dimension, heard)
    unique: list[Change] = []
    for change in found:
        if all(c.target != change.target for c in unique):
            unique.append(change)
    return unique


def _raisable(questionnaire: Questionnaire, item_id: str, heard: set[str]) -> bool:
    try:
        item = questionnaire.item(item_id)
    except KeyError:
        return False
    return item.scored and bool(heard & set(item.roles))


def _dimension_candidates(questionnaire: Questionnaire, result: Result, dimension: str, heard: set[str]) -> list[Change]:
    """The dimension's questions below ``RAISE_TO``, lowest first (unanswered ones last)."""
    items = [i for i in questionnaire.items_in(dimension) if _raisable(questionnaire, i.id, heard)]
    scores = {i.id: result.items[i.id].score for i in items}
    low = [i for i in items if scores[i.id] is None or scores[i.id] < RAISE_TO]  # type: ignore[operator]
    low.sort(key=lambda i: (scores[i.id] is None, scores[i.id] or 0.0, -i.weight))
    return [Change("item", i.id, max(RAISE_TO, i.critical.min_level if i.critical else 0)) for i in low]
