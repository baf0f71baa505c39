"""The lock file pins every dependency pyproject.toml names, inside the range it allows."""
from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[canonicalize_name(name)] = version
    return pins


def test_every_dependency_is_pinned_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]
    pins = _locked()
    problems = [f"{r.name}: not in requirements.lock" if canonicalize_name(r.name) not in pins
                else f"{r.name}: locked {pins[canonicalize_name(r.name)]} is outside {r.specifier}"
                for r in wanted
                if canonicalize_name(r.name) not in pins or not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert not problems, "run 'make lock': " + "; ".join(problems)


def test_the_makefile_installs_with_the_lock():
    assert "-c requirements.lock" in (ROOT / "Makefile").read_text(encoding="utf-8")
