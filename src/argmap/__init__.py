"""argmap: an argument-mapping knowledge graph from a corpus of debate articles.

The stages are plain functions (corpus → extract → link → graph); the query
layer opens a built graph::

    >>> import argmap
    >>> graph = argmap.open("graphs")                                 # doctest: +SKIP
    >>> rows = graph.query("claims-by-camp", camp="open").records()   # doctest: +SKIP
"""

from .errors import ArgmapError
from .settings import VERSION as __version__

__all__ = ["open", "ArgmapError", "__version__"]


def __getattr__(name: str):
    # `open` loads rdflib and the store engines: only when it is used, so that importing
    # any part of argmap (the CLI's start-up among them) does not pay for it.
    if name == "open":
        from .query.store import open

        return open
    raise AttributeError(f"module 'argmap' has no attribute {name!r}")
