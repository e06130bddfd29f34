"""What the stores share: their answers (:class:`Answer`, :class:`StoreResult`) and the
base class that resolves saved queries and binds parameters.  :mod:`.store` (rdflib in
memory, :func:`~argmap.query.store.open`) and :mod:`.oxigraph_store` both build on it, so
neither imports the other's module to get them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from ..graph.vocab import PREFIXES
from ..settings import TRIG_NAME
from .saved import QueryResult, SavedQuery, bind_params, resolve_query, saved_queries

__all__ = ["Answer", "StoreResult"]


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
        :data:`argmap.query.results.TABLE_FORMATS` or ``GRAPH_FORMATS``), as the endpoint sends it."""
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
