"""Query the built graph through one small interface, in memory or in Oxigraph.

:func:`open` returns a store for ``<graphs>/argmap.trig``:

* ``"memory"`` (default): rdflib's in-memory Dataset, its default graph the
  union of the named graphs.  Nothing to install beyond rdflib.
* ``"oxigraph"``: pyoxigraph's on-disk store in ``<graphs>/oxigraph/``, bulk
  loaded from ``argmap.trig`` the first time and again whenever the TriG file
  changes (its size or modification time differ from the ones recorded at
  load).  Its default graph is the merge of the named graphs, as in rdflib.
  Much faster on big graphs, and opens at once after the first load.
* ``"oxigraph-memory"``: the same engine in RAM, loaded on each open (about
  6 s per million triples); its queries are several times faster still.

Both answer :meth:`~MemoryStore.query` with the same
:class:`argmap.query.QueryResult` (rows of rdflib terms), so callers never see
which engine ran.  Parameters are bound as typed RDF terms (rdflib initial
bindings; Oxigraph substitutions, or a VALUES block for variables a query does
not project), never pasted into the query text.

Stores are read-only: a SPARQL Update is refused with :class:`QueryRefused`.
A query that uses ``SERVICE`` would reach the network; :meth:`~MemoryStore.execute`
refuses it when asked (``allow_service=False``, as the HTTP endpoint does).
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Dataset, Literal, URIRef

from ..errors import GraphError, QueryError
from ..graph.vocab import PREFIXES
from ..settings import DEFAULT_STORE, ON_DISK_ABOVE, SERVE_ON_DISK_ABOVE, STORE_CHOICES, STORES, TRIG_NAME
from .base import Answer, StoreResult, _BaseStore, _limited, _new_graph
from .oxigraph_store import OxigraphStore
from .sparql_text import QueryInfo, QueryRefused, check_query, inject_values, inspect_query, tokenize_sparql

__all__ = ["open", "MemoryStore", "OxigraphStore", "StoreResult", "Answer", "QueryRefused", "QueryInfo",
           "inspect_query", "inject_values", "tokenize_sparql", "STORES", "auto_store"]


# --------------------------------------------------------------------------- memory

def _parse_for_rdflib(text: str):
    """Parse with rdflib's parser: (parsed, prepared query) or QueryError with the parser's message."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except Exception as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QueryError(f"malformed SPARQL: {message}") from None
    try:
        prepared = translateQuery(parsed, initNs=PREFIXES)
    except Exception as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None
    return parsed, prepared


class MemoryStore(_BaseStore):
    """rdflib's in-memory Dataset loaded from ``argmap.trig`` (union default graph)."""

    kind = "memory"

    def __init__(self, graphs_dir: Path, dataset: Dataset | None = None) -> None:
        super().__init__(graphs_dir)
        if dataset is None:
            from ..graph.dataset import read_dataset

            dataset = read_dataset(self.graphs_dir / TRIG_NAME)
        self.dataset = dataset

    def execute(self, text: str, bindings: dict | None = None, *, max_rows: int | None = None,
                allow_service: bool = True) -> StoreResult:
        """Run SPARQL ``text`` with ``bindings`` ({Variable: term}); keep at most ``max_rows``."""
        check_query(text, allow_service)
        parsed, prepared = _parse_for_rdflib(text)
        if "datasetClause" in parsed[1]:
            # rdflib would fetch FROM IRIs over the network and copy graphs into the store.
            raise QueryError("FROM / FROM NAMED is not supported by the memory store: "
                             "use GRAPH <iri> { ... } in the query, or --store oxigraph")
        try:
            answer = self.dataset.query(prepared, initBindings=bindings or {})
            if answer.type == "SELECT":
                rows, truncated = _limited((list(row) for row in answer), max_rows)
                return StoreResult([str(v) for v in answer.vars], rows, truncated=truncated)
            if answer.type == "ASK":
                return StoreResult(["ask"], [[Literal(bool(answer.askAnswer))]],
                                   boolean=bool(answer.askAnswer))
            triples, truncated = _limited(iter(answer.graph), max_rows)
            return StoreResult(graph=_new_graph(triples), truncated=truncated)
        except QueryError:
            raise
        except Exception as exc:  # rdflib raises many evaluation error types
            raise QueryError(f"query failed: {exc}") from None

    def named_graphs(self) -> list[URIRef]:
        """The IRIs of the named graphs (one per article, plus the links graph), sorted."""
        return sorted(c.identifier for c in self.dataset.graphs()
                      if isinstance(c.identifier, URIRef) and not str(c.identifier).startswith("urn:x-rdflib:")
                      and len(c))

    def serialize(self, format: str = "trig", graph: str | None = None) -> str:
        """The whole dataset (``trig``, ``nquads``) or one named graph (``turtle``, ``nt``, ...)."""
        if graph is None:
            return self.dataset.serialize(format=format)
        g = _new_graph(self.dataset.graph(URIRef(str(graph))))
        return g.serialize(format=format)


# --------------------------------------------------------------------------- open

def auto_store(graphs_dir: str | os.PathLike, serving: bool = False) -> str:
    """The engine ``"auto"`` means for this graph: Oxigraph in RAM for a small ``argmap.trig``,
    on disk past :data:`~argmap.settings.ON_DISK_ABOVE` bytes (for the endpoint, which loads
    once per worker, past :data:`~argmap.settings.SERVE_ON_DISK_ABOVE`).

    >>> import tempfile
    >>> auto_store(tempfile.mkdtemp())  # no graph yet: opening it will say how to build one
    'oxigraph-memory'
    """
    try:
        size = (Path(graphs_dir) / TRIG_NAME).stat().st_size
    except OSError:
        size = 0
    return "oxigraph" if size > (SERVE_ON_DISK_ABOVE if serving else ON_DISK_ABOVE) else "oxigraph-memory"


def open(graphs_dir: str | os.PathLike = "graphs", store: str = DEFAULT_STORE) -> MemoryStore | OxigraphStore:
    """Open the graph built in ``graphs_dir`` for querying.

    ``store`` is ``"auto"`` (the default: :func:`auto_store` picks one of the others by the
    graph's size), ``"memory"`` (rdflib), ``"oxigraph"`` (on disk in
    ``<graphs_dir>/oxigraph/``, loaded from ``argmap.trig`` when it changed:
    opens at once) or ``"oxigraph-memory"`` (Oxigraph in RAM, loaded on every
    open: the fastest queries).

    >>> import tempfile, argmap.query.store
    >>> from pathlib import Path
    >>> from argmap.graph import to_dataset, write_trig
    >>> from argmap.link import link
    >>> from argmap.model import Article, Claim, Extraction, Span
    >>> body = "Open weights will win. Frontier labs disagree."
    >>> claim = Claim(Span.of(body, 0, 21), camp="open", camp_confidence=0.9, key=True)
    >>> graphs = Path(tempfile.mkdtemp())
    >>> write_trig(to_dataset(link([Extraction(Article("a1", "A title", body), claims=(claim,))])),
    ...            graphs / "argmap.trig")
    >>> with argmap.query.store.open(graphs) as store:
    ...     [row["text"] for row in store.query("claims-by-camp", camp="open").records()]
    ['Open weights will win']
    >>> with argmap.query.store.open(graphs, store="oxigraph") as store:
    ...     store.query("ASK { ?claim a arg:Claim }").boolean
    True
    """
    if store not in STORE_CHOICES:
        raise GraphError(f"unknown store {store!r}: use one of {', '.join(STORE_CHOICES)}")
    if store == "auto":
        store = auto_store(graphs_dir)
    if store in ("oxigraph", "oxigraph-memory"):
        return OxigraphStore(Path(graphs_dir), in_memory=store == "oxigraph-memory")
    return MemoryStore(Path(graphs_dir))


