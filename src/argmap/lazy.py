"""Lazy re-exports for the stage packages (PEP 562).

A package's ``__init__`` names the public names of its modules; a name is imported from
its module the first time it is asked for.  Importing one module of a package (for
example ``argmap.graph.vocab``) then does not import the others, and ``argmap --help``
imports neither rdflib nor spaCy.

>>> getattr_, dir_ = lazy_exports("argmap", {"errors": ("ArgmapError",)})
>>> getattr_("ArgmapError").__name__, "ArgmapError" in dir_()
('ArgmapError', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import import_module

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]) -> tuple[Callable, Callable]:
    """``(__getattr__, __dir__)`` for ``package``, which re-exports ``exports``: {module: names}."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(set(globals_of(package)) | set(where))

    return __getattr__, __dir__


def globals_of(package: str) -> list[str]:
    import sys

    module = sys.modules.get(package)
    return list(vars(module)) if module is not None else []
