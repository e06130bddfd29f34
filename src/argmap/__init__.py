"""argmap: an argument-mapping knowledge graph from a corpus of debate articles.

The stages are plain functions (corpus → extract → link → graph); a
:class:`Workspace` is the one handle on a corpus folder and its graphs folder, and
the query layer opens a built graph::

    >>> import argmap
    >>> argmap.Workspace("corpus", "graphs").build()                  # doctest: +SKIP
    >>> graph = argmap.open("graphs")                                 # doctest: +SKIP
    >>> rows = graph.query("claims-by-camp", camp="open").records()   # doctest: +SKIP
"""

from .errors import ArgmapError
from .settings import VERSION as __version__

__all__ = ["open", "Workspace", "ArgmapError", "__version__"]


def __getattr__(name: str):
    # `open` loads rdflib and the store engines, `Workspace` the workspace package: only
    # when used, so that importing any part of argmap (the CLI's start-up among them)
    # does not pay for them.
    if name == "open":
        from .query.store import open

        return open
    if name == "Workspace":
        from .workspace.handle import Workspace

        return Workspace
    raise AttributeError(f"module 'argmap' has no attribute {name!r}")
