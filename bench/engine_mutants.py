"""Plant each engine mutant named in tests/domain/test_scoring_rules_pinned.py and print the tests that catch it.

Run from the repository root: .venv/bin/python bench/engine_mutants.py tests/domain
Each mutant is written into the engine, the tests run, and the file is restored.
"""
from __future__ import annotations

import pathlib
import subprocess
import sys

MUTANTS = [
 ("M1 respondents pooled, not roles", "readiness/domain/scoring.py",
  "    score = weighted_mean((mean, role_weights.get(role, 1.0)) for role, mean in by_role.items())",
  "    score = weighted_mean((float(k), n) for c in by_role_counts.values() for k, n in c.items() if isinstance(k, int))"),
 ("M2 partly counted as 1", "readiness/domain/answers.py", '"partly": 2', '"partly": 1'),
 ("M3a n/a kept in overall coverage", "readiness/domain/scoring.py",
  "    applicable = fsum(w for w, r in scored if r.status != ITEM_NOT_APPLICABLE)", "    applicable = fsum(w for w, r in scored)"),
 ("M3b n/a kept in dimension coverage", "readiness/domain/scoring.py",
  "    applicable = fsum(i.weight for i, r in scored if r.status != ITEM_NOT_APPLICABLE)", "    applicable = fsum(i.weight for i, r in scored)"),
 ("M3c n/a role kept in item coverage", "readiness/domain/scoring.py",
  "        if role in answered_roles or set(counts) != {NOT_APPLICABLE}:", "        if True:"),
 ("M4a gap threshold +10", "readiness/domain/flags.py", "widest[0] > threshold", "widest[0] > threshold + 10"),
 ("M4b gap threshold -10", "readiness/domain/flags.py", "widest[0] > threshold", "widest[0] > threshold - 10"),
 ("M4c gap at the threshold flags", "readiness/domain/flags.py", "widest[0] > threshold", "widest[0] >= threshold"),
 ("M5 go rule before gates not passed over", "readiness/domain/decision.py",
  "if matched and rule.outcome is Outcome.GO and facts.gates_closed:", "if matched and rule.outcome is Outcome.GO and False:"),
]
tests = sys.argv[1:]
for name, path, old, new in MUTANTS:
    p = pathlib.Path(path)
    src = p.read_text()
    assert src.count(old) == 1, (name, src.count(old))
    p.write_text(src.replace(old, new))
    try:
        out = subprocess.run([".venv/bin/pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *tests],
                             capture_output=True, text=True).stdout
    finally:
        p.write_text(src)
    failed = sorted({line.split(" ")[1].split("[")[0] for line in out.splitlines() if line.startswith("FAILED")})
    print(name, "->", "SURVIVED" if not failed else "; ".join(f.split("::")[-1] for f in failed)[:600], flush=True)
