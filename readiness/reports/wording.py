"""The report's own sentences, as English msgids of the gettext catalogue.

``build_report`` is pure and renders for any reader's language without a request: it passes
the document's language to ``explain.text``, which translates through ``readiness.i18n``.
"""
from __future__ import annotations

from readiness.i18n import N_

ASSESSMENT_STATUSES = {
    "draft": N_("Draft"),
    "collecting": N_("Collecting answers"),
    "closed": N_("Closed, awaiting decision"),
    "decided": N_("Decided"),
}
ACTION_STATUSES = {
    "open": N_("Open"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
CHARTER_LEVELS = {
    "blocking": N_("Blocking"),
    "condition": N_("Condition"),
    "advisory": N_("Advisory"),
}

SENTENCES = {
    "above_go": N_("{dimension}: {score}, {margin} above the go threshold of {go}."),
    "at_go": N_("{dimension}: {score}, exactly at the go threshold of {go}."),
    "below_go": N_("{dimension}: {score}, {margin} below the go threshold of {go}."),
    "just_below_go": N_("{dimension}: {score} once rounded, but just below the go threshold of {go}."),
    "below_floor": N_("{dimension}: {score}, {margin} below the go threshold of {go} and under the floor of {floor}."),
    "no_score": N_("{dimension}: no score yet (no applicable question answered)."),
    "rule_fired": N_("Rule “{rule}” applied because {condition}."),
    "preview": N_("Preview, not final: answers are still being collected, so these figures will change."),
    "snapshot": N_("Frozen result computed when the assessment closed on {date}."),
    "override": N_("This decision differs from the recommendation (“{recommended}”)."),
    "by_role": N_("By role: {scores}."),
    "lowest_items": N_("Lowest-scoring questions: {items}."),
    "unknown_items": N_("“Don't know”: {items}."),
    "unanswered_items": N_("Not answered: {items}."),
    "band_source": N_("Band source: {source}."),
    "charter_theme": N_("Theme: {theme}; answered: {status}."),
    "charter_items": N_("Items: {items}."),
    "and_more": N_("and {count} more"),
    "critical_status": N_("Minimum level {min_level}; now: {status}."),
    "golive_action": N_("Before go-live: {title}"),
    "action_from_flag": N_("Resolve: {message}"),
    # The answer first.
    "no_decision_yet": N_("No decision yet."),
    "decided": N_("Decision: {outcome}, by {name} on {date}."),
    "more_things": N_("{count} more, by importance, in the “Flags” section."),
    "way_found": N_("{changes} would give “{target}” (checked by scoring the answers again with exactly these changes)."),
    "way_not_found": N_("No set of answer changes we tried reaches “{target}”: the flags below say what stands in the way."),
    "way_charters": N_("{count} charter commitment(s) met"),
    "way_items": N_("{count} question(s) at a higher level"),
    "way_figures": N_("{count} figure(s) in a better band"),
    "and": N_("and"),
    "way_charter": N_("Charter: “{text}” met."),
    "way_item": N_("“{text}”: level {level} or above from everyone asked."),
    "way_figure": N_("{label}: {value} {unit} (level {level})."),
    # What people said.
    "masked": N_("[Masked by the delegation: it identified someone.]"),
    "withheld_words": N_("{roles}: fewer than {minimum} people answered, so their own scores and words are not shown by role (their answers count in the overall result)."),
    "kind_answer": N_("answer"),
    "kind_comment": N_("comment"),
    "about_condition": N_("A condition of the decision"),
    "waiting_coverage": N_("{answered} of the questions that apply are answered; a verdict needs at least {needed}."),
    "waiting_not_heard": N_("Not heard yet: {roles}."),
    "waiting_unfinished": N_("{role}: {count} of the {invited} invited have not sent their answers yet."),
    "waiting_nobody_invited": N_("{role}: nobody invited yet."),
    "action_target": N_("Target: question {item} at level {level} or above"),
}

METHOD = [
    N_("Each question has five described levels (0–4). Role answers are averaged within each role first, then across roles, so each role has an equal voice."),
    N_("A dimension score is the weighted mean of its answered questions on a 0–100 scale. “Don't know” and “not applicable” are never counted as 0: they leave the average, and “don't know” lowers coverage."),
    N_("Critical questions and blocking charter commitments act as gates: below their minimum, the recommendation cannot be go."),
    N_("Decision rules from the questionnaire file are tried in order; the first that matches gives the recommendation. The recommendation advises; the decision is recorded by an accountable person."),
]
