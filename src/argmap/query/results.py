"""SPARQL result formats and content negotiation (the endpoint's output side).

SELECT and ASK answers are written as SPARQL 1.1 Query Results JSON, XML,
CSV or TSV; CONSTRUCT and DESCRIBE answers as Turtle, JSON-LD, N-Triples or
RDF/XML.  :func:`negotiate` picks one from an HTTP ``Accept`` header (or an
explicit ``format=`` name), :func:`render` writes it.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef

from .saved import QueryResult

__all__ = ["TABLE_FORMATS", "GRAPH_FORMATS", "NotAcceptable", "negotiate", "render", "media_type"]

# name -> (media type, other media types that mean the same)
TABLE_FORMATS = {
    "json": ("application/sparql-results+json", ("application/json", "text/javascript", "application/javascript")),
    "xml": ("application/sparql-results+xml", ("application/xml", "text/xml")),
    "csv": ("text/csv", ()),
    "tsv": ("text/tab-separated-values", ("text/tsv",)),
}
GRAPH_FORMATS = {
    "turtle": ("text/turtle", ("application/turtle", "application/x-turtle")),
    "json-ld": ("application/ld+json", ("application/x-json+ld", "application/json")),
    "nt": ("application/n-triples", ("text/plain",)),
    "xml": ("application/rdf+xml", ("application/xml", "text/xml")),
}
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt", "xml": "xml"}


class NotAcceptable(Exception):
    """No format the client accepts can express this kind of answer."""


def _formats(form: str) -> dict:
    return GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else TABLE_FORMATS


def media_type(form: str, name: str) -> str:
    """The media type of format ``name`` for a query of ``form`` (with charset for text types)."""
    base = _formats(form)[name][0]
    return f"{base}; charset=utf-8" if base.startswith("text/") else base


def _accepted(header: str) -> list[str]:
    """Media ranges of an Accept header, best first (ties keep their order)."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((-q, position, fields[0].lower()))
    return [r[2] for r in sorted(ranges)]


def negotiate(form: str, accept: str | None = None, format: str | None = None) -> str:
    """The format name to answer a ``form`` query with.

    ``format`` (a name such as ``csv``, or a media type) overrides ``accept``.

    >>> negotiate("SELECT", "text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> negotiate("CONSTRUCT", "application/ld+json")
    'json-ld'
    >>> negotiate("ASK", None, "tsv")
    'tsv'
    """
    formats = _formats(form)
    if format:
        key = format.lower().strip()
        if key in formats:
            return key
        for name, (main, aliases) in formats.items():
            if key == main or key in aliases:
                return name
        raise NotAcceptable(f"format {format!r} cannot express a {form} answer: use one of {', '.join(formats)}")
    default = next(iter(formats))
    if not accept:
        return default
    for wanted in _accepted(accept):
        if wanted in ("*/*", "*"):
            return default
        for key, (main, aliases) in formats.items():
            if wanted == main or wanted in aliases:
                return key
        if wanted.endswith("/*"):
            family = wanted[:-1]
            for key, (main, _) in formats.items():
                if main.startswith(family):
                    return key
    offered = ", ".join(main for main, _ in formats.values())
    raise NotAcceptable(f"cannot answer a {form} query as {accept}: acceptable types are {offered}")


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if isinstance(term, Literal) and term.language:
        return f'"{text}"@{term.language}'
    if isinstance(term, Literal) and term.datatype:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def render(result: QueryResult, name: str) -> bytes:
    """Write ``result`` in format ``name`` (see :data:`TABLE_FORMATS`, :data:`GRAPH_FORMATS`).

    >>> from rdflib import Literal
    >>> r = QueryResult(["n"], [[Literal(1)]])
    >>> render(r, "csv")
    b'n\\r\\n1\\r\\n'
    >>> render(r, "tsv")
    b'?n\\n"1"^^<http://www.w3.org/2001/XMLSchema#integer>\\n'
    """
    if result.graph is not None:
        return result.graph.serialize(format=_RDFLIB_GRAPH_FORMAT[name], encoding="utf-8")
    if name == "json":
        if result.boolean is not None:
            return json.dumps({"head": {}, "boolean": result.boolean}).encode("utf-8")
        bindings = [{c: _json_term(v) for c, v in zip(result.columns, row) if v is not None} for row in result.rows]
        doc = {"head": {"vars": result.columns}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if name == "xml":
        return result.raw.serialize(format="xml", encoding="utf-8")
    if result.boolean is not None:
        # The CSV/TSV results formats do not define ASK: answer the bare boolean, as Oxigraph
        # does, so that every store and the endpoint give the same bytes.
        return f"{str(result.boolean).lower()}\n".encode("utf-8")
    if name == "tsv":
        lines = ["\t".join(f"?{c}" for c in result.columns)]
        lines += ["\t".join(_tsv_term(v) for v in row) for row in result.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([[_csv_term(v) for v in row] for row in result.rows])
    return out.getvalue().encode("utf-8")
