"""The tree shows the architecture: one subpackage per layer, imports one way, no circles.

Every module's imports are read with ``ast`` (those inside functions too: a lazy import is
still a dependency), and checked against the layer order written down here, which is the
order of ``docs/internals.md``. A layer may import the layers below it and itself; siblings
on one rank (``critical`` and ``numeric``, ``analysis`` and ``check``) may not import each
other; nothing imports the public faces (``symgd/__init__.py``, ``optim.py``, ...) or the
command line.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symgd"

#: Bottom to top. A module belongs to the entry that is the longest prefix of its name.
LAYERS = [
    ("symgd.errors",),
    ("symgd.budget",),
    ("symgd.files",),
    ("symgd.expr",),
    ("symgd.critical", "symgd.numeric"),
    ("symgd.constrained",),  # Lagrange / KKT points and regions, built on critical/
    ("symgd.working",),
    ("symgd.plot",),
    ("symgd.descent",),
    ("symgd.learning",),
    ("symgd.analysis", "symgd.check"),
    ("symgd.playground",),
    ("symgd.cli",),
    # The public faces: the package itself and the documented short import paths.
    ("symgd", "symgd.__main__", "symgd.optim", "symgd.schedules", "symgd.datasets"),
]
FACES = set(LAYERS[-1])

#: Inside ``critical``, data flows records -> domain -> solve -> classify -> points.
CRITICAL_ORDER = ["records", "domain", "kinks", "solve", "classify", "points"]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every symgd module ``name`` imports, resolved to modules (``from a import b`` gives
    ``a.b`` when that is a module, else ``a``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "symgd")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "symgd":
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in MODULES else target)
    return found - {name}


def _with_parents(target: str, importer: str) -> set[str]:
    """Importing a.b.c runs a/__init__ and a/b/__init__ first: those are dependencies too
    (except the root package, which is always imported first, and the importer's own
    packages, which are already running)."""
    parts = target.split(".")
    out = {target}
    for k in range(2, len(parts)):
        parent = ".".join(parts[:k])
        if not (importer == parent or importer.startswith(parent + ".")):
            out.add(parent)
    return out


GRAPH = {name: set().union(*[_with_parents(t, name) for t in _imports(name, path)] or [set()])
         for name, path in MODULES.items()}


def _layer(name: str) -> tuple[int, str]:
    best = max((entry for rank in LAYERS for entry in rank
                if name == entry or name.startswith(entry + ".")), key=len)
    return next(i for i, rank in enumerate(LAYERS) if best in rank), best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_layer_table_covers_every_module():
    assert len(MODULES) > 60
    for name in MODULES:
        _layer(name)  # raises if no layer claims it


def test_no_import_circle_between_modules():
    assert _cycles(GRAPH) == []


def test_no_import_circle_between_subpackages():
    packages = defaultdict(set)
    for name, targets in GRAPH.items():
        source = _layer(name)[1]
        packages[source].update(_layer(t)[1] for t in targets if _layer(t)[1] != source)
    assert _cycles(packages) == []


def _upward(name: str, target: str) -> bool:
    (rank, layer), (target_rank, target_layer) = _layer(name), _layer(target)
    if layer in FACES:
        return target_layer in FACES and name != "symgd" and target != "symgd.cli"
    if target_layer in FACES:
        return True  # inside the layers, nothing imports the public faces
    return target_rank > rank or (target_rank == rank and target_layer != layer)


def test_every_import_goes_down_the_layer_order():
    upward = sorted(f"{name} -> {t}" for name, targets in GRAPH.items() for t in targets
                    if _upward(name, t))
    assert upward == []


def test_inside_critical_data_flows_records_domain_solve_classify_points():
    def step(name: str) -> int:
        parts = name.split(".")
        return CRITICAL_ORDER.index(parts[2]) if len(parts) > 2 else len(CRITICAL_ORDER)

    wrong = sorted(f"{name} -> {t}" for name, targets in GRAPH.items()
                   if name.startswith("symgd.critical.") for t in targets
                   if t.startswith("symgd.critical.") and step(t) > step(name))
    assert wrong == []


@pytest.mark.parametrize("mistake", [
    ("symgd.expr.parse", "symgd.critical.records"),     # up two layers
    ("symgd.numeric.compile", "symgd.critical.points"),  # a sibling on the same rank
    ("symgd.analysis.report", "symgd"),                  # a public face
])
def test_the_rules_catch_an_upward_import(mistake):
    assert _upward(*mistake)


def test_the_cycle_finder_finds_a_planted_circle():
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["symgd.expr.calculus"].add("symgd.descent.engine")
    assert any("symgd.expr.calculus" in c for c in _cycles(graph))


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_optional_packages_are_imported_lazily_and_matplotlib_only_by_plot():
    optional = {"matplotlib", "tqdm", "dask", "distributed", "zarr", "selenium"}
    eager = sorted(f"{name}: {sorted(_top_level_imports(path) & optional)}"
                   for name, path in MODULES.items() if _top_level_imports(path) & optional)
    assert eager == []
    for name, path in MODULES.items():
        uses = "import matplotlib" in path.read_text(encoding="utf-8")
        assert not uses or name.startswith("symgd.plot."), name
