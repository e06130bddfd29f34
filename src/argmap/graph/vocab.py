"""RDF namespaces and the closed argmap vocabulary.

``ARG`` is a :class:`rdflib.namespace.DefinedNamespace` with ``_fail = True``, so a
misspelled term raises instead of minting a new IRI; ``data/vocab.ttl`` documents
every term and a test keeps the two in step.
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["ARG", "ID", "OA", "SCHEMA", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
           "TYPE_CLASSES", "PREFIXES", "vocabulary_path", "LINKS_GRAPH", "local_name"]


class ARG(DefinedNamespace):
    """Terms argmap mints where standard vocabularies have none."""

    _NS = Namespace("https://w3id.org/argmap/vocab#")
    _fail = True

    Claim: URIRef
    Forecast: URIRef
    Appearance: URIRef
    Mention: URIRef
    OffTopicSpan: URIRef
    Relation: URIRef
    Camp: URIRef
    Confidence: URIRef
    CampScheme: URIRef
    ConfidenceScheme: URIRef
    RelationTypeScheme: URIRef
    closed: URIRef
    open: URIRef
    both: URIRef
    certain: URIRef
    likely: URIRef
    possible: URIRef
    camp: URIRef
    campConfidence: URIRef
    isKey: URIRef
    salience: URIRef
    confidence: URIRef
    confidenceCue: URIRef
    horizonStart: URIRef
    horizonEnd: URIRef
    horizonPhrase: URIRef
    about: URIRef
    predicts: URIRef
    statesQuantity: URIRef
    per: URIRef
    statedIn: URIRef
    supports: URIRef
    contrasts: URIRef
    restates: URIRef
    relationType: URIRef
    source: URIRef
    target: URIRef
    cue: URIRef
    similarity: URIRef
    sourceCount: URIRef
    kind: URIRef
    file: URIRef
    contentHash: URIRef
    reason: URIRef
    extractedBy: URIRef
    entityType: URIRef


OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/argmap/id/")
LINKS_GRAPH = ID["graph/links"]

TYPE_CLASSES = {
    "Organization": SCHEMA.Organization,
    "Person": SCHEMA.Person,
    "Product": SCHEMA.Product,
    "Place": SCHEMA.Place,
    "Concept": SKOS.Concept,
}

PREFIXES = {
    "arg": str(ARG._NS),
    "id": str(ID),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": str(XSD),
}


def local_name(term: object, separators: str = "#/") -> str:
    """The end of an IRI (or of any term's text) after the last of ``separators``.

    >>> local_name(ARG.open), local_name(ID["article/a1"]), local_name("x#y/z", "#")
    ('open', 'a1', 'y/z')
    """
    text = str(term)
    cut = max(text.rfind(sep) for sep in separators)
    return text[cut + 1:]


def vocabulary_path():
    """The Turtle file that documents the vocabulary."""
    return files("argmap") / "data" / "vocab.ttl"
