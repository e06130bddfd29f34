"""Just enough SPARQL lexing to inspect and bind queries without a full parser.

:func:`inspect_query` tells a query's form and whether it uses ``SERVICE``,
and refuses SPARQL Update; :func:`inject_values` binds typed terms in a
``VALUES`` block for engines that take no initial bindings (remote endpoints).
Both work on :func:`tokenize_sparql` tokens, so a keyword or a brace inside a
string, an IRI or a comment is never mistaken for syntax, whichever engine
(rdflib, Oxigraph, a remote server) parses the query afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError

__all__ = ["QueryRefused", "QueryInfo", "tokenize_sparql", "inspect_query", "inject_values", "substitute_terms",
           "check_query", "limit_query", "uses_service", "expand_codepoint_escapes"]

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


class QueryRefused(QueryError):
    """The query asks for something a read-only, offline store will not do (update, SERVICE)."""


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00b7]+)
  | (?P<word>[\w\u00b7:%\\.-]*[\w:])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def tokenize_sparql(text: str) -> list[tuple[str, str, int]]:
    """Split SPARQL text into ``(kind, text, offset)`` tokens, skipping space and comments.

    Enough of a lexer to find keywords and braces: strings, IRIs and comments
    are single tokens, so a ``{`` or a keyword inside them is never mistaken
    for syntax.

    >>> [t[1] for t in tokenize_sparql('SELECT ?s { ?s <urn:a#b> "} #" } # SERVICE')]
    ['SELECT', '?s', '{', '?s', '<urn:a#b>', '"} #"', '}']
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            tokens.append((kind, match.group(), match.start()))
    return tokens


@dataclass(frozen=True)
class QueryInfo:
    """What a query is: its form and the features a read-only endpoint cares about."""

    form: str  # SELECT | CONSTRUCT | ASK | DESCRIBE
    uses_service: bool = False


def _keywords(tokens) -> list[str]:
    return [t[1].upper() for t in tokens if t[0] == "word" and t[1].isalpha()]


def inspect_query(text: str) -> QueryInfo:
    """The form of a query, from its first keyword after the prologue; refuse updates.

    >>> inspect_query("PREFIX s: <https://schema.org/> ASK { ?x a s:Article }").form
    'ASK'
    >>> inspect_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").uses_service
    True
    >>> inspect_query("DROP ALL")
    Traceback (most recent call last):
    ...
    argmap.query.sparql_text.QueryRefused: SPARQL Update (DROP) is not allowed: the graph is read-only
    """
    if not text.strip():
        raise QueryError("empty query")
    words = _keywords(tokenize_sparql(expand_codepoint_escapes(text)))
    form = next((w for w in words if w not in ("PREFIX", "BASE")), "")
    if form in _UPDATE_WORDS:
        raise QueryRefused(f"SPARQL Update ({form}) is not allowed: the graph is read-only")
    if form not in _QUERY_WORDS:
        raise QueryError(f"malformed SPARQL: expected SELECT, CONSTRUCT, ASK or DESCRIBE, not {form or text[:20]!r}")
    return QueryInfo(form, "SERVICE" in words)


def inject_values(text: str, bindings: dict) -> str:
    """Bind variables by a ``VALUES`` block at the start of the query's WHERE group.

    The values are typed terms written by rdflib (``term.n3()``), never user
    text, and the group is found with :func:`tokenize_sparql`, so braces in
    strings or IRIs cannot mislead it.  Filters of the WHERE group see the
    bound values, as with initial bindings.

    >>> from rdflib import Literal, Variable
    >>> print(inject_values('SELECT ?x WHERE { ?x ?p "{" }', {Variable("y"): Literal("a")}))
    SELECT ?x WHERE { VALUES (?y) { ("a") } ?x ?p "{" }
    """
    if not bindings:
        return text
    names = [str(k) for k in bindings]
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}")
    try:
        values = " ".join(term.n3() for term in bindings.values())
    except Exception as exc:
        raise QueryError(f"cannot bind parameter: {exc}") from None
    tokens = tokenize_sparql(text)
    form = inspect_query(text).form
    opens = _top_level_braces(tokens)
    position = 0
    if form == "CONSTRUCT":
        after = next(i for i, t in enumerate(tokens) if t[0] == "word" and t[1].upper() == "CONSTRUCT") + 1
        if after < len(tokens) and tokens[after][1] != "{":
            raise QueryError("parameters cannot be bound in a 'CONSTRUCT WHERE { }' query: "
                             "write CONSTRUCT { template } WHERE { pattern }")
        position = 1
    if len(opens) <= position:
        raise QueryError(f"the query has no WHERE clause to bind ?{names[0]} in")
    brace = opens[position]
    if brace + 1 < len(tokens) and tokens[brace + 1][1].upper() == "SELECT":
        raise QueryError("parameters cannot be bound when the WHERE clause is a single subquery")
    at = tokens[brace][2] + 1
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}"
    return text[:at] + block + text[at:]


def _depths(tokens):
    """(index, token, brace depth before it) for every token."""
    depth = 0
    for i, token in enumerate(tokens):
        yield i, token, depth
        if token[0] == "other" and token[1] == "{":
            depth += 1
        elif token[0] == "other" and token[1] == "}":
            depth = max(0, depth - 1)


def _top_level_braces(tokens):
    """Index of every ``{`` that opens at depth 0."""
    return [i for i, (kind, value, _), depth in _depths(tokens) if depth == 0 and kind == "other" and value == "{"]


def substitute_terms(text: str, bindings: dict) -> str:
    """Replace each bound variable by its term, written by rdflib (``term.n3()``).

    Only variable tokens are replaced (never text inside strings, IRIs or
    comments), and only by typed terms, so the result says what SEP-0007
    substitution says.  Where a constant cannot stand (``SELECT ?x``,
    ``BIND(... AS ?x)``) the engine reports a syntax error: bind another way.

    >>> from rdflib import Literal, Variable
    >>> print(substitute_terms('SELECT ?s { ?s ?p "?year" FILTER(?y <= $year) }', {Variable("year"): Literal(2030)}))
    SELECT ?s { ?s ?p "?year" FILTER(?y <= "2030"^^<http://www.w3.org/2001/XMLSchema#integer>) }
    """
    terms = {}
    for name, term in bindings.items():
        try:
            terms[str(name)] = term.n3()
        except Exception as exc:
            raise QueryError(f"cannot bind parameter {name}: {exc}") from None
    out, last = [], 0
    for kind, value, offset in tokenize_sparql(text):
        if kind == "var" and value[1:] in terms:
            out.append(text[last:offset])
            out.append(terms[value[1:]])
            last = offset + len(value)
    out.append(text[last:])
    return "".join(out)


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def expand_codepoint_escapes(text: str) -> str:
    r"""The query as its parser reads it: SPARQL expands ``\uXXXX`` escapes anywhere, before parsing.

    >>> expand_codepoint_escapes(r"SELECT * { \u0053ERVICE <x:y> { ?s ?p ?o } }")
    'SELECT * { SERVICE <x:y> { ?s ?p ?o } }'
    """
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def uses_service(text: str) -> bool:
    r"""Whether the parsed query has a ``SERVICE`` pattern anywhere (subqueries too).

    The check walks rdflib's parse tree, so no spelling (escapes, case, comments)
    hides it.  A query rdflib cannot parse (another engine's extension) falls back
    to the keywords of the escape-expanded text, which errs on refusing.

    >>> uses_service(r"SELECT * { ?s ?p ?o . \u0053ervice <http://example.org/> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    False
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - any parser failure: decide on the tokens instead
        return "SERVICE" in _keywords(tokenize_sparql(expand_codepoint_escapes(text)))
    return _service_in_tree(tree)


def _service_in_tree(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_service_in_tree(v) for v in node.values())
    if isinstance(node, (str, bytes)) or not hasattr(node, "__iter__"):
        return False
    return any(_service_in_tree(v) for v in node)  # lists, tuples, pyparsing's ParseResults


def check_query(text: str, allow_service: bool) -> QueryInfo:
    """:func:`inspect_query`, refusing SERVICE (found in the parsed query) unless ``allow_service``."""
    info = inspect_query(text)
    if not allow_service and (info.uses_service or uses_service(text)):
        raise QueryRefused("SERVICE is not allowed: a federated query would reach the network")
    return info


def limit_query(text: str, rows: int) -> str:
    """The query with its outermost ``LIMIT`` at most ``rows``.

    An engine that writes answers itself (Oxigraph) then stops after ``rows``
    solutions, which is what cutting its answer to ``rows`` means: LIMIT
    applies after ORDER BY.  A smaller LIMIT of the query's own is kept;
    subqueries (inside braces) are never touched, and a trailing ``VALUES``
    block stays after the new LIMIT, as the grammar wants.

    >>> limit_query("SELECT ?s { ?s ?p ?o } ORDER BY ?s", 11)
    'SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 11'
    >>> limit_query("SELECT ?s { { SELECT ?s { ?s ?p ?o } LIMIT 99 } } LIMIT 500 OFFSET 2", 11)
    'SELECT ?s { { SELECT ?s { ?s ?p ?o } LIMIT 99 } } LIMIT 11 OFFSET 2'
    >>> limit_query("SELECT ?s { ?s ?p ?o } LIMIT 3", 11)
    'SELECT ?s { ?s ?p ?o } LIMIT 3'
    >>> limit_query("SELECT ?s { ?s ?p ?o } ORDER BY ?s VALUES ?s { <urn:a> }", 11)
    'SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 11 VALUES ?s { <urn:a> }'
    """
    tokens = tokenize_sparql(text)
    opened, tail_values = False, None
    for i, (kind, value, offset), depth in _depths(tokens):
        if kind == "other" and value == "{":
            opened = True
        elif depth == 0 and kind == "word" and value.upper() == "LIMIT":
            number = tokens[i + 1] if i + 1 < len(tokens) else None
            if number is None or not number[1].isdigit():
                return text  # malformed: let the engine report it
            if int(number[1]) <= rows:
                return text
            return f"{text[:number[2]]}{rows}{text[number[2] + len(number[1]):]}"
        elif depth == 0 and opened and kind == "word" and value.upper() == "VALUES":
            tail_values = offset  # at depth 0 after the WHERE group, only the query-level VALUES
    if tail_values is not None:
        return f"{text[:tail_values]}LIMIT {rows} {text[tail_values:]}"
    return f"{text.rstrip()} LIMIT {rows}"
