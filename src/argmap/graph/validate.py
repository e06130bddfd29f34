"""Check a graph against the SHACL shapes in ``data/shapes.ttl``.

Two engines run the same shapes: ``oxigraph`` (the default) compiles them to SPARQL
once and answers in Oxigraph (:mod:`argmap.graph.shacl`); ``pyshacl`` is the reference
implementation, slower by an order of magnitude, and a test holds the two to the
same violations.

The shapes say what every article graph and the links graph must hold: each
annotation has a source, offsets and a quote; camps and confidences come from
their code lists; horizons are ``xsd:gYear`` with start ≤ end.  ``argmap build``
and ``argmap add`` refuse to write a graph that fails them; ``argmap validate``
lists the violations of a written graph.

>>> from rdflib import Graph
>>> validate_graph(Graph())
()
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import SH

from ..errors import GraphError

__all__ = ["Violation", "ENGINES", "shapes_path", "validate_graph", "validate_dataset", "validate_trig",
           "validate_store", "graphs_store", "check_graph", "check_store", "union_graph"]

ENGINES = ("oxigraph", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path, the offending value and why."""

    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{where}: {self.message}{value}"


def shapes_path():
    """The Turtle file with the shapes."""
    return files("argmap") / "data" / "shapes.ttl"


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(data=shapes_path().read_text(encoding="utf-8"), format="turtle")


def _as_read(term):
    # A literal built in memory from a Python value keeps that value (a float made an
    # xsd:decimal stays a float); rebuild it from its lexical form, as a reader of the
    # written file sees it.
    if isinstance(term, Literal) and term.datatype is not None:
        return Literal(str(term), datatype=term.datatype)
    return term


def _triples(data: Dataset | Graph):
    """The triples of a graph, or of every graph of a dataset."""
    return (q[:3] for q in data.quads((None, None, None, None))) if isinstance(data, Dataset) else data


def union_graph(data: Dataset | Graph) -> Graph:
    """All triples of a dataset in one graph (the shapes look across named graphs),
    with literals as they read back from the written file."""
    g = Graph()
    for s, p, o in _triples(data):
        g.add((s, p, _as_read(o)))
    return g


def _short(term, nm) -> str | None:
    if term is None:
        return None
    try:
        return term.n3(nm) if hasattr(term, "n3") else str(term)
    except Exception:  # pragma: no cover - exotic terms (paths) fall back to str
        return str(term)


def _path_text(report, path, nm) -> str | None:
    """A result path as the compiled shapes name it: a sequence as ``a/b/c``."""
    from rdflib import BNode
    from rdflib.collection import Collection
    from rdflib.namespace import RDF

    if isinstance(path, BNode) and report.value(path, RDF.first) is not None:
        return "/".join(_short(step, nm) for step in Collection(report, path))
    return _short(path, nm)


def validate_graph(data: Graph | Dataset, engine: str = "oxigraph") -> tuple[Violation, ...]:
    """Run the shapes over ``data`` (a Dataset is checked as the union of its graphs)."""
    if engine == "oxigraph":
        from .oxterms import ox, quads

        store = ox().Store()
        store.extend(quads(_triples(data), "urn:argmap:checked"))
        return validate_store(store)
    if engine != "pyshacl":
        raise GraphError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    import pyshacl

    graph = union_graph(data)
    if len(graph) == 0:
        return ()
    conforms, report, _text = pyshacl.validate(graph, shacl_graph=_shapes(), inference="none", advanced=True,
                                               allow_warnings=True, abort_on_first=False)
    if conforms:
        return ()
    from .vocab import PREFIXES

    for prefix, ns in PREFIXES.items():
        report.bind(prefix, ns, override=True)
    nm = report.namespace_manager
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        found.append(Violation(
            focus=_short(report.value(result, SH.focusNode), nm),
            path=_path_text(report, report.value(result, SH.resultPath), nm),
            value=_short(report.value(result, SH.value), nm),
            message=str(report.value(result, SH.resultMessage) or "constraint failed"),
            shape=_short(report.value(result, SH.sourceShape), nm),
            severity=str(severity).rsplit("#", 1)[-1],
        ))
    return _sorted(found)


def _sorted(found) -> tuple[Violation, ...]:
    return tuple(sorted(set(found), key=lambda v: (v.focus, v.path or "", v.message, v.value or "")))


@lru_cache(maxsize=1)
def _compiled():
    from .shacl import compile_shapes

    return compile_shapes(shapes_path().read_text(encoding="utf-8"))


def graphs_store(graphs: dict):
    """A pyoxigraph store of article graphs (``{article id: triples}``), each in its
    named graph, for :func:`check_store`."""
    from .dataset import graph_iri
    from .oxterms import ox, quads, to_oxigraph

    convert, store = to_oxigraph(), ox().Store()
    for article_id, graph in graphs.items():
        store.extend(quads(graph, graph_iri(article_id), convert))
    return store


def validate_store(store) -> tuple[Violation, ...]:
    """Violations of the union of the named graphs in a pyoxigraph ``store``, by the
    compiled shapes."""
    import re

    from rdflib import Graph as _Graph

    from .oxterms import from_oxigraph
    from .shacl import run_checks
    from .vocab import PREFIXES

    names = _Graph()
    for prefix, ns in PREFIXES.items():
        names.bind(prefix, ns, override=True)
    nm, convert = names.namespace_manager, from_oxigraph()
    found = []
    for check, row in run_checks(store, _compiled()):
        terms = {name: convert(term) for name, term in row.items() if term is not None}
        message = re.sub(r"\{\?(\w+)\}", lambda m: str(terms.get(m.group(1), "")), check.message)
        found.append(Violation(focus=_short(terms.get("this"), nm), path=check.path,
                               value=_short(terms.get("value"), nm), message=message, shape=check.shape))
    return _sorted(found)


def check_store(store, what: str = "the graph") -> None:
    """As :func:`check_graph`, for a pyoxigraph store."""
    _refuse(validate_store(store), what)


def validate_dataset(ds: Dataset, engine: str = "oxigraph") -> tuple[Violation, ...]:
    """Violations of a whole dataset."""
    return validate_graph(ds, engine)


def validate_trig(path: Path, engine: str = "oxigraph") -> tuple[Violation, ...]:
    """Violations of a written ``argmap.trig``."""
    if engine == "oxigraph":
        from .oxterms import ox

        path = Path(path)
        if not path.exists():
            raise GraphError(f"no graph at {path}: run 'argmap build' first (or pass --graphs DIR)")
        module = ox()
        store = module.Store()
        try:
            store.bulk_load(path=str(path), format=module.RdfFormat.TRIG)
        except (SyntaxError, OSError, ValueError) as exc:
            raise GraphError(f"cannot parse {path}: {exc}") from None
        return validate_store(store)
    from .dataset import read_dataset

    return validate_graph(read_dataset(path), engine)


def check_graph(data: Graph | Dataset, what: str = "the graph") -> None:
    """Raise :class:`GraphError` naming the first violations if ``data`` fails the shapes."""
    _refuse(validate_graph(data), what)


def _refuse(violations, what: str) -> None:
    violations = [v for v in violations if v.severity == "Violation"]
    if violations:
        shown = "; ".join(str(v) for v in violations[:3])
        more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
        raise GraphError(f"{what} fails {len(violations)} SHACL check(s), nothing was written: {shown}{more}")
