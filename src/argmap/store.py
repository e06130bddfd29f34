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
import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from .errors import GraphError, QueryError
from .query import QueryResult, SavedQuery, bind_params, resolve_query, saved_queries
from .sparql_text import QueryInfo, QueryRefused, check_query, inject_values, inspect_query, tokenize_sparql
from .settings import DEFAULT_STORE, ON_DISK_ABOVE, SERVE_ON_DISK_ABOVE, STORE_CHOICES, STORES, TRIG_NAME
from .vocab import PREFIXES

__all__ = ["open", "MemoryStore", "OxigraphStore", "StoreResult", "Answer", "QueryRefused", "QueryInfo",
           "inspect_query", "inject_values", "tokenize_sparql", "STORES", "TRIG_NAME", "auto_store"]



@dataclass(frozen=True)
class Answer:
    """A query's answer written out for a client: the bytes, the rows (or triples) in
    them, and whether ``max_rows`` cut it short."""

    body: bytes
    rows: int
    truncated: bool = False


@dataclass
class StoreResult(QueryResult):
    """A :class:`~argmap.query.QueryResult` that also says whether ``max_rows`` cut it short."""

    truncated: bool = False

    def __post_init__(self) -> None:
        if self.raw is None:
            self.raw = _rdflib_result(self)


# --------------------------------------------------------------------------- results

def _rdflib_result(result: QueryResult) -> Result:
    """An rdflib Result holding the same answer, so ``raw.serialize(format=...)`` works."""
    if result.graph is not None:
        raw = Result("CONSTRUCT")
        raw.graph = result.graph
        return raw
    if result.boolean is not None:
        raw = Result("ASK")
        raw.askAnswer = result.boolean
        return raw
    raw = Result("SELECT")
    raw.vars = [Variable(c) for c in result.columns]
    raw.bindings = [{Variable(c): v for c, v in zip(result.columns, row) if v is not None}
                    for row in result.rows]
    return raw


def _limited(items, max_rows: int | None) -> tuple[list, bool]:
    if max_rows is None:
        return list(items), False
    kept = list(islice(items, max_rows + 1))
    return kept[:max_rows], len(kept) > max_rows


def _new_graph(triples) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for triple in triples:
        g.add(triple)
    return g


class _BaseStore:
    """What both stores share: resolving saved queries and binding parameters."""

    kind = ""

    def __init__(self, graphs_dir: Path) -> None:
        self.graphs_dir = Path(graphs_dir)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.graphs_dir / TRIG_NAME}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (files, locks); it cannot be queried afterwards."""

    def query(self, text_or_name: str, **params: object) -> StoreResult:
        """Run a saved query (by name), a ``.rq`` file or SPARQL text; keyword arguments
        are the query's parameters (``year=2030``, ``camp="open"``), bound as typed terms."""
        saved = _resolve(text_or_name)
        if saved is not None:  # typed by the query's declarations
            return self.execute(saved.text, bind_params(saved, {k: _param_text(v) for k, v in params.items()}))
        terms = {k: v for k, v in params.items() if isinstance(v, (URIRef, Literal, BNode))}
        bindings = bind_params(None, {k: _param_text(v) for k, v in params.items() if k not in terms})
        bindings.update({Variable(k): v for k, v in terms.items()})
        return self.execute(text_or_name, bindings)

    def execute(self, text: str, bindings: dict | None = None, *, max_rows: int | None = None,
                allow_service: bool = True) -> StoreResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def answer(self, text: str, bindings: dict | None = None, *, format: str = "json",
               max_rows: int | None = None, allow_service: bool = True) -> Answer:
        """Run SPARQL ``text`` and write its answer in ``format`` (a name from
        :data:`argmap.results.TABLE_FORMATS` or ``GRAPH_FORMATS``), as the endpoint sends it."""
        from .results import render

        result = self.execute(text, bindings, max_rows=max_rows, allow_service=allow_service)
        count = len(result.graph) if result.graph is not None else len(result.rows)
        return Answer(render(result, format), count, result.truncated)

    def named_graphs(self) -> list[URIRef]:  # pragma: no cover - abstract
        raise NotImplementedError

    def serialize(self, format: str = "trig", graph: str | None = None) -> str:  # pragma: no cover
        raise NotImplementedError


def _param_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _resolve(text_or_name: str) -> SavedQuery | None:
    """A saved query or .rq file when the argument looks like a name or path, else None (SPARQL text)."""
    if text_or_name in saved_queries():
        return saved_queries()[text_or_name]
    if re.fullmatch(r"[\w./\\-]+", text_or_name.strip()):
        return resolve_query(text_or_name.strip())
    return None


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
            from .graph import read_dataset

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

    >>> import tempfile, argmap.store
    >>> from pathlib import Path
    >>> from argmap.graph import to_dataset, write_trig
    >>> from argmap.link import link
    >>> from argmap.model import Article, Claim, Extraction, Span
    >>> body = "Open weights will win. Frontier labs disagree."
    >>> claim = Claim(Span.of(body, 0, 21), camp="open", camp_confidence=0.9, key=True)
    >>> graphs = Path(tempfile.mkdtemp())
    >>> write_trig(to_dataset(link([Extraction(Article("a1", "A title", body), claims=(claim,))])),
    ...            graphs / "argmap.trig")
    >>> with argmap.store.open(graphs) as store:
    ...     [row["text"] for row in store.query("claims-by-camp", camp="open").records()]
    ['Open weights will win']
    >>> with argmap.store.open(graphs, store="oxigraph") as store:
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


from .oxigraph_store import OxigraphStore  # noqa: E402  (it builds on the classes above)
