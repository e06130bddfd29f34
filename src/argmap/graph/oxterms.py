"""Terms between rdflib (the graph model) and pyoxigraph (the engine and serializer).

Both directions cache what repeats: a graph names the same predicates, classes,
camps and datatypes thousands of times, and building a term costs more than the
lookup.  pyoxigraph is imported only when a converter is made.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from ..errors import GraphError, QueryError
from .vocab import XSD

__all__ = ["ox", "from_oxigraph", "to_oxigraph", "quads"]

_XSD_STRING = str(XSD.string)


def ox():
    """The pyoxigraph module."""
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        raise GraphError("argmap needs pyoxigraph: pip install pyoxigraph") from None
    return pyoxigraph


def from_oxigraph():
    """A function from pyoxigraph terms to rdflib terms."""
    module = ox()
    named, blank, literal = module.NamedNode, module.BlankNode, module.Literal
    iris: dict[str, URIRef] = {}
    typed: dict[str, Literal] = {}

    def convert(term):
        kind = type(term)
        if kind is named:
            value = term.value
            iri = iris.get(value)
            if iri is None:
                iri = iris[value] = URIRef(value)
            return iri
        if term is None:
            return None
        if kind is literal:
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype == _XSD_STRING:
                return Literal(term.value)
            key = str(term)
            known = typed.get(key)
            if known is None:
                known = typed[key] = Literal(term.value, datatype=convert(term.datatype))
            return known
        if kind is blank:
            return BNode(term.value)
        return Literal(str(term))  # RDF-star triple terms have no rdflib equivalent

    return convert


def to_oxigraph():
    """A function from rdflib terms to pyoxigraph terms.  Literals keep their lexical
    form, as a reader of a written file sees them (a float made an xsd:decimal is
    written as its text, not as the float)."""
    module = ox()
    named_node, blank_node, literal = module.NamedNode, module.BlankNode, module.Literal
    iris: dict[str, object] = {}
    datatypes: dict[str, object] = {}

    def convert(term):
        kind = type(term)
        if kind is URIRef:
            known = iris.get(term)
            if known is None:
                known = iris[term] = named_node(str(term))
            return known
        if isinstance(term, Literal):
            if term.language:
                return literal(str(term), language=term.language)
            if term.datatype is None:
                return literal(str(term))
            datatype = datatypes.get(term.datatype)
            if datatype is None:
                datatype = datatypes[term.datatype] = named_node(str(term.datatype))
            return literal(str(term), datatype=datatype)
        if isinstance(term, URIRef):
            return named_node(str(term))
        if isinstance(term, BNode):
            return blank_node(str(term))
        raise QueryError(f"cannot convert {term!r}: not an RDF term")

    return convert


def quads(triples, graph_name, convert=None) -> list:
    """pyoxigraph quads of rdflib ``triples`` in the named graph ``graph_name``."""
    module = ox()
    convert = convert or to_oxigraph()
    quad, graph = module.Quad, convert(URIRef(graph_name))
    return [quad(convert(s), convert(p), convert(o), graph) for s, p, o in triples]
