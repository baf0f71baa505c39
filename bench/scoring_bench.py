"""Time the engine on a large assessment: 10,000 respondents, 5 % "don't know" answers.

Usage: .venv/bin/python bench/scoring_bench.py [--respondents 10000] [--dont-know 0.05] [--repeat 3]

Builds the respondents in memory (fixed seed) against the shipped readiness questionnaire and
charter, scores them with ``score_assessment`` (validation, counting, scores, flags, the decision,
robustness over every unknown, ranking) and prints the best and median wall time, next to the time
of counting alone. Leaves a few charter items and one figure unanswered so robustness has every
kind of unknown to try. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readiness.domain.answers import DONT_KNOW, Respondent  # noqa: E402
from readiness.domain.engine import score_assessment  # noqa: E402
from readiness.domain.tally import tally  # noqa: E402
from readiness.questionnaire.loader import load_directory  # noqa: E402
from readiness.questionnaire.schema import ItemType  # noqa: E402

ROLES = [("social_worker", 0.6), ("supervisor", 0.15), ("manager", 0.1), ("it_admin", 0.1), ("partner", 0.05)]


def build(count: int, dont_know: float, seed: int = 7):
    definitions = load_directory(ROOT / "questionnaires")
    q = definitions.latest_questionnaire("readiness")
    charter = definitions.latest_charter()
    rnd = random.Random(seed)
    people = []
    for index in range(count):
        role = rnd.choices([r for r, _ in ROLES], [w for _, w in ROLES])[0]
        answers = {}
        for item in q.items_for_role(role):
            if rnd.random() < dont_know:
                answers[item.id] = DONT_KNOW
            elif item.type is ItemType.LEVEL:
                answers[item.id] = rnd.choice([2, 3, 3, 4])
            elif item.type is ItemType.YES_NO:
                answers[item.id] = rnd.choice(["yes", "partly"])
            elif item.type is ItemType.TEXT:
                answers[item.id] = "Follow-up visits get lost."
        people.append(Respondent(f"r{index}", role, answers))
    inputs = {"social_workers_fte": 40, "open_cases": 600, "supervisors_fte": 6, "staff_trained_cm": 30,
              "devices_available": 35, "power_hours": 10, "field_sites_connected_pct": None}
    charter_answers = {item.id: "met" for item in charter.items[3:]}
    return q, charter, people, inputs, charter_answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--dont-know", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    q, charter, people, inputs, charter_answers = build(args.respondents, args.dont_know)
    answers = sum(len(p.answers) for p in people)
    counting, total = [], []
    result = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        tally(q, people)
        counting.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = score_assessment(q, people, inputs, charter_answers, charter)
        total.append(time.perf_counter() - start)
    assert result is not None and result.robustness is not None
    print(f"respondents {args.respondents}, answers {answers}, don't know {args.dont_know:.0%}")
    print(f"unknowns tried {len(result.robustness.unknowns)}; recommendation {result.recommendation.outcome}; "
          f"stable {result.robustness.stable}")
    print(f"counting answers      best {min(counting):.3f} s  median {statistics.median(counting):.3f} s")
    print(f"score_assessment      best {min(total):.3f} s  median {statistics.median(total):.3f} s")


if __name__ == "__main__":
    main()
