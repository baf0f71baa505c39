"""Write the scenario responses files from short descriptions of each situation.

The JSON files are what the tests and people read; this script only saves typing them.
Run from the repository root: ``python examples/scenarios/build.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

from readiness.questionnaire.loader import load_directory
from readiness.questionnaire.schema import ItemType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFS = load_directory(ROOT / "questionnaires")
Q = DEFS.latest_questionnaire("readiness")
CHARTER = DEFS.latest_charter()
TEAM = [("manager-1", "manager"), ("sw-1", "social_worker"), ("sw-2", "social_worker"), ("sw-3", "social_worker"),
        ("supervisor-1", "supervisor"), ("it-1", "it_admin"), ("partner-1", "partner")]


def answer(item, level):
    if level in ("dont_know", "not_applicable"):
        return level
    if item.type is ItemType.YES_NO:
        return "yes" if level >= 3 else "partly" if level == 2 else "no"
    if item.type is ItemType.TEXT:
        return "Home visits are still written up on paper at night."
    if item.type is ItemType.NUMBER:
        return 10
    return level


def team(levels, overrides=None, team=TEAM):
    """``levels(role, person_index, item) -> level``; overrides: item id -> level for everyone."""
    people = []
    for index, (pid, role) in enumerate(team):
        answers = {}
        for item in Q.items_for_role(role):
            level = (overrides or {}).get(item.id, levels(role, index, item))
            answers[item.id] = answer(item, level)
        people.append({"id": pid, "role": role, **({"name": f"{role.replace('_', ' ').title()} {index}"} if role != "social_worker" else {}), "answers": answers})
    return people


def charter(default="met", overrides=None):
    return {item.id: (overrides or {}).get(item.id, default) for item in CHARTER.items}


def document(context, respondents, inputs, charter_answers):
    return {
        "questionnaire": {"id": Q.id, "version": Q.version},
        "charter": {"id": CHARTER.id, "version": CHARTER.version},
        "context": context,
        "respondents": respondents,
        "measured_inputs": inputs,
        "charter_answers": charter_answers,
    }


GOOD_FIGURES = {"social_workers_fte": 12, "open_cases": 140, "supervisors_fte": 3, "staff_trained_cm": 11,
                "devices_available": 13, "power_hours": 11, "field_sites_connected_pct": 85}

SCENARIOS = {
    "stable-strong": document(
        {"delegation": "Example – capital office", "context_type": "stable",
         "story": "Procedures are written and used, staff are trained and supervised, power and devices are there."},
        team(lambda role, i, item: 4 if (i + len(item.id)) % 3 else 3),
        GOOD_FIGURES,
        charter(),
    ),
    "acute-emergency-no-procedures": document(
        {"delegation": "Example – border programme", "context_type": "acute_emergency",
         "story": "A new emergency response: no written case-management procedures, no data-protection protocol."},
        team(lambda role, i, item: 1 if item.dimension in ("system", "ict") else 2,
             {"cm_procedures": 0, "data_protection_framework": 1}),
        {"social_workers_fte": 4, "open_cases": 160, "supervisors_fte": 0.5, "staff_trained_cm": 1,
         "devices_available": 1, "power_hours": 3, "field_sites_connected_pct": 10},
        charter("not_met", {item.id: "partly" for item in CHARTER.items[::3]}),
    ),
    "partial-readiness": document(
        {"delegation": "Example – north sub-office", "context_type": "protracted_crisis",
         "story": "Solid procedures and motivated staff, but weak ICT and a few charter items still open."},
        team(lambda role, i, item: 2 if item.dimension == "ict" else 3),
        {**GOOD_FIGURES, "devices_available": 7, "power_hours": 6, "field_sites_connected_pct": 45},
        charter("met", {item.id: "partly" for item in CHARTER.items if item.level.value == "condition"}),
    ),
    "mostly-dont-know": document(
        {"delegation": "Example – new site", "context_type": "stable",
         "story": "The team arrived last month: most answers are \"don't know\"."},
        team(lambda role, i, item: "dont_know" if (len(item.id) + i) % 5 else 3),
        {key: None for key in GOOD_FIGURES},
        charter(),
    ),
    "perception-gap": document(
        {"delegation": "Example – south sub-office", "context_type": "protracted_crisis",
         "story": "The manager sees a ready office; the social workers do not."},
        team(lambda role, i, item: 4 if role == "manager" else 1 if role == "social_worker" else 3),
        GOOD_FIGURES,
        charter(),
    ),
}



def only(roles, levels, overrides=None):
    """The team limited to ``roles``: the others never answered."""
    return team(levels, overrides, [(pid, role) for pid, role in TEAM if role in roles])


def by_role(default, per_role):
    """``per_role``: role -> {item id: level}; everything else at ``default``."""
    return lambda role, i, item: per_role.get(role, {}).get(item.id, default)


BLOCKING = [item.id for item in CHARTER.items if item.level.value == "blocking"]

# One file per situation seen when the engine was tried as a new user would (issue 8, "What was seen").
SEEN = {
    "seen-01-hidden-over-rating": document(
        {"delegation": "Example – east office", "context_type": "stable",
         "story": "Managers rate caseload and training at the top; the figures sit at level 1 and social "
                  "workers say so. Their honesty must not hide the managers' over-rating."},
        team(by_role(3, {"manager": {"staff_caseload": 4, "cm_training": 4},
                         "social_worker": {"staff_caseload": 1, "cm_training": 1},
                         "supervisor": {"staff_caseload": 1, "cm_training": 1}})),
        {**GOOD_FIGURES, "open_cases": 400, "staff_trained_cm": 3},
        charter(),
    ),
    "seen-02-gap-without-shared-questions": document(
        {"delegation": "Example – west office", "context_type": "stable",
         "story": "In the system dimension managers and social workers share one question only; their "
                  "own questions differ. There is no gap to report between them."},
        team(by_role(3, {"manager": {i.id: 4 for i in Q.items_in("system") if i.id != "referral_pathways"},
                         "social_worker": {i.id: 2 for i in Q.items_in("system") if i.id != "referral_pathways"}})),
        GOOD_FIGURES,
        charter(),
    ),
    "seen-03-manager-alone": document(
        {"delegation": "Example – new partner office", "context_type": "stable",
         "story": "A single manager answered alone; the charter is blank. Four roles were never heard."},
        only({"manager"}, lambda role, i, item: 3),
        GOOD_FIGURES,
        {},
    ),
    "seen-04-late-answer-could-flip": document(
        {"delegation": "Example – river office", "context_type": "protracted_crisis",
         "story": "Everyone answered but the supervisor. The supervisor co-owns the case-management "
                  "procedures question: one late answer could turn the result into no-go."},
        only({"manager", "social_worker", "it_admin", "partner"}, lambda role, i, item: 3),
        GOOD_FIGURES,
        charter(),
    ),
    "seen-05-charter-blank": document(
        {"delegation": "Example – hill office", "context_type": "stable",
         "story": "A good context, but nobody has answered the ethics charter yet."},
        team(lambda role, i, item: 3),
        GOOD_FIGURES,
        {},
    ),
    "seen-06-fundamental-no-procedures": document(
        {"delegation": "Example – camp response", "context_type": "acute_emergency",
         "story": "No case-management procedures, no data protection, 78 cases per social worker."},
        team(lambda role, i, item: 2, {"cm_procedures": 0, "data_protection_framework": 0}),
        {**GOOD_FIGURES, "social_workers_fte": 5, "open_cases": 390},
        charter("met", {"consent_assent_procedure": "not_met", "legal_basis_documented": "not_met"}),
    ),
    "seen-06-fixable-dpia-and-agreement": document(
        {"delegation": "Example – coastal office", "context_type": "stable",
         "story": "A ready context whose only blockers are a DPIA not yet done and a data-sharing "
                  "agreement not yet signed: they gate go-live, they do not forbid preparing it."},
        team(lambda role, i, item: 3),
        GOOD_FIGURES,
        charter("met", {"dpia_completed": "not_met", "information_sharing_protocol": "partly"}),
    ),
    "seen-06-four-dimensions-below-go": document(
        {"delegation": "Example – plateau office", "context_type": "protracted_crisis",
         "story": "Four of five dimensions are below the go threshold, none below the floor: not "
                  "'close to ready'."},
        team(lambda role, i, item: 3 if item.dimension == "needs" else 2),
        GOOD_FIGURES,
        charter(),
    ),
    "seen-07-floor-on-thin-evidence": document(
        {"delegation": "Example – valley office", "context_type": "stable",
         "story": "ICT was answered by one person on one question (level 0); everything else there is "
                  "\"don't know\". That is not enough evidence to call a floor breach."},
        team(lambda role, i, item: ("dont_know" if item.id != "office_connectivity" else 0)
             if item.dimension == "ict" else 3),
        {**GOOD_FIGURES, "devices_available": None, "power_hours": None, "field_sites_connected_pct": None},
        charter(),
    ),
    "seen-08-automated-decisions": document(
        {"delegation": "Example – city programme", "context_type": "protracted_crisis",
         "story": "Weak procedures, several charter blockers, and a tool that scores children "
                  "automatically with no human override: that must not fall off the summaries."},
        team(lambda role, i, item: 2, {"cm_procedures": 1, "data_protection_framework": 1}),
        GOOD_FIGURES,
        charter("met", {item: "partly" for item in BLOCKING} | {"human_makes_every_decision": "not_met"}),
    ),
    "seen-09-reporting-driven": document(
        {"delegation": "Example – capital office", "context_type": "stable",
         "story": "The tool is wanted for donor reporting and dashboards rather than social workers' "
                  "daily casework."},
        [
            {**person, "answers": {**person["answers"], "main_reason": "The donor wants monthly dashboards of "
                                   "caseload figures by the end of the year."}}
            if person["role"] == "manager" else person
            for person in team(lambda role, i, item: 3, {"needs_defined": 0, "practice_vs_reporting": 1,
                                                         "daily_practice_support": 1})
        ],
        GOOD_FIGURES,
        charter(),
    ),
}
SCENARIOS |= SEEN

if __name__ == "__main__":
    for name, doc in SCENARIOS.items():
        (HERE / f"{name}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote examples/scenarios/{name}.json")
