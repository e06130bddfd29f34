"""The map as facts: what each named graph says about the map's nodes and edges.

The map (:func:`argmap.view.map_graph`) is read from the RDF dataset.  Each named
graph of an argmap dataset says things about the map that depend on its own triples
alone — an article graph: its article, its forecasts, that its claims exist, where
they appear (with quote and camp), what they mention, the supports and contrasts
between them, how often it mentions each entity; the links graph: each claim's
text, consensus camp and source count, the key flags, the entity descriptions and
the restatements.  :func:`graph_facts` lists them; the rules below turn the facts
about one node or one edge into its attributes, whatever graphs they came from.

So the map of a whole dataset is the facts of its graphs combined
(:func:`combine`), and :mod:`argmap.workspace.mapstate` keeps the same facts per graph in the
state database and recombines only the nodes and edges a change touches.  Where
several graphs describe one node (argmap's graphs never do, except that claims
exist in every article that makes them), the first graph by name wins; counts are
summed and cues take the smallest, as a union of the graphs would give.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx
from rdflib import Literal

from ..graph.vocab import ARG, DCTERMS, OA, OWL, RDF, SCHEMA, SKOS, local_name

__all__ = ["NODE_KINDS", "RELATION_KINDS", "EDGE_KINDS", "graph_facts", "node_attrs", "entity_attrs", "edge_attrs",
           "edge_present", "importance", "build_graph", "combine"]

NODE_KINDS = ("claim", "forecast", "entity", "article")
RELATION_KINDS = ("supports", "contrasts", "restates")
EDGE_KINDS = ("mentions", "appears_in", *RELATION_KINDS, "stated_in")
_LABEL_CHARS = 40

# A node fact is (node, type, data) and an edge fact (u, v, kind, tag, data), data a
# JSON-ready dict; the tag tells apart several facts about one edge in one graph
# (an appearance's annotation IRI).
NodeFact = tuple[str, str, dict]
EdgeFact = tuple[str, str, str, str, dict]


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _py(term):
    """A GraphML-safe Python value for an RDF term (str, int, float or bool)."""
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float | str):
            return value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(term)
    return str(term)


class _Index:
    """Every triple of a graph: subject → predicate → objects, and subjects by class."""

    def __init__(self, graph):
        self.props: dict = defaultdict(lambda: defaultdict(list))
        by_type: dict = defaultdict(set)
        rdf_type = str(RDF.type)
        for s, p, o in graph:
            self.props[s][p].append(o)
            if str.__eq__(p, rdf_type):
                by_type[o].add(s)
        self.by_type = {cls: sorted(nodes, key=str) for cls, nodes in by_type.items()}

    def one(self, s, p, default=None):
        values = self.props.get(s, {}).get(p)
        if not values:
            return default
        return values[0] if len(values) == 1 else min(values, key=str)

    def all(self, s, p) -> list:
        return sorted(set(self.props.get(s, {}).get(p, ())), key=str)

    def types(self, s) -> set:
        return set(self.props.get(s, {}).get(RDF.type, ()))


def _set(attrs: dict, name: str, term) -> None:
    if term is not None:
        attrs[name] = _py(term)


# ---------------------------------------------------------------- one graph → facts

def _appearance(idx: _Index, ann) -> tuple | None:
    """(body, article, attributes) of one arg:Appearance, or None when incomplete."""
    body = idx.one(ann, OA.hasBody)
    target = idx.one(ann, OA.hasTarget)
    article = idx.one(target, OA.hasSource) if target is not None else None
    if body is None or article is None:
        return None
    attrs: dict = {}
    for selector in idx.all(target, OA.hasSelector):
        kinds = idx.types(selector)
        if OA.TextPositionSelector in kinds:
            _set(attrs, "offset_start", idx.one(selector, OA.start))
            _set(attrs, "offset_end", idx.one(selector, OA.end))
        if OA.TextQuoteSelector in kinds:
            _set(attrs, "quote", idx.one(selector, OA.exact))
    camp = idx.one(ann, ARG.camp)
    if camp is not None:
        attrs["camp"] = local_name(camp)
    _set(attrs, "is_key", idx.one(ann, ARG.isKey))
    _set(attrs, "salience", idx.one(ann, ARG.salience))
    _set(attrs, "camp_confidence", idx.one(ann, ARG.campConfidence))
    return body, article, attrs


def _article_attrs(idx: _Index, node) -> dict:
    title = str(idx.one(node, DCTERMS.title, "") or local_name(node))
    attrs = {"kind": "article", "text": title, "title": title,
             "identifier": str(idx.one(node, DCTERMS.identifier, local_name(node)))}
    for name, pred in (("date", DCTERMS.date), ("author", DCTERMS.creator), ("publisher", DCTERMS.publisher),
                       ("article_kind", ARG.kind), ("file", ARG.file), ("url", SCHEMA.url)):
        _set(attrs, name, idx.one(node, pred))
    # Several articles may share a title (a summary, a transcript…): the second line tells them apart.
    second = ", ".join(str(attrs[k]) for k in ("article_kind", "date") if attrs.get(k))
    attrs["label"] = _short(title, 36) + (f"\n{second}" if second else "")
    return attrs


def _forecast_attrs(idx: _Index, node) -> dict:
    text = str(idx.one(node, SCHEMA.text, "") or "")
    attrs = {"kind": "forecast", "text": text, "camp": local_name(idx.one(node, ARG.camp, ARG.both)),
             "confidence": local_name(idx.one(node, ARG.confidence, "possible"))}
    for name, pred in (("confidence_cue", ARG.confidenceCue), ("horizon_phrase", ARG.horizonPhrase)):
        _set(attrs, name, idx.one(node, pred))
    for name, pred in (("horizon_start", ARG.horizonStart), ("horizon_end", ARG.horizonEnd)):
        value = idx.one(node, pred)
        if value is not None and str(value)[:4].lstrip("-").isdigit():
            attrs[name] = int(str(value)[:4])
    predicted = [str(idx.one(q, SCHEMA.description, "")) for q in idx.all(node, ARG.predicts)]
    if any(predicted):
        attrs["predicts"] = "; ".join(p for p in predicted if p)
    years = [attrs.get("horizon_start"), attrs.get("horizon_end")]
    horizon = "–".join(str(y) for y in dict.fromkeys(y for y in years if y is not None))
    attrs["label"] = horizon or _short(attrs.get("horizon_phrase", ""), 20)
    return attrs


def _claim_description(idx: _Index, node) -> dict:
    desc: dict = {}
    _set(desc, "text", idx.one(node, SCHEMA.text))
    camp = idx.one(node, ARG.camp)
    if camp is not None:
        desc["camp"] = local_name(camp)
    _set(desc, "camp_confidence", idx.one(node, ARG.campConfidence))
    _set(desc, "source_count", idx.one(node, ARG.sourceCount))
    return desc


def _entity_description(idx: _Index, node) -> dict:
    desc: dict = {"concept": SKOS.Concept in idx.types(node), "aliases": [str(a) for a in idx.all(node, SKOS.altLabel)]}
    _set(desc, "label", idx.one(node, SKOS.prefLabel))
    _set(desc, "entity_type", idx.one(node, ARG.entityType))
    _set(desc, "same_as", idx.one(node, OWL.sameAs))
    return desc


def graph_facts(graph) -> tuple[list[NodeFact], list[EdgeFact]]:
    """What one named graph says about the map (see the module docstring)."""
    idx = _Index(graph)
    nodes: list[NodeFact] = []
    edges: list[EdgeFact] = []
    for node in idx.by_type.get(SCHEMA.Article, ()):
        nodes.append((str(node), "article", _article_attrs(idx, node)))
    for node in idx.by_type.get(ARG.Forecast, ()):
        nodes.append((str(node), "forecast", _forecast_attrs(idx, node)))
        claim = idx.one(node, ARG.statedIn)
        if claim is not None:
            edges.append((str(node), str(claim), "stated_in", "", {}))
    for node in idx.by_type.get(ARG.Claim, ()):
        nodes.append((str(node), "claim", {}))
    for ann in idx.by_type.get(ARG.Appearance, ()):
        found = _appearance(idx, ann)
        if found:
            body, article, attrs = found
            edges.append((str(body), str(article), "appears_in", str(ann), attrs))
    for body, count in Counter(idx.one(ann, OA.hasBody) for ann in idx.by_type.get(ARG.Mention, ())).items():
        if body is not None:
            nodes.append((str(body), "mentions", {"n": count}))
    # The terms looked up once: a namespace attribute costs a call, and this loop
    # visits every subject of the graph.
    text, source_count, is_key, forecast, appearance = (SCHEMA.text, ARG.sourceCount, ARG.isKey, ARG.Forecast,
                                                        ARG.Appearance)
    label, entity_type, mention_preds = SKOS.prefLabel, ARG.entityType, (SCHEMA.mentions, ARG.about)
    for subject, props in idx.props.items():
        if text in props and forecast not in idx.types(subject) or source_count in props:
            nodes.append((str(subject), "claim_desc", _claim_description(idx, subject)))
        if is_key in props and appearance not in idx.types(subject):
            nodes.append((str(subject), "claim_key", {"is_key": bool(_py(idx.one(subject, is_key)))}))
        if label in props or entity_type in props:
            nodes.append((str(subject), "entity", _entity_description(idx, subject)))
        for pred in mention_preds:
            if pred in props:
                edges.extend((str(subject), str(e), "mentions", "", {}) for e in idx.all(subject, pred))
    edges.extend(_relations(idx))
    return nodes, edges


def _relations(idx: _Index) -> list[EdgeFact]:
    details = {}
    for rel in idx.by_type.get(ARG.Relation, ()):
        rtype, source, target = (idx.one(rel, p) for p in (ARG.relationType, ARG.source, ARG.target))
        if None not in (rtype, source, target):
            attrs = {}
            _set(attrs, "cue", idx.one(rel, ARG.cue))
            _set(attrs, "similarity", idx.one(rel, ARG.similarity))
            details[(str(source), local_name(rtype), str(target))] = attrs
    found = []
    for kind in RELATION_KINDS:
        pred = getattr(ARG, kind)
        for source, props in idx.props.items():
            for target in set(props.get(pred, ())):
                key = (str(source), kind, str(target))
                found.append((key[0], key[2], kind, "", details.get(key, {})))
    return found


# ---------------------------------------------------------------- facts → attributes

def _claim_attrs(desc: dict, key: dict | None, appearances: list[tuple[str, str, dict]]) -> dict:
    found = [attrs for _, _, attrs in sorted(appearances, key=lambda a: a[1])]  # by annotation IRI
    text = str(desc.get("text", "") or "")
    if not text and found:
        text = found[0].get("quote", "")
    camp = desc.get("camp")
    if camp is None:
        votes = Counter(a["camp"] for a in found if "camp" in a)
        camp = votes.most_common(1)[0][0] if votes else "both"
    is_key = key["is_key"] if key is not None else any(a.get("is_key") for a in found)
    return {"kind": "claim", "label": _short(text) if is_key else "", "text": text, "camp": camp, "is_key": is_key,
            "camp_confidence": float(desc["camp_confidence"]) if "camp_confidence" in desc else 0.0,
            "source_count": (int(desc["source_count"]) if "source_count" in desc
                             else len({article for article, _, _ in appearances}))}


def node_attrs(facts: dict[str, list[dict]], appearances: list[tuple[str, str, dict]]) -> dict | None:
    """The attributes of an article, claim or forecast node from its facts (fact type →
    data, in graph order) and its appearances ((article, annotation, attributes));
    None if the facts make no such node."""
    if "forecast" in facts:
        return dict(facts["forecast"][0])
    if "claim" in facts:
        return _claim_attrs(facts.get("claim_desc", [{}])[0], facts.get("claim_key", [None])[0], appearances)
    if "article" in facts:
        return dict(facts["article"][0])
    return None


def entity_attrs(node: str, desc: dict | None, mentions: int) -> dict:
    """An entity node: mentioned by a claim or forecast, described by the links graph,
    ``mentions`` its arg:Mention annotations in the whole corpus."""
    desc = desc or {}
    label = str(desc.get("label", "") or local_name(node))
    etype = desc.get("entity_type")
    etype = str(etype) if etype is not None else ("Concept" if desc.get("concept") else "Thing")
    attrs = {"kind": "entity", "label": label, "text": label, "entity_type": etype,
             "group": "concept" if etype == "Concept" else "named", "mentions": mentions}
    if desc.get("aliases"):
        attrs["aliases"] = "; ".join(desc["aliases"])
    if "same_as" in desc:
        attrs["same_as"] = desc["same_as"]
    return attrs


def edge_present(kind: str, u: str, v: str, u_kind: str | None, v_kind: str | None) -> bool:
    """Whether facts of an edge make an edge, given its ends' node kinds (None: no such
    node; entities come into being through their ``mentions`` edges)."""
    if kind == "appears_in":
        return u_kind not in (None, "entity") and v_kind not in (None, "entity")
    if kind == "mentions":
        return u_kind in ("claim", "forecast")
    if kind in RELATION_KINDS:
        return u_kind == "claim" and v_kind is not None and u != v
    if kind == "stated_in":
        return u_kind == "forecast" and v_kind is not None
    return False


def edge_attrs(kind: str, facts: list[tuple[str, dict]]) -> dict:
    """The attributes of an edge from its facts ((tag, data) from every graph)."""
    if kind == "appears_in":  # an article's first appearance of the claim
        _, data = min(facts, key=lambda f: (f[1].get("offset_start", 0), f[0]))
        return {"kind": kind, **data}
    attrs = {"kind": kind}
    for name in ("cue", "similarity"):
        values = [data[name] for _, data in facts if name in data]
        if values:
            attrs[name] = min(values, key=str)
    return attrs


def importance(kind: str, attrs: dict, degree: int, relations: int, camps: set) -> float:
    """How much a node matters when a big map is cut (:func:`argmap.view.limit`): articles
    first, then key claims, claims made by several articles or with relations,
    forecasts, and entities mentioned from several camps.  ``relations`` counts the
    node's supports/contrasts/restates edges, ``camps`` are the camps of what mentions it."""
    if kind == "article":
        return 1e9
    if kind == "claim":
        return 1000 * attrs.get("is_key", False) + 20 * attrs.get("source_count", 1) + 5 * relations + degree
    if kind == "forecast":
        return 30 + degree
    return 10 * len(camps) + degree


_KIND_ORDER = {kind: n for n, kind in enumerate(("article", "claim", "forecast", "entity"))}
_EDGE_ORDER = {kind: n for n, kind in enumerate(("appears_in", "mentions", *RELATION_KINDS, "stated_in"))}


def build_graph(nodes: dict[str, dict], edges: dict[tuple[str, str, str], dict]) -> nx.MultiDiGraph:
    """The networkx map, nodes and edges in a fixed order (by kind, then IRI)."""
    g = nx.MultiDiGraph()
    for node in sorted(nodes, key=lambda n: (_KIND_ORDER.get(nodes[n]["kind"], 9), n)):
        g.add_node(node, **nodes[node])
    for u, v, kind in sorted(edges, key=lambda e: (_EDGE_ORDER.get(e[2], 9), e[0], e[1])):
        g.add_edge(u, v, kind, **edges[(u, v, kind)])
    return g


def combine(graphs: Iterable[tuple[str, tuple[list[NodeFact], list[EdgeFact]]]]
            ) -> tuple[dict[str, dict], dict[tuple[str, str, str], dict]]:
    """Nodes and edges (with attributes) from the facts of some graphs, given by name."""
    facts: dict = defaultdict(lambda: defaultdict(list))
    mentions: Counter = Counter()
    edge_facts: dict = defaultdict(list)
    appearances: dict = defaultdict(list)
    for _, (node_facts, graph_edges) in sorted(graphs, key=lambda item: item[0]):
        for node, kind, data in node_facts:
            if kind == "mentions":
                mentions[node] += data["n"]
            else:
                facts[node][kind].append(data)
        for u, v, kind, tag, data in graph_edges:
            edge_facts[(u, v, kind)].append((tag, data))
            if kind == "appears_in":
                appearances[u].append((v, tag, data))
    nodes = {}
    for node, found in facts.items():
        attrs = node_attrs(found, appearances.get(node, []))
        if attrs is not None:
            nodes[node] = attrs
    edges = {}
    # Entities exist through the edges that mention them, and relations may end at one.
    for stage in ("mentions", "other"):
        for (u, v, kind), found in edge_facts.items():
            if (kind == "mentions") != (stage == "mentions"):
                continue
            u_kind, v_kind = (nodes[n]["kind"] if n in nodes else None for n in (u, v))
            if edge_present(kind, u, v, u_kind, v_kind):
                edges[(u, v, kind)] = edge_attrs(kind, found)
                if kind == "mentions" and v not in nodes:
                    nodes[v] = entity_attrs(v, facts.get(v, {}).get("entity", [None])[0], mentions[v])
    return nodes, edges
