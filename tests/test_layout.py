"""The layout of the source tree (issue 18): a few base modules at the top of
``src/argmap`` and a package per stage, importing one way only.

The flow, lowest first; a package may import only the ones before it::

    base (model, errors, settings, fsutil, lazy) <- corpus <- extract <- link <- graph
        <- query <- view <- workspace <- serve | evaluate <- cli

``serve`` and ``evaluate`` stand side by side (neither imports the other).  The
package's own ``__init__`` and ``__main__`` (``argmap.open``, ``argmap.Workspace``,
``python -m argmap``) are the face over everything and may import any stage.

Every import counts, those inside functions too (the lazy ones that keep start-up
fast): a lazy import upward is still an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

SRC = ROOT / "src" / "argmap"

BASE = ("model", "errors", "settings", "fsutil", "lazy")
LAYERS = [("base",), ("corpus",), ("extract",), ("link",), ("graph",), ("query",), ("view",), ("workspace",),
          ("serve", "evaluate"), ("cli",)]
FACE = ("__init__", "__main__")
MAX_TOP_MODULES = 8


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(root: Path, eager: bool = False) -> dict[str, set[str]]:
    """{module: the argmap modules it imports} for every module under ``root`` (the
    ``argmap`` package folder), from its source with ``ast``.  ``eager``: only the
    imports at module level (those that run when the module is imported)."""
    names = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    found: dict[str, set[str]] = {}
    for name, path in names.items():
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets = set()
        for node in (tree.body if eager else ast.walk(tree)):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.split(".")[0] == root.name}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if module.split(".")[0] != root.name:
                    continue
                for alias in node.names:  # `from . import layout` imports a module
                    sub = f"{module}.{alias.name}"
                    targets.add(sub if sub in names else module)
        found[name] = {t for t in targets if t != name}
    return found


def unit(module: str) -> str:
    """The package or base module a module belongs to: ``argmap.graph.vocab`` -> ``graph``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    top = parts[1]
    return "base" if top in BASE else top


def layer(name: str) -> int:
    if name in FACE:
        return len(LAYERS)
    for n, names in enumerate(LAYERS):
        if name in names:
            return n
    raise AssertionError(f"argmap.{name} is in no layer of the flow: add it to tests/test_layout.py")


def unit_graph(found: dict[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, targets in found.items():
        graph.setdefault(unit(module), set()).update(unit(t) for t in targets if unit(t) != unit(module))
    return graph


def upward(found: dict[str, set[str]]) -> list[str]:
    """Every import of a package by one below it (or beside it) in the flow."""
    wrong = []
    for module, targets in sorted(found.items()):
        for target in sorted(targets):
            a, b = unit(module), unit(target)
            if a != b and a not in FACE and layer(b) >= layer(a):
                wrong.append(f"{module} imports {target} ({a} may not import {b})")
    return wrong


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` ({node: successors}), or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


# ---------------------------------------------------------------- the tree itself

def test_at_most_eight_modules_at_the_top_of_the_package():
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    assert {p.stem for p in SRC.glob("*.py")} <= set(BASE) | set(FACE), top


def test_every_package_is_a_stage_of_the_flow():
    for path in sorted(SRC.iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            layer(path.name)


def test_no_package_imports_one_above_it():
    assert upward(imports(SRC)) == []


def test_no_import_cycle_between_packages():
    assert cycle(unit_graph(imports(SRC))) is None


def test_no_import_cycle_between_modules_at_import_time():
    """store <-> oxigraph_store was one; lazy imports inside a package may go both ways."""
    graph = imports(SRC, eager=True)
    for module, targets in graph.items():  # importing a submodule runs its package first
        targets.discard(module.rpartition(".")[0])
    assert cycle(graph) is None


def test_the_cache_keys_name_files_that_exist():
    """The keys hash module sources by path: a module that moved must not drop out."""
    from argmap.workspace import graphdir, statedb

    for pattern in (*graphdir.EXTRACTOR_SOURCES, *graphdir.GRAPH_SOURCES, *graphdir.LINK_SOURCES,
                    *statedb.STATE_SOURCES):
        assert list(SRC.glob(pattern)), pattern


def test_every_name_a_package_re_exports_is_there():
    import importlib

    for path in sorted(SRC.glob("*/__init__.py")):
        package = importlib.import_module(f"argmap.{path.parent.name}")
        for name in getattr(package, "__all__", ()):
            assert getattr(package, name) is not None, f"argmap.{path.parent.name}.{name}"
            assert name in dir(package)


def test_the_public_names_the_readme_documents_resolve():
    import importlib
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| stage | functions |"):].split("\n\n", 1)[0]
    for row in table.splitlines()[2:]:
        names = re.findall(r"`([\w.]+)`", row)
        module = None
        for name in names:
            if name.startswith("argmap."):
                module_name, _, attr = name.rpartition(".")
                module = importlib.import_module(module_name)
            else:
                attr = name
            assert callable(getattr(module, attr)), f"{module.__name__}.{attr}"


# ---------------------------------------------------------------- the checker itself

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "argmap"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.mark.parametrize("text", ["from ..view import page\n", "def f():\n    from ..view.page import build_view\n",
                                  "import argmap.view.page\n"])
def test_the_checker_finds_an_upward_import(tmp_path, text):
    root = _tree(tmp_path, {"__init__.py": "", "graph/__init__.py": "", "graph/dataset.py": text,
                            "view/__init__.py": "", "view/page.py": "from ..graph import dataset\n"})
    found = imports(root)
    assert upward(found) == ["argmap.graph.dataset imports argmap.view.page (graph may not import view)"]
    assert cycle(unit_graph(found)) == ["graph", "view", "graph"]


def test_the_checker_lets_a_stage_import_the_ones_below(tmp_path):
    root = _tree(tmp_path, {"__init__.py": "from .view import page\n", "errors.py": "",
                            "graph/__init__.py": "", "graph/dataset.py": "from ..errors import X\n",
                            "view/__init__.py": "", "view/page.py": "from ..graph import dataset\nfrom . import layout\n",
                            "view/layout.py": ""})
    found = imports(root)
    assert found["argmap.view.page"] == {"argmap.graph.dataset", "argmap.view.layout"}
    assert upward(found) == [] and cycle(unit_graph(found)) is None
