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

if __name__ == "__main__":
    for name, doc in SCENARIOS.items():
        (HERE / f"{name}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote examples/scenarios/{name}.json")
