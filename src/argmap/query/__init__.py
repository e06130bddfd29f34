"""The query stage: saved queries, the stores that answer SPARQL over a built graph
(rdflib in memory, Oxigraph in RAM or on disk), remote endpoints, answer formats.

Modules: :mod:`.saved` (saved queries, :func:`run_query`), :mod:`.store` (``open``,
the memory store), :mod:`.base` (what the stores share), :mod:`.oxigraph_store`,
:mod:`.sparql_text` (reading query text), :mod:`.results` (answer formats),
:mod:`.remote` (SPARQL endpoints elsewhere), :mod:`.tracker` (the forecast tracker).
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "saved": ("SavedQuery", "QueryResult", "saved_queries", "resolve_query", "run_query", "bind_params",
              "term_to_python", "compact"),
    "base": ("Answer", "StoreResult"),
    "store": ("MemoryStore", "auto_store", "STORES"),
    "oxigraph_store": ("OxigraphStore",),
    "sparql_text": ("QueryRefused", "QueryInfo", "inspect_query"),
    "remote": ("push", "query_endpoint", "PushedGraph", "RemoteError"),
    "tracker": ("TRACKER_COLUMNS", "tracked_forecasts"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
