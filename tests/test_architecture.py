"""The house: data flows one way (text → reading → indicator → score → report → writer). Readers sit
below the engine, writers above the report; no import cycle; no module over 450 lines; the README's
Layout names every module and package."""

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "scoring"
LIMIT = 450


def _module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The scoring modules ``name`` imports, anywhere in it (inside functions too)."""
    path = MODULES[name]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found |= {f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
                      for alias in node.names}
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


ABOVE_THE_ENGINE = ("scoring.engine", "scoring.report", "scoring.scores", "scoring.explanations", "scoring.writers",
                    "scoring.api", "scoring.chunks", "scoring.cli", "scoring.check", "scoring.dask", "scoring.template")
RULES = [
    ("scoring.readers", ABOVE_THE_ENGINE),
    ("scoring.engine", ("scoring.readers", "scoring.writers", "scoring.api", "scoring.chunks", "scoring.cli",
                        "scoring.report", "scoring.scores", "scoring.check", "scoring.dask", "scoring.template")),
    ("scoring.report", ("scoring.writers", "scoring.readers", "scoring.api", "scoring.chunks", "scoring.cli")),
    ("scoring.review", ("scoring.readers", "scoring.writers", "scoring.api", "scoring.cli", "scoring.report")),
    ("scoring.monitor", ("scoring.readers", "scoring.writers", "scoring.api", "scoring.cli", "scoring.report")),
    ("scoring.scores", ("scoring.writers", "scoring.readers", "scoring.api", "scoring.cli", "scoring.engine")),
    ("scoring._columnar", tuple(m for m in MODULES if not _within(m, "scoring._columnar") and m != "scoring")),
]


def _wrong(graph: dict[str, set[str]], layer: str, forbidden: tuple[str, ...]) -> list[tuple[str, str]]:
    return sorted((name, target) for name, targets in graph.items() if _within(name, layer)
                  for target in targets if _within(target, *forbidden))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    return cycles


@pytest.mark.parametrize("layer, forbidden", RULES, ids=[layer for layer, _ in RULES])
def test_imports_go_one_way(layer, forbidden):
    assert not _wrong(GRAPH, layer, forbidden), f"{layer} must not import these"


def test_there_is_no_import_cycle():
    assert not _cycles(GRAPH)


def test_the_checks_see_a_cycle_and_a_wrong_direction():
    drawn = {"scoring.readers.flat": {"scoring.report"}, "scoring.report": {"scoring.explanations"},
             "scoring.explanations": {"scoring.report"}}
    assert _cycles(drawn) == [["scoring.explanations", "scoring.report"]]
    assert _wrong(drawn, "scoring.readers", ABOVE_THE_ENGINE) == [("scoring.readers.flat", "scoring.report")]
    assert "scoring.report" in GRAPH["scoring.writers"] and "scoring.columns" in GRAPH["scoring.readers.flat"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_the_limit(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{MODULES[name].relative_to(ROOT)} has {lines} lines"


def test_the_readme_layout_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = re.search(r"## Layout\n.*?```\n(.*?)```", readme, re.S).group(1)
    named = set(re.findall(r"[a-z_]+(?=[,\s/:)]|$)", layout, re.M))
    for name in MODULES:
        leaf = name.split(".")[-1]
        if name not in ("scoring", "scoring.__main__"):
            assert leaf in named, f"README Layout does not name {name}"
