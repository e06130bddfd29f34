"""argmap: an argument-mapping knowledge graph from a corpus of debate articles.

The stages are plain functions (corpus → extract → link → graph); the query
layer opens a built graph::

    >>> import argmap
    >>> graph = argmap.open("graphs")                                 # doctest: +SKIP
    >>> rows = graph.query("claims-by-camp", camp="open").records()   # doctest: +SKIP
"""

from .errors import ArgmapError
from .store import open

__version__ = "0.1.0"

__all__ = ["open", "ArgmapError", "__version__"]
