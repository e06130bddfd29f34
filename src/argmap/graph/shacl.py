"""The SHACL shapes compiled to SPARQL, run in Oxigraph.

pyshacl walks the graph in Python, focus node by focus node: on a built corpus it
was a third of ``argmap build``.  Here each constraint of ``data/shapes.ttl``
becomes one SPARQL query that returns its violations, compiled once per process
and answered by Oxigraph over the union of the named graphs.

Only the SHACL Core constraints the shapes use are compiled (targets by class, by
node and by subjects-of; predicate and sequence paths; counts, datatypes,
patterns, lengths, node kinds, classes, value lists, ranges, ``lessThanOrEquals``,
``sh:node`` and SPARQL constraints).  A shape that uses anything else is refused
when compiled, so a new shape cannot be skipped silently.  pyshacl stays the
reference: ``argmap validate --engine pyshacl`` runs it, and a test checks that
both report the same violations on broken graphs.

A violation of a nested shape (``sh:node``) is reported twice, as pyshacl does:
on the inner node, and on the outer focus node and path with the inner reason in
the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from ..errors import GraphError

__all__ = ["Check", "compile_shapes", "run_checks"]

# Datatypes Oxigraph can cast to: a literal of one is well formed when the cast of
# it to its own type succeeds ("20x0"^^xsd:gYear fails).
_CASTABLE = {XSD.string, XSD.boolean, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.date, XSD.dateTime,
             XSD.time, XSD.duration, XSD.gYear}

# Properties of a shape that are not constraints (or are read with one).
_NOT_CONSTRAINTS = {RDF.type, SH.name, SH.description, SH.message, SH.targetClass, SH.targetNode,
                    SH.targetSubjectsOf, SH.property, SH.path, SH.severity, SH.order, SH.group}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT whose rows (``?this``, ``?value`` and any
    ``?``-variables the message names) are its violations."""

    shape: str
    path: str | None
    query: str
    message: str
    #: For a nested shape (``sh:node``): a SELECT of ``?outer ?this`` pairs that maps
    #: each inner focus node to the outer ones it is reported on.
    via: str | None = None


def _n3(term) -> str:
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise GraphError(f"the shapes use a blank node where a constant is needed: {term!r}")


def _path(shapes: Graph, path) -> str:
    """A SPARQL property path for a SHACL path: a predicate or a sequence."""
    if isinstance(path, URIRef):
        return _n3(path)
    if isinstance(path, BNode) and shapes.value(path, RDF.first) is not None:
        return "/".join(_path(shapes, step) for step in Collection(shapes, path))
    raise GraphError(f"the shapes use a path argmap's SHACL compiler does not know: {path!r}")


def _short(shapes: Graph, term) -> str:
    if isinstance(term, BNode):
        return "/".join(_short(shapes, step) for step in Collection(shapes, term)) if (
            shapes.value(term, RDF.first) is not None) else str(term)
    return shapes.namespace_manager.normalizeUri(term)


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.prefixes = self._declared_prefixes()

    def _declared_prefixes(self) -> str:
        lines = []
        for declaration in self.shapes.objects(None, SH.declare):
            prefix = self.shapes.value(declaration, SH.prefix)
            namespace = self.shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    def checks(self) -> list[Check]:
        found = []
        for shape in sorted(set(self.shapes.subjects(RDF.type, SH.NodeShape)), key=str):
            focus = self._targets(shape)
            if focus is not None:
                found += self._node_shape(shape, focus, outer=None)
        return found

    def _targets(self, shape) -> str | None:
        patterns = []
        for cls in self.shapes.objects(shape, SH.targetClass):
            patterns.append(f"{{ ?this a {_n3(cls)} }}")
        for node in self.shapes.objects(shape, SH.targetNode):
            patterns.append(f"{{ VALUES ?this {{ {_n3(node)} }} }}")
        for predicate in self.shapes.objects(shape, SH.targetSubjectsOf):
            patterns.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_n3(predicate)} ?any }} }}")
        return " UNION ".join(patterns) if patterns else None

    def _node_shape(self, shape, focus: str, outer) -> list[Check]:
        """The checks of a node shape whose focus nodes ``?this`` match ``focus``."""
        name = _short(self.shapes, shape)
        checks = []
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate in _NOT_CONSTRAINTS:
                continue
            if predicate == SH["class"]:
                checks.append(self._check(name, None, f"{focus} FILTER NOT EXISTS {{ ?this a {_n3(value)} }}",
                                          f"is not a {_short(self.shapes, value)}", value_is="?this"))
            elif predicate == SH.sparql:
                checks.append(self._sparql(name, focus, value))
            elif predicate != SH.declare:
                raise GraphError(f"shape {name} uses {_short(self.shapes, predicate)}, which argmap's SHACL "
                                 "compiler does not know")
        for prop in self.shapes.objects(shape, SH.property):
            checks += self._property_shape(name, prop, focus)
        if outer is not None:
            # Both the inner reason (on the inner node) and the outer result, as
            # pyshacl's report lists them (the first as sh:detail of the second).
            checks += [self._nested(check, *outer) for check in checks]
        return checks

    def _property_shape(self, shape_name: str, prop, focus: str) -> list[Check]:
        shapes = self.shapes
        path_node = shapes.value(prop, SH.path)
        path = _path(shapes, path_node)
        label = str(shapes.value(prop, SH.name) or _short(shapes, path_node))
        shown = _short(shapes, path_node)
        values = f"{focus} ?this {path} ?value ."
        checks = []

        def add(where: str, message: str) -> None:
            checks.append(self._check(shape_name, shown, where, message))

        for predicate, arg in shapes.predicate_objects(prop):
            if predicate in _NOT_CONSTRAINTS:
                continue
            if predicate == SH.minCount:
                add(f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?this {path} "
                    f"?value }} }} GROUP BY ?this }} FILTER (?n < {int(arg)})",
                    f"needs at least {int(arg)} {label} (has {{?n}})")
            elif predicate == SH.maxCount:
                add(f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {values} }} GROUP BY ?this }} "
                    f"FILTER (?n > {int(arg)})", f"takes at most {int(arg)} {label} (has {{?n}})")
            elif predicate == SH.datatype:
                well_formed = f" && COALESCE(isLiteral({_n3(arg)}(?value)), false)" if arg in _CASTABLE else ""
                add(f"{values} FILTER (!(isLiteral(?value) && datatype(?value) = {_n3(arg)}{well_formed}))",
                    f"{label} must be a well-formed {_short(shapes, arg)}")
            elif predicate == SH.pattern:
                add(f"{values} FILTER (isBlank(?value) || !REGEX(STR(?value), {Literal(str(arg)).n3()}))",
                    f"{label} must match {arg}")
            elif predicate == SH.minLength:
                add(f"{values} FILTER (isBlank(?value) || STRLEN(STR(?value)) < {int(arg)})",
                    f"{label} must have at least {int(arg)} character(s)")
            elif predicate == SH.nodeKind and arg == SH.IRI:
                add(f"{values} FILTER (!isIRI(?value))", f"{label} must be an IRI")
            elif predicate == SH["class"]:
                add(f"{values} FILTER NOT EXISTS {{ ?value a {_n3(arg)} }}",
                    f"{label} must be a {_short(shapes, arg)}")
            elif predicate == SH["in"]:
                allowed = list(Collection(shapes, arg))
                same = " || ".join(f"sameTerm(?value, {_n3(term)})" for term in allowed)
                names = ", ".join(_short(shapes, t) if isinstance(t, URIRef) else str(t) for t in allowed)
                add(f"{values} FILTER (!({same}))", f"{label} must be one of {names}")
            elif predicate in (SH.minInclusive, SH.maxInclusive):
                op = ">=" if predicate == SH.minInclusive else "<="
                add(f"{values} FILTER (!COALESCE(?value {op} {_n3(arg)}, false))",
                    f"{label} must be {op} {arg}")
            elif predicate == SH.lessThanOrEquals:
                add(f"{values} ?this {_n3(arg)} ?other . FILTER (!COALESCE(?value <= ?other, false))",
                    f"{label} must be <= {_short(shapes, arg)} ({{?other}})")
            elif predicate == SH.node:
                outer_values = values.replace("?this", "?outer")
                via = f"{self.prefixes}\nSELECT DISTINCT ?outer (?value AS ?this) WHERE {{ {outer_values} }}"
                inner_focus = f"{{ SELECT DISTINCT (?value AS ?this) WHERE {{ {outer_values} }} }}"
                checks += self._node_shape(arg, inner_focus, outer=(shape_name, shown, _short(shapes, arg), via))
            else:
                raise GraphError(f"a property shape of {shape_name} uses {_short(shapes, predicate)}, which "
                                 "argmap's SHACL compiler does not know")
        return checks

    def _sparql(self, shape_name: str, focus: str, constraint) -> Check:
        select = str(self.shapes.value(constraint, SH.select))
        message = str(self.shapes.value(constraint, SH.message) or "SPARQL constraint failed")
        # $this is bound by the focus pattern around the constraint's own SELECT.
        inner = select.replace("$this", "?this")
        where = f"{focus} {{ {inner} }}"
        return self._check(shape_name, None, where, message)

    def _check(self, shape: str, path: str | None, where: str, message: str, value_is: str | None = None) -> Check:
        """A check whose violations ``where`` matches; ``?value`` is what ``where`` binds
        to it, else ``value_is`` (for a node-level constraint, the focus itself)."""
        binding = f" BIND({value_is} AS ?value)" if value_is else ""
        query = f"{self.prefixes}\nSELECT * WHERE {{ {where}{binding} }}"
        return Check(shape, path, query, message)

    @staticmethod
    def _nested(check: Check, outer_shape: str, outer_path: str, inner_shape: str, via: str) -> Check:
        detail = f"{check.path}: {check.message}" if check.path else check.message
        return Check(outer_shape, outer_path, check.query, f"value does not conform to {inner_shape} ({detail})",
                     via=via)


@lru_cache(maxsize=4)
def compile_shapes(text: str) -> tuple[Check, ...]:
    """The checks of the shapes in Turtle ``text``, compiled once per process."""
    shapes = Graph().parse(data=text, format="turtle")
    return tuple(_Compiler(shapes).checks())


def run_checks(store, checks: tuple[Check, ...]):
    """Yield ``(check, row)`` for every violation in a pyoxigraph ``store``, with the
    union of its named graphs as the data; ``row`` maps variable names to terms, with
    ``this`` the focus node and ``value`` the offending value (when there is one)."""
    for check in checks:
        rows = _select(store, check, check.query)
        if check.via is None:
            yield from ((check, row) for row in rows)
            continue
        rows = list(rows)
        if not rows:
            continue
        outers: dict = {}
        for pair in _select(store, check, check.via):
            outers.setdefault(pair["this"], []).append(pair["outer"])
        for row in rows:
            for outer in outers.get(row["this"], ()):
                yield check, {**row, "this": outer, "value": row["this"]}


def _select(store, check: Check, query: str):
    try:
        solutions = store.query(query, use_default_graph_as_union=True)
    except (SyntaxError, OSError, ValueError) as exc:  # a compiler bug, never the data
        raise GraphError(f"internal error: shape {check.shape} compiled to bad SPARQL: {exc}") from None
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {name: solution[name] for name in names}
