"""The layers of docs/ARCHITECTURE.md, checked on the import graph of the package.

Every ``import`` in ``readiness/`` is read with ``ast`` (nothing is imported), module-level and
function-level imports separately: a function-level import is how a cycle usually hides. An import
between two packages must be allowed by ``MAY_IMPORT`` or be one of the ``KNOWN`` exceptions, each
with its reason; a known exception that disappears must be struck off the list, so it never grows back.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "readiness"

# The pure core: definition files (questionnaire) and the rules on them (domain).
CORE = {"readiness.questionnaire", "readiness.domain"}
# Plumbing with no rules in it.
# readiness.i18n marks sentences and reads the catalogues with Babel alone, so even the core may use it.
BASE = {"readiness.extensions", "readiness.config", "readiness.sqlite", "readiness.observability", "readiness.definitions",
        "readiness.i18n"}
DATA = CORE | BASE | {"readiness.models"}

# Package -> the packages of readiness it may import. Packages missing here (the app factory, CLI
# commands, error handlers, security headers) compose everything and may import anything.
MAY_IMPORT: dict[str, set[str]] = {
    "readiness.questionnaire": set(),
    "readiness.domain": {"readiness.questionnaire", "readiness.i18n"},
    "readiness.i18n": {"readiness.config", "readiness.questionnaire"},
    "readiness.extensions": set(),
    "readiness.config": set(),
    "readiness.sqlite": set(),
    "readiness.observability": set(),
    "readiness.definitions": {"readiness.questionnaire"},
    "readiness.models": {"readiness.extensions", "readiness.domain"},
    "readiness.storage": {"readiness.extensions", "readiness.models"},
    "readiness.read": DATA,
    "readiness.reports": DATA | {"readiness.read"},
    "readiness.services": DATA | {"readiness.storage", "readiness.read"},
    "readiness.exports": DATA | {"readiness.read"},
    "readiness.forms": DATA | {"readiness.read", "readiness.reports"},
    "readiness.web": DATA | {"readiness.storage", "readiness.read", "readiness.reports", "readiness.services",
                             "readiness.forms", "readiness.exports", "readiness.security", "readiness.errors"},
}

# Third-party packages a layer must not touch: the core has no web framework and no database,
# the read side renders nothing and reads no request.
FRAMEWORKS = {"flask", "flask_sqlalchemy", "flask_wtf", "flask_babel", "flask_migrate", "werkzeug", "wtforms",
              "sqlalchemy", "jinja2"}
MUST_NOT_USE: dict[str, set[str]] = {
    "readiness.questionnaire": FRAMEWORKS,
    "readiness.domain": FRAMEWORKS,
    "readiness.models": {"flask", "flask_wtf", "werkzeug", "wtforms", "jinja2"},
    "readiness.read": {"flask", "flask_wtf", "werkzeug", "wtforms", "jinja2"},
}

# (importing module, imported module, "module" or "function") -> why it is tolerated for now.
KNOWN: dict[tuple[str, str, str], str] = {
    ("readiness.forms.once", "readiness.services.form_tokens", "module"):
        "a creating form is issued its one-use token by the service that later spends it, so both sides share one rule",
    ("readiness.read.calibration", "readiness.services.results", "module"):
        "calibration reads frozen results with the service's snapshot decoder (anonymity applied); to move to read/",
    ("readiness.questionnaire.xlsform", "readiness.domain.answers", "module"):
        "the XLSForm export writes the answer codes for \"don't know\" and \"not applicable\", defined with the answers",
    ("readiness.questionnaire.kobo_export", "readiness.domain.answers", "module"):
        "the KoboToolbox import reads the same answer codes",
    ("readiness.questionnaire.kobo_export", "readiness.domain.collection", "module"):
        "the KoboToolbox import builds the domain's answer states and normalises text the same way as the web form",
    ("readiness.questionnaire.checks", "readiness.domain.screening", "function"):
        "checking a screening policy needs the facts the screening rules know",
    ("readiness.reports.source", "readiness.services.actions", "module"):
        "the report's read model lives in reports/ and reads actions through the service; to move to read/",
    ("readiness.reports.source", "readiness.services.results", "module"):
        "the report's read model scores a live preview through the service; to move to read/",
    ("readiness.services.actions", "readiness.reports.subjects", "module"):
        "an action created from a flag names its subject as the report does",
    ("readiness.services.scoring", "readiness.reports.text", "module"):
        "the scoring command prints the plain-text report",
    ("readiness.services.paper", "readiness.reports.paper", "module"):
        "a paper form is rendered by the report renderer for paper",
    ("readiness.forms.accounts", "readiness.services.accounts", "module"):
        "the password rules are the account service's, the form shows them while typing",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _imports(path: Path) -> list[tuple[str, str]]:
    """:return: (imported module, "module" or "function") for every import in the file."""
    module = _module_name(path)
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    # Imports under `if TYPE_CHECKING:` at module level count as module level.
    for node in tree.body:
        if isinstance(node, ast.If):
            top |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            # `from readiness.reports import wording` imports the module readiness.reports.wording.
            names = [f"{target}.{alias.name}" if (PACKAGE.parent / f"{target}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()
                     else target for alias in node.names]
        else:
            continue
        found += [(name, "module" if id(node) in top else "function") for name in names]
    return found


def _graph() -> dict[tuple[str, str, str], None]:
    edges: dict[tuple[str, str, str], None] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for imported, where in _imports(path):
            edges[(_module_name(path), imported, where)] = None
    return edges


EDGES = _graph()


def _crossing() -> list[tuple[str, str, str]]:
    return [(src, dst, where) for src, dst, where in EDGES
            if dst.startswith("readiness.") and _package(src) != _package(dst)]


def test_the_graph_is_read_at_all():
    # A parser that found nothing would pass every rule below.
    assert ("readiness.services.results", "readiness.domain.engine", "module") in EDGES
    assert any(where == "function" for _src, _dst, where in EDGES)


def test_every_import_between_packages_follows_the_layers():
    broken = [f"{src} imports {dst} ({where} level)" for src, dst, where in _crossing()
              if _package(src) in MAY_IMPORT and _package(dst) not in MAY_IMPORT[_package(src)]
              and (src, dst, where) not in KNOWN]
    assert not broken, "new imports against the layers of docs/ARCHITECTURE.md:\n" + "\n".join(broken)


# (module, framework) -> why it is tolerated for now.
FRAMEWORK_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("readiness.models.encrypted", "flask"):
        "the encrypted column reads its key from the running app's configuration when a value is bound or loaded",
}


@pytest.mark.parametrize("layer", sorted(MUST_NOT_USE))
def test_a_layer_does_not_use_the_frameworks_it_must_not_know(layer):
    used = sorted({f"{src} imports {dst}" for src, dst, _where in EDGES
                   if _package(src) == layer and dst.split(".")[0] in MUST_NOT_USE[layer]
                   and (src, dst.split(".")[0]) not in FRAMEWORK_EXCEPTIONS})
    assert not used


def test_each_known_exception_still_exists():
    gone = [f"{src} -> {dst} ({where})" for src, dst, where in KNOWN if (src, dst, where) not in EDGES]
    assert not gone, "strike these off KNOWN in tests/test_architecture.py: they are fixed\n" + "\n".join(gone)


def test_no_cycle_between_packages_beyond_the_known_exceptions():
    graph: dict[str, set[str]] = defaultdict(set)
    for src, dst, where in _crossing():
        if (src, dst, where) not in KNOWN:
            graph[_package(src)].add(_package(dst))

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo += graph.get(node, ())
        return False

    cycles = sorted(f"{a} -> {b} -> ... -> {a}" for a in graph for b in graph[a] if reaches(b, a))
    assert not cycles, "import cycles between packages:\n" + "\n".join(cycles)


def test_no_file_cites_a_document_outside_the_repository():
    # The repository travels alone: a comment citing a file it does not carry explains nothing.
    outside = ("DESIGN.md", "STYLE.md", "../shared", "shared/reference", "shared/seeds", "ethics-anchors.md")
    tracked = [path for folder in ("readiness", "tests", "questionnaires", "examples", "bench", "deploy", "templates", "docs")
               for path in (ROOT / folder).rglob("*")
               if path.is_file() and path.suffix in {".py", ".md", ".yaml", ".yml", ".html", ".js", ".css", ".txt", ".conf", ".service"}]
    tracked += [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
    this = Path(__file__).resolve()
    citing = [f"{path.relative_to(ROOT)}: {needle}" for path in tracked if path.resolve() != this
              for needle in outside if needle in path.read_text(encoding="utf-8", errors="replace")]
    assert len(tracked) > 100
    assert not citing
