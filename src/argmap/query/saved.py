"""Saved SPARQL queries and running queries with safely bound parameters.

Saved queries are ``.rq`` files in ``argmap/data/queries``.  Their header
comment says what the query answers (first line ``# name: description``) and
declares parameters (``# param: year xsd:gYear The year ...``).  Parameters are
bound as typed RDF terms through the SPARQL engine's initial bindings, never
pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery

from ..errors import QueryError
from ..graph.vocab import ARG, ID, XSD

__all__ = ["SavedQuery", "QueryResult", "saved_queries", "resolve_query", "run_query", "bind_params",
           "term_to_python", "compact"]

_XSD_TYPES = {"xsd:integer": XSD.integer, "xsd:gYear": XSD.gYear, "xsd:decimal": XSD.decimal,
              "xsd:double": XSD.double, "xsd:string": XSD.string, "xsd:date": XSD.date,
              "xsd:boolean": XSD.boolean}


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # an xsd:* name from _XSD_TYPES, "iri" or "camp"
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    text: str
    path: str = ""
    params: tuple[Param, ...] = ()


@dataclass
class QueryResult:
    """Rows of a SELECT (``columns``/``rows`` of rdflib terms) or a graph (CONSTRUCT/DESCRIBE)."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    graph: object = None
    boolean: bool | None = None
    raw: object = None

    def records(self) -> list[dict[str, object]]:
        """Rows as dicts of plain Python values."""
        return [{c: term_to_python(v) for c, v in zip(self.columns, row)} for row in self.rows]


def _parse_header(text: str, fallback: str) -> tuple[str, str, tuple[Param, ...]]:
    name, description, params = fallback, "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("param:"):
            parts = body[len("param:"):].split(None, 2)
            if len(parts) >= 2:
                params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        elif not description and ":" in body:
            head, desc = body.split(":", 1)
            name, description = head.strip() or fallback, desc.strip()
    return name, description, tuple(params)


def _load(path: Path | object, fallback: str) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    name, description, params = _parse_header(text, fallback)
    return SavedQuery(fallback, description, text, str(path), params)


def saved_queries() -> dict[str, SavedQuery]:
    """The queries shipped with argmap, by name.

    >>> sorted(saved_queries())[:3]
    ['agreement', 'bridges', 'camp-contrasts']
    """
    folder = files("argmap") / "data" / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".rq"):
            stem = entry.name[:-3]
            found[stem] = _load(entry, stem)
    return found


def resolve_query(name_or_path: str) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file by path."""
    queries = saved_queries()
    if name_or_path in queries:
        return queries[name_or_path]
    path = Path(name_or_path)
    if path.suffix in (".rq", ".sparql") or path.exists():
        if not path.is_file():
            raise QueryError(f"no query file {path}")
        return _load(path, path.stem)
    known = ", ".join(sorted(queries))
    raise QueryError(f"unknown query {name_or_path!r}: use one of {known}, a .rq file or --sparql")


def _typed(param: Param | None, raw: str) -> object:
    kind = param.type if param else ""
    if kind == "camp":
        if raw not in ("closed", "open", "both"):
            raise QueryError(f"parameter {param.name} must be closed, open or both, not {raw!r}")
        return ARG[raw]
    if kind == "iri":
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", raw):
            raise QueryError(f"parameter {param.name} must be an IRI, not {raw!r}")
        return URIRef(raw)
    if kind in ("xsd:integer", "xsd:gYear"):
        if not re.fullmatch(r"-?\d+", raw):
            raise QueryError(f"parameter {param.name} must be a whole number, not {raw!r}")
        return Literal(raw, datatype=_XSD_TYPES[kind])
    if kind in ("xsd:decimal", "xsd:double"):
        try:
            float(raw)
        except ValueError:
            raise QueryError(f"parameter {param.name} must be a number, not {raw!r}") from None
        return Literal(raw, datatype=_XSD_TYPES[kind])
    if kind in _XSD_TYPES:
        return Literal(raw, datatype=_XSD_TYPES[kind])
    # Undeclared: integers stay integers, anything else is a plain string literal.
    if re.fullmatch(r"-?\d+", raw):
        return Literal(int(raw))
    return Literal(raw)


def bind_params(query: SavedQuery | None, params: dict[str, str]) -> dict[Variable, object]:
    """Typed initial bindings for ``--param name=value`` pairs.

    >>> q = SavedQuery("q", "", "SELECT * {}", params=(Param("year", "xsd:gYear"),))
    >>> bind_params(q, {"year": "2030"})[Variable("year")].datatype.endswith("gYear")
    True
    """
    declared = {p.name: p for p in (query.params if query else ())}
    bindings = {}
    for name, raw in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}")
        if query is not None and name not in declared:
            takes = f"it takes: {', '.join(declared)}" if declared else "it takes no parameters"
            raise QueryError(f"query {query.name} takes no parameter {name!r} ({takes})")
        bindings[Variable(name)] = _typed(declared.get(name), raw)
    missing = [n for n in declared if n not in params]
    if missing and query is not None and "OPTIONAL-PARAMS" not in query.text:
        raise QueryError(f"query {query.name} needs --param {missing[0]}=VALUE")
    return bindings


def check_syntax(text: str) -> None:
    """Raise QueryError with the parser's message if ``text`` is not SPARQL 1.1 Query."""
    try:
        parseQuery(text)
    except Exception as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QueryError(f"malformed SPARQL: {message}") from None


def run_query(dataset, text: str, bindings: dict | None = None) -> QueryResult:
    """Run a SPARQL query on an rdflib Dataset (its default graph is the union)."""
    check_syntax(text)
    try:
        result = dataset.query(text, initBindings=bindings or {})
    except Exception as exc:
        raise QueryError(f"query failed: {exc}") from None
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars]
        return QueryResult(columns, [list(row) for row in result], raw=result)
    if result.type == "ASK":
        return QueryResult(["ask"], [[Literal(result.askAnswer)]], boolean=bool(result.askAnswer), raw=result)
    return QueryResult(graph=result.graph, raw=result)


def term_to_python(term: object) -> object:
    """A plain value for an RDF term: numbers, booleans and strings; IRIs as strings."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if term.datatype == XSD.gYear:
            return int(str(term))
        return value if isinstance(value, (int, float, bool, str)) else str(term)
    return str(term)


def compact(term: object) -> str:
    """Short display form for tables: vocabulary IRIs by local name (arg:closed →
    closed), argmap's own node IRIs with the ``id:`` prefix.

    >>> compact(ARG.closed)
    'closed'
    >>> compact(ID["claim/1f2e"])
    'id:claim/1f2e'
    """
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(str(ARG._NS)):
        return text[len(str(ARG._NS)):]
    if isinstance(term, URIRef) and text.startswith(str(ID)):
        return "id:" + text[len(str(ID)):]
    return text
