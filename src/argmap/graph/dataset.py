"""Turn linked extractions into RDF: one named graph per article plus a links graph.

Layout (IRIs are deterministic, so two builds of one corpus are isomorphic):

* ``id:graph/{article}`` holds what one article says: the article node, an
  ``arg:Appearance`` for every claim and forecast, an ``arg:Mention`` for every
  entity occurrence, ``arg:OffTopicSpan`` annotations, forecasts and the
  relations between its claims.  Each annotation's target carries an
  ``oa:TextPositionSelector`` (start, end) and an ``oa:TextQuoteSelector``
  (exact quote): ``body[start:end] == quote``.
* ``id:graph/links`` holds the cross-article layer: entity descriptions,
  claim descriptions (canonical text, consensus camp, source count) and
  ``arg:restates`` links.

Removing an article is dropping its named graph and recomputing the links graph.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote as _urlquote

from rdflib import Dataset, Graph, Literal, URIRef

from ..corpus.markup import display_text
from ..errors import GraphError
from ..fsutil import atomic_write_text
from ..model import Article, Entity, Extraction, LinkedCorpus, Span, claim_key
from .vocab import (ARG, DCTERMS, ID, LINKS_GRAPH, OA, OWL, PREFIXES, PROV, RDF, SCHEMA, SKOS, TYPE_CLASSES,
                    XSD)

__all__ = [
    "Triples",
    "article_iri",
    "graph_iri",
    "entity_iri",
    "claim_iri",
    "forecast_iri",
    "article_graph",
    "links_graph",
    "to_dataset",
    "write_trig",
    "read_dataset",
    "EXTRACTOR_VERSION",
]

EXTRACTOR_VERSION = "argmap-extract/1"


def _safe(text: str) -> str:
    return _urlquote(text, safe="-_.")


def article_iri(article_id: str) -> URIRef:
    """The article node.

    >>> str(article_iri("001_x"))
    'https://w3id.org/argmap/id/article/001_x'
    """
    return ID[f"article/{_safe(article_id)}"]


def graph_iri(article_id: str) -> URIRef:
    """The named graph that holds one article's extraction."""
    return ID[f"graph/{_safe(article_id)}"]


def entity_iri(key: str) -> URIRef:
    """The node of a canonical entity (its key is a slug of the label)."""
    return ID[f"entity/{_safe(key)}"]


def claim_iri(key: str) -> URIRef:
    """The node of a claim, from :func:`argmap.model.claim_key`."""
    return ID[f"claim/{key}"]


def forecast_iri(article_id: str, span: Span) -> URIRef:
    """A forecast is one article's statement, so its IRI carries the span."""
    return ID[f"forecast/{_safe(article_id)}/{span.start}-{span.end}"]


def _annotation(g: Graph, article: Article, kind: str, span: Span, body: URIRef, cls: URIRef) -> URIRef:
    """Add an annotation pointing from ``body`` to the article span; return its IRI."""
    node = ID[f"annotation/{_safe(article.id)}/{kind}/{span.start}-{span.end}"]
    target = URIRef(f"{node}#target")
    position = URIRef(f"{node}#position")
    quote = URIRef(f"{node}#quote")
    g.add((node, RDF.type, cls))
    g.add((node, OA.hasBody, body))
    g.add((node, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, article_iri(article.id)))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(span.start)))
    g.add((position, OA.end, Literal(span.end)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(span.quote)))
    return node


def _article_node(g: Graph, article: Article, model_name: str) -> URIRef:
    node = article_iri(article.id)
    g.add((node, RDF.type, SCHEMA.Article))
    g.add((node, DCTERMS.identifier, Literal(article.id)))
    g.add((node, DCTERMS.title, Literal(article.title)))
    g.add((node, ARG.file, Literal(article.file)))
    g.add((node, ARG.kind, Literal(article.kind)))
    g.add((node, ARG.contentHash, Literal(article.content_hash)))
    if article.author:
        g.add((node, DCTERMS.creator, Literal(article.author)))
    if article.publisher:
        g.add((node, DCTERMS.publisher, Literal(article.publisher)))
    if article.date:
        g.add((node, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.url:
        g.add((node, SCHEMA.url, URIRef(article.url)))
    graph = graph_iri(article.id)
    g.add((graph, PROV.wasDerivedFrom, node))
    g.add((graph, ARG.extractedBy, Literal(f"{EXTRACTOR_VERSION} {model_name}")))
    return node


def _relation(g: Graph, rel_type: str, source: URIRef, target: URIRef,
              cue: str | None = None, similarity: float | None = None) -> None:
    # The IRI depends only on the two claims and the type, so two articles that
    # state the same relation (a repost, a transcript) describe one node.
    digest = hashlib.sha1(f"{source}|{target}".encode()).hexdigest()[:16]
    node = ID[f"relation/{rel_type}/{digest}"]
    predicate = getattr(ARG, rel_type)
    g.add((source, predicate, target))
    g.add((node, RDF.type, ARG.Relation))
    g.add((node, ARG.relationType, predicate))
    g.add((node, ARG.source, source))
    g.add((node, ARG.target, target))
    if cue:
        g.add((node, ARG.cue, Literal(cue)))
    if similarity is not None:
        g.add((node, ARG.similarity, Literal(round(similarity, 3), datatype=XSD.decimal)))


def _quantities(g: Graph, node: URIRef, predicate: URIRef, quantities) -> None:
    """Amounts as schema:QuantitativeValue nodes, so SPARQL can compare them numerically."""
    for i, q in enumerate(quantities):
        value = URIRef(f"{node}#quantity-{i}")
        g.add((node, predicate, value))
        g.add((value, RDF.type, SCHEMA.QuantitativeValue))
        g.add((value, SCHEMA.minValue, Literal(q.min_value, datatype=XSD.double)))
        g.add((value, SCHEMA.maxValue, Literal(q.max_value, datatype=XSD.double)))
        g.add((value, SCHEMA.unitText, Literal(q.unit)))
        g.add((value, SCHEMA.description, Literal(q.span.quote)))
        if q.per:
            g.add((value, ARG.per, Literal(q.per)))


def _decimal(value: float) -> Literal:
    return Literal(f"{value:.3f}", datatype=XSD.decimal)


class Triples:
    """A graph's triples as a plain set (in the order they were added), for the graphs
    a build or an add makes and writes at once: rdflib's indexed in-memory store cost
    a fifth of a build, and these graphs are only iterated (written, checked, mapped).
    ``rdflib.Graph(...)`` of the triples, or ``+=``, gives a full graph.

    >>> a, b = URIRef("urn:a"), URIRef("urn:b")
    >>> t = Triples(); t.add((a, b, a)); t.add((a, b, a)); t.add((b, b, a)); len(t)
    2
    >>> t.remove((None, b, a)); len(t)
    0
    """

    __slots__ = ("_triples",)

    def __init__(self) -> None:
        self._triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None

    def remove(self, pattern: tuple) -> None:
        """Drop the triples that match ``pattern`` (None matches anything)."""
        self._triples = {t: None for t in self._triples
                         if not all(want is None or want == have for want, have in zip(pattern, t))}

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple) -> bool:
        return triple in self._triples


def article_graph(extraction: Extraction, model_name: str = "") -> Triples:
    """The triples one article contributes (its named graph's content)."""
    article = extraction.article
    g = Triples()
    _article_node(g, article, model_name)
    for mention in extraction.mentions:
        _annotation(g, article, "mention", mention.span, entity_iri(mention.entity.key), ARG.Mention)
    claim_nodes: dict[tuple[int, int], URIRef] = {}
    for claim in extraction.claims:
        node = claim_iri(claim_key(claim.span.quote))
        claim_nodes[(claim.span.start, claim.span.end)] = node
        g.add((node, RDF.type, ARG.Claim))
        g.add((node, PROV.wasDerivedFrom, article_iri(article.id)))
        ann = _annotation(g, article, "claim", claim.span, node, ARG.Appearance)
        g.add((ann, ARG.camp, ARG[claim.camp]))
        g.add((ann, ARG.campConfidence, _decimal(claim.camp_confidence)))
        g.add((ann, ARG.isKey, Literal(claim.key)))
        g.add((ann, ARG.salience, _decimal(claim.salience)))
        for key in claim.entities:
            g.add((node, SCHEMA.mentions, entity_iri(key)))
        _quantities(g, node, ARG.statesQuantity, claim.quantities)
    for forecast in extraction.forecasts:
        node = forecast_iri(article.id, forecast.span)
        g.add((node, RDF.type, ARG.Forecast))
        g.add((node, SCHEMA.text, Literal(display_text(forecast.span.quote))))
        g.add((node, ARG.camp, ARG[forecast.camp]))
        g.add((node, ARG.confidence, ARG[forecast.confidence]))
        g.add((node, PROV.wasDerivedFrom, article_iri(article.id)))
        if forecast.confidence_cue:
            g.add((node, ARG.confidenceCue, Literal(forecast.confidence_cue)))
        if forecast.horizon_start is not None:
            g.add((node, ARG.horizonStart, Literal(str(forecast.horizon_start), datatype=XSD.gYear)))
        if forecast.horizon_end is not None:
            g.add((node, ARG.horizonEnd, Literal(str(forecast.horizon_end), datatype=XSD.gYear)))
        if forecast.horizon_phrase:
            g.add((node, ARG.horizonPhrase, Literal(forecast.horizon_phrase)))
        for key in forecast.subjects:
            g.add((node, ARG.about, entity_iri(key)))
        _quantities(g, node, ARG.predicts, forecast.quantities)
        for (start, end), claim_node in claim_nodes.items():
            if start <= forecast.span.start and forecast.span.end <= end:
                g.add((node, ARG.statedIn, claim_node))
                break
        _annotation(g, article, "forecast", forecast.span, node, ARG.Appearance)
    for relation in extraction.relations:
        source = claim_nodes.get((relation.source.start, relation.source.end))
        target = claim_nodes.get((relation.target.start, relation.target.end))
        if source is None or target is None or source == target:
            continue
        _relation(g, relation.type, source, target, cue=relation.cue)
    for item in extraction.offtopic:
        ann = _annotation(g, article, "offtopic", item.span, article_iri(article.id), ARG.OffTopicSpan)
        g.add((ann, ARG.reason, Literal(item.reason)))
    return g


def _entity_triples(g: Graph, entity: Entity) -> None:
    node = entity_iri(entity.key)
    g.add((node, RDF.type, TYPE_CLASSES.get(entity.type, SKOS.Concept)))
    g.add((node, SKOS.prefLabel, Literal(entity.label)))
    g.add((node, ARG.entityType, Literal(entity.type)))
    for alias in entity.aliases:
        if alias != entity.label:
            g.add((node, SKOS.altLabel, Literal(alias)))
    if entity.same_as:
        g.add((node, OWL.sameAs, URIRef(entity.same_as)))


def links_graph(linked: LinkedCorpus) -> Graph:
    """The cross-article triples: entities, claim descriptions, restatements."""
    g = Graph()
    for entity in linked.entities:
        _entity_triples(g, entity)
    for key, text in linked.claim_texts.items():
        node = claim_iri(key)
        g.add((node, SCHEMA.text, Literal(display_text(text))))
        camp, confidence = linked.claim_camps[key]
        g.add((node, ARG.camp, ARG[camp]))
        g.add((node, ARG.campConfidence, _decimal(confidence)))
        g.add((node, ARG.sourceCount, Literal(linked.claim_sources.get(key, 1))))
    keyed = {claim_key(c.span.quote) for e in linked.extractions for c in e.claims if c.key}
    for key in sorted(keyed):
        g.add((claim_iri(key), ARG.isKey, Literal(True)))
    for r in linked.restatements:
        _relation(g, "restates", claim_iri(r.source), claim_iri(r.target), similarity=r.similarity)
    return g


def to_dataset(linked: LinkedCorpus, model_name: str = "") -> Dataset:
    """The whole corpus as an rdflib Dataset (one named graph per article + links)."""
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for extraction in linked.extractions:
        target = ds.graph(graph_iri(extraction.article.id))
        for triple in article_graph(extraction, model_name):
            target.add(triple)
    links = ds.graph(LINKS_GRAPH)
    for triple in links_graph(linked):
        links.add(triple)
    return ds


def write_trig(ds: Dataset, path: Path) -> None:
    """Serialise the dataset as TriG, atomically."""
    atomic_write_text(Path(path), ds.serialize(format="trig"))


def read_dataset(path: Path) -> Dataset:
    """Load a TriG file written by :func:`write_trig` (union default graph)."""
    path = Path(path)
    if not path.exists():
        raise GraphError(f"no graph at {path}: run 'argmap build' first (or pass --graphs DIR)")
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many parser exception types
        raise GraphError(f"cannot parse {path}: {exc}") from None
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


