"""Other SPARQL servers: push the graph to a Graph Store, query a remote endpoint.

:func:`push` writes every named graph of ``<graphs>/argmap.trig`` to a
SPARQL 1.1 Graph Store HTTP Protocol server (``PUT <store>?graph=IRI``,
replacing what the server had under that name).  :func:`query_endpoint` sends
a query to a SPARQL 1.1 Protocol endpoint and returns the same
:class:`~argmap.query.QueryResult` as a local store.  Parameters are bound as
typed terms in a ``VALUES`` block (:func:`argmap.query.store.inject_values`), never
pasted into the text.

Oxigraph, for example: ``oxigraph serve --location DIR --bind 127.0.0.1:7879``
(7878, its default, is ``argmap serve``'s); push to ``http://127.0.0.1:7879/store``,
query ``http://127.0.0.1:7879/query``.  The saved
queries read the default graph, which :func:`push` fills with the merge of
all the graphs.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Variable
from rdflib.query import Result

from ..errors import ArgmapError, QueryError
from ..graph.vocab import PREFIXES
from ..settings import TRIG_NAME
from .saved import QueryResult
from .store import StoreResult, inject_values, inspect_query

__all__ = ["push", "query_endpoint", "PushedGraph", "RemoteError"]

_TABLE_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_GRAPH_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/ld+json;q=0.5"


class RemoteError(ArgmapError):
    """A remote SPARQL server could not be reached or refused the request."""


@dataclass(frozen=True)
class PushedGraph:
    """One graph written to the remote store."""

    graph: str
    triples: int
    status: int


def _client(timeout: float):
    import httpx

    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": "argmap"})


def _explain(exc: Exception, url: str) -> RemoteError:
    return RemoteError(f"cannot reach {url}: {exc}")


def push(graphs_dir: str | os.PathLike, endpoint_url: str, *, default_graph: bool = True,
         timeout: float = 60.0) -> list[PushedGraph]:
    """PUT each named graph to the Graph Store at ``endpoint_url``; return what was written.

    With ``default_graph`` (the default) the server's default graph is replaced
    by the merge of all the graphs (``PUT ?default``), which is what the saved
    queries read; so the server needs no union-default-graph setting (and
    should not have Oxigraph's, which counts a triple once per graph holding it).
    Graphs are sent as N-Triples, one request per graph, so a failure leaves
    the graphs already pushed in place and names the one that failed.
    """
    import httpx

    from ..graph.dataset import read_dataset

    dataset = read_dataset(Path(graphs_dir) / TRIG_NAME)
    graphs = sorted((g for g in dataset.graphs() if len(g) and not str(g.identifier).startswith("urn:x-rdflib:")),
                    key=lambda g: str(g.identifier))
    uploads = [(str(g.identifier), {"graph": str(g.identifier)}, g) for g in graphs]
    if default_graph:
        merged = Graph()
        for g in graphs:
            merged += g
        uploads.append(("default", {"default": ""}, merged))
    pushed = []
    with _client(timeout) as client:
        for name, params, g in uploads:
            body = g.serialize(format="nt", encoding="utf-8")
            try:
                response = client.put(endpoint_url, params=params, content=body,
                                      headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as exc:
                raise _explain(exc, endpoint_url) from None
            if response.status_code >= 300:
                raise RemoteError(f"{endpoint_url} refused graph {name}: HTTP {response.status_code} "
                                  f"{response.text.strip()[:300]}")
            pushed.append(PushedGraph(name, len(g), response.status_code))
    return pushed


def query_endpoint(url: str, text: str, bindings: dict | None = None, *, timeout: float = 60.0) -> QueryResult:
    """Run SPARQL ``text`` at the endpoint ``url`` with ``bindings`` ({Variable or name: rdflib term}).

    Our prefixes (arg:, schema:, oa:, ...) are declared for the remote server,
    which does not know them.
    """
    import httpx

    form = inspect_query(text).form
    bindings = {Variable(str(k)): v for k, v in (bindings or {}).items()}
    text = inject_values(text, bindings)
    # Declared first, so the query's own declarations win (SPARQL lets a prefix be redeclared).
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _TABLE_ACCEPT
    try:
        with _client(timeout) as client:
            response = client.post(url, data={"query": prologue + text}, headers={"Accept": accept})
    except httpx.HTTPError as exc:
        raise _explain(exc, url) from None
    if response.status_code == 400:
        raise QueryError(f"{url} rejected the query: {response.text.strip()[:500]}")
    if response.status_code >= 300:
        raise RemoteError(f"{url} answered HTTP {response.status_code}: {response.text.strip()[:500]}")
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    # argmap serve says so when it cut an answer at its row limit; other servers may cut silently.
    truncated = response.headers.get("x-argmap-truncated", "").lower() == "true"
    if form in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        fmt = {"application/n-triples": "nt", "application/ld+json": "json-ld", "text/plain": "nt"}.get(kind, "turtle")
        try:
            g.parse(data=response.content, format=fmt)
        except Exception as exc:
            raise RemoteError(f"cannot read the graph {url} returned ({kind}): {exc}") from None
        return StoreResult(graph=g, truncated=truncated)
    fmt = "xml" if "xml" in kind else "json"
    try:
        parsed = Result.parse(io.BytesIO(response.content), format=fmt)
    except Exception as exc:
        raise RemoteError(f"cannot read the results {url} returned ({kind}): {exc}") from None
    if parsed.type == "ASK":
        answer = bool(parsed.askAnswer)
        return StoreResult(["ask"], [[Literal(answer)]], boolean=answer)
    columns = [str(v) for v in parsed.vars]
    rows = [[binding.get(Variable(c)) for c in columns] for binding in parsed.bindings]
    return StoreResult(columns, rows, truncated=truncated)
