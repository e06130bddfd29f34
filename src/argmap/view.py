"""The interactive map: an RDF dataset → a networkx graph → one self-contained HTML page.

Everything is read from the RDF graph (any dataset :mod:`argmap.graph` wrote), never
from extractor internals.  The steps are plain functions::

    ds = read_dataset("graphs/argmap.trig")
    g = map_graph(ds)                        # networkx MultiDiGraph, GraphML-safe attributes
    g = select(g, camp="open")               # optional views: focus, camp, source, bridges
    g, notice = limit(g, 2000)               # keep a big map drawable, say so when cut
    place(g)                                 # frozen layout: x, y node attributes
    html = render_html(g)                    # one page, scripts and data inline, no network

:func:`build_view` runs them in that order.  Nodes are keyed by IRI and have a ``kind``
(claim, forecast, entity, article); edges are keyed by their ``kind`` (mentions,
appears_in, supports, contrasts, restates, stated_in).  All attribute values are
strings, numbers or booleans, so the graph can be written as GraphML or GEXF as is.

>>> from argmap.model import Article, Claim, Extraction, Span
>>> from argmap.link import link
>>> from argmap.graph import to_dataset
>>> body = "Open models will win."
>>> article = Article("a1", "A title", body)
>>> claim = Claim(Span.of(body, 0, len(body)), "open", 0.9, key=True)
>>> ds = to_dataset(link([Extraction(article, claims=(claim,))]))
>>> g = map_graph(ds)
>>> sorted(kind for _, kind in g.nodes(data="kind"))
['article', 'claim']
>>> [k for _, _, k in g.edges(keys=True)]
['appears_in']
>>> page = render_html(build_view(ds))
>>> "Open models will win." in page and "https://cdn" not in page
True
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Literal, URIRef

from . import layout
from .errors import ViewError
from .fsutil import atomic_write_text
from .model import CAMPS
from .vocab import ARG, DCTERMS, OA, OWL, RDF, SCHEMA, SKOS

__all__ = [
    "NODE_KINDS",
    "EDGE_KINDS",
    "RELATION_KINDS",
    "DEFAULT_MAX_NODES",
    "STYLE",
    "ViewError",
    "MapView",
    "map_graph",
    "find_nodes",
    "select",
    "limit",
    "place",
    "build_view",
    "render_html",
    "write_html",
]

NODE_KINDS = ("claim", "forecast", "entity", "article")
RELATION_KINDS = ("supports", "contrasts", "restates")
EDGE_KINDS = ("mentions", "appears_in", *RELATION_KINDS, "stated_in")
DEFAULT_MAX_NODES = 2000

# One table for colours and shapes: the page, its legend and the GEXF export read it.
STYLE = {
    "camp": {"closed": "#2f6db5", "open": "#e07b12", "both": "#8e5fb5"},
    "entity": {"concept": "#2a9d8f", "named": "#8a6d4f"},
    "article": "#3d3d3d",
    "shape": {"claim": "dot", "forecast": "diamond", "concept": "hexagon", "named": "square",
              "article": "box"},
    "edge": {
        "supports": {"color": "#2e9e44", "dashes": False, "arrows": True, "width": 2.0},
        "contrasts": {"color": "#d0342c", "dashes": True, "arrows": True, "width": 2.0},
        "restates": {"color": "#8a8a8a", "dashes": "dotted", "arrows": False, "width": 1.6},
        "stated_in": {"color": "#b9a6cf", "dashes": True, "arrows": True, "width": 1.0},
        "mentions": {"color": "#c9ced6", "dashes": False, "arrows": False, "width": 0.7},
        "appears_in": {"color": "#e3e3e3", "dashes": False, "arrows": False, "width": 0.5},
    },
}

_LABEL_CHARS = 40
_STATIC = files("argmap") / "data" / "static"
_PYVIS_VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


@dataclass(frozen=True)
class MapView:
    """A graph ready to draw, with what was asked and what was left out."""

    graph: nx.MultiDiGraph
    description: str = "whole map"
    notices: tuple[str, ...] = ()
    total_nodes: int = 0


# ---------------------------------------------------------------- dataset → networkx

def _local(term) -> str:
    text = str(term)
    return re.split(r"[#/]", text)[-1]


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
    """Every triple of the dataset: subject → predicate → objects, and subjects by class."""

    def __init__(self, ds: Dataset):
        self.props: dict = defaultdict(lambda: defaultdict(list))
        by_type: dict = defaultdict(set)
        rdf_type = str(RDF.type)
        # Graph by graph is much cheaper than the union view, which works out each triple's contexts.
        for graph in ds.graphs():
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
        attrs["camp"] = _local(camp)
    _set(attrs, "is_key", idx.one(ann, ARG.isKey))
    _set(attrs, "salience", idx.one(ann, ARG.salience))
    _set(attrs, "camp_confidence", idx.one(ann, ARG.campConfidence))
    return body, article, attrs


def _article_attrs(idx: _Index, node) -> dict:
    title = str(idx.one(node, DCTERMS.title, "") or _local(node))
    attrs = {"kind": "article", "text": title, "title": title,
             "identifier": str(idx.one(node, DCTERMS.identifier, _local(node)))}
    for name, pred in (("date", DCTERMS.date), ("author", DCTERMS.creator), ("publisher", DCTERMS.publisher),
                       ("article_kind", ARG.kind), ("file", ARG.file), ("url", SCHEMA.url)):
        _set(attrs, name, idx.one(node, pred))
    # Several articles may share a title (a summary, a transcript…): the second line tells them apart.
    second = ", ".join(str(attrs[k]) for k in ("article_kind", "date") if attrs.get(k))
    attrs["label"] = _short(title, 36) + (f"\n{second}" if second else "")
    return attrs


def _entity_attrs(idx: _Index, node, mentions: int) -> dict:
    label = str(idx.one(node, SKOS.prefLabel, "") or _local(node))
    etype = idx.one(node, ARG.entityType)
    etype = str(etype) if etype is not None else ("Concept" if SKOS.Concept in idx.types(node) else "Thing")
    attrs = {"kind": "entity", "label": label, "text": label, "entity_type": etype,
             "group": "concept" if etype == "Concept" else "named", "mentions": mentions}
    aliases = [str(a) for a in idx.all(node, SKOS.altLabel)]
    if aliases:
        attrs["aliases"] = "; ".join(aliases)
    _set(attrs, "same_as", idx.one(node, OWL.sameAs))
    return attrs


def _forecast_attrs(idx: _Index, node) -> dict:
    text = str(idx.one(node, SCHEMA.text, "") or "")
    attrs = {"kind": "forecast", "text": text, "camp": _local(idx.one(node, ARG.camp, ARG.both)),
             "confidence": _local(idx.one(node, ARG.confidence, "possible"))}
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


def _claim_attrs(idx: _Index, node, appearances: list[dict]) -> dict:
    text = str(idx.one(node, SCHEMA.text, "") or "")
    if not text and appearances:
        text = appearances[0].get("quote", "")
    camp = idx.one(node, ARG.camp)
    if camp is not None:
        camp = _local(camp)
    else:
        votes = Counter(a["camp"] for a in appearances if "camp" in a)
        camp = votes.most_common(1)[0][0] if votes else "both"
    key = idx.one(node, ARG.isKey)
    key = bool(key.toPython()) if key is not None else any(a.get("is_key") for a in appearances)
    confidence = idx.one(node, ARG.campConfidence)
    count = idx.one(node, ARG.sourceCount)
    return {"kind": "claim", "label": _short(text) if key else "", "text": text, "camp": camp, "is_key": key,
            "camp_confidence": float(_py(confidence)) if confidence is not None else 0.0,
            "source_count": int(_py(count)) if count is not None else len({a["article"] for a in appearances})}


def map_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The map as a networkx graph: claims, forecasts, entities and articles.

    Entities are included when a claim mentions them or a forecast is about them;
    ``mentions`` counts their arg:Mention annotations in the whole corpus.
    """
    idx = _Index(ds)
    g = nx.MultiDiGraph()
    appearances: dict = defaultdict(list)
    for ann in idx.by_type.get(ARG.Appearance, ()):
        found = _appearance(idx, ann)
        if found:
            body, article, attrs = found
            appearances[body].append({"article": article, **attrs})
    mention_counts = Counter(idx.one(ann, OA.hasBody) for ann in idx.by_type.get(ARG.Mention, ()))

    for node in idx.by_type.get(SCHEMA.Article, ()):
        g.add_node(str(node), **_article_attrs(idx, node))
    for node in idx.by_type.get(ARG.Claim, ()):
        g.add_node(str(node), **_claim_attrs(idx, node, appearances.get(node, [])))
    for node in idx.by_type.get(ARG.Forecast, ()):
        g.add_node(str(node), **_forecast_attrs(idx, node))

    for body in sorted(appearances):
        for app in sorted(appearances[body], key=lambda a: (str(a["article"]), a.get("offset_start", 0))):
            source, target = str(body), str(app["article"])
            if source in g and target in g and not g.has_edge(source, target, "appears_in"):
                attrs = {k: v for k, v in app.items() if k != "article"}
                g.add_edge(source, target, "appears_in", kind="appears_in", **attrs)

    entity_links = []
    for pred in (SCHEMA.mentions, ARG.about):
        for node in [n for n in g if g.nodes[n]["kind"] in ("claim", "forecast")]:
            entity_links += [(node, e) for e in idx.all(URIRef(node), pred)]
    for node, entity in sorted(entity_links):
        if str(entity) not in g:
            g.add_node(str(entity), **_entity_attrs(idx, entity, mention_counts.get(entity, 0)))
        g.add_edge(node, str(entity), "mentions", kind="mentions")

    _add_relations(idx, g)
    for node in idx.by_type.get(ARG.Forecast, ()):
        claim = idx.one(node, ARG.statedIn)
        if claim is not None and str(claim) in g:
            g.add_edge(str(node), str(claim), "stated_in", kind="stated_in")
    return g


def _add_relations(idx: _Index, g: nx.MultiDiGraph) -> None:
    details = {}
    for rel in idx.by_type.get(ARG.Relation, ()):
        rtype, source, target = (idx.one(rel, p) for p in (ARG.relationType, ARG.source, ARG.target))
        if None not in (rtype, source, target):
            attrs = {}
            _set(attrs, "cue", idx.one(rel, ARG.cue))
            _set(attrs, "similarity", idx.one(rel, ARG.similarity))
            details[(str(source), _local(rtype), str(target))] = attrs
    for kind in RELATION_KINDS:
        pred = getattr(ARG, kind)
        for source in sorted(n for n in g if g.nodes[n]["kind"] == "claim"):
            for target in idx.all(URIRef(source), pred):
                if str(target) in g and str(target) != source:
                    attrs = details.get((source, kind, str(target)), {})
                    g.add_edge(source, str(target), kind, kind=kind, **attrs)


# ---------------------------------------------------------------- views

def _camps_of(g: nx.MultiDiGraph, node: str) -> set:
    """Camps of the claims and forecasts linked to ``node`` by a ``mentions`` edge."""
    return {g.nodes[u].get("camp") for u, _, k in g.in_edges(node, keys=True) if k == "mentions"}


def find_nodes(g: nx.MultiDiGraph, text: str) -> list[str]:
    """Nodes ``text`` names: an IRI, an entity label or alias, an article id, or words of a claim.

    Exact names win over substrings; comparison ignores case.
    """
    wanted = " ".join(text.split()).casefold()
    if text in g:
        return [text]
    exact, partial = [], []
    for node, attrs in g.nodes(data=True):
        names = [attrs.get("label", ""), attrs.get("identifier", "")]
        names += [a for a in attrs.get("aliases", "").split("; ") if a]
        if wanted in {" ".join(n.split()).casefold() for n in names if n}:
            exact.append(node)
        elif wanted in " ".join(attrs.get("text", "").split()).casefold():
            partial.append(node)
    return sorted(exact) or sorted(partial)


def _article_node(g: nx.MultiDiGraph, source: str) -> str:
    articles = {n: a for n, a in g.nodes(data=True) if a["kind"] == "article"}
    if source in articles:
        return source
    ids = {a["identifier"]: n for n, a in articles.items()}
    if source in ids:
        return ids[source]
    prefixed = [i for i in ids if i.startswith(source)]
    if len(prefixed) == 1:
        return ids[prefixed[0]]
    shown = sorted(prefixed or ids)
    known = ", ".join(shown[:10]) + (f", … ({len(shown)} in all)" if len(shown) > 10 else "") if shown else "none"
    what = "is ambiguous" if prefixed else "matches no article"
    raise ViewError(f"--source {source!r} {what}; article ids: {known}")


def select(g: nx.MultiDiGraph, *, focus: str | None = None, camp: str | None = None,
           source: str | None = None, bridges: bool = False, depth: int = 1) -> nx.MultiDiGraph:
    """The part of the map a view shows (a new graph; ``g`` is untouched).

    * ``source``: one article, its claims and forecasts and what they mention;
    * ``camp``: claims and forecasts of that camp, with their entities and articles;
    * ``bridges``: what connects the camps: entities mentioned by both closed and open
      claims (with those claims) and contrasts between claims of different camps;
    * ``focus``: the neighbourhood (``depth`` steps, any direction) of the nodes
      :func:`find_nodes` finds for the text.
    Options combine: each narrows the result of the one before.
    """
    if camp is not None and camp not in CAMPS:
        raise ViewError(f"unknown camp {camp!r}; choose one of {', '.join(CAMPS)}")
    keep = set(g)
    if source is not None:
        article = _article_node(g, source)
        said = {u for u, _, k in g.in_edges(article, keys=True) if k == "appears_in"}
        keep = {article} | said | {v for u in said for _, v, k in g.out_edges(u, keys=True) if k == "mentions"}
    if camp is not None:
        said = {n for n in keep if g.nodes[n].get("camp") == camp}
        around = {v for u in said for v in nx.all_neighbors(g, u)
                  if g.nodes[v]["kind"] in ("entity", "article")}
        keep = said | (around & keep)
    if bridges:
        keep = _bridges(g.subgraph(keep))
    if focus is not None:
        centres = [n for n in find_nodes(g, focus) if n in keep]
        if not centres:
            raise ViewError(f"--focus {focus!r} matches no entity label, claim text or IRI in this view")
        sub = g.subgraph(keep).to_undirected(as_view=True)
        near: set = set()
        for centre in centres:
            near |= set(nx.single_source_shortest_path_length(sub, centre, cutoff=depth))
        keep = near
    if not keep:
        asked = ", ".join(f"--{k} {v}" for k, v in (("source", source), ("camp", camp)) if v is not None)
        asked = ", ".join(filter(None, [asked, "--bridges" if bridges else ""]))
        raise ViewError(f"nothing in the map matches {asked}")
    return g.subgraph(keep).copy()


def _bridges(g: nx.MultiDiGraph) -> set:
    keep = set()
    for node, kind in g.nodes(data="kind"):
        if kind == "entity" and {"closed", "open"} <= _camps_of(g, node):
            keep.add(node)
            keep |= {u for u, _, k in g.in_edges(node, keys=True) if k == "mentions"}
    for u, v, k in g.edges(keys=True):
        if k == "contrasts" and g.nodes[u].get("camp") != g.nodes[v].get("camp"):
            keep |= {u, v}
    return keep


def _importance(g: nx.MultiDiGraph, node: str) -> float:
    attrs = g.nodes[node]
    kind = attrs["kind"]
    degree = g.degree(node)
    if kind == "article":
        return 1e9
    if kind == "claim":
        relations = sum(1 for *_, k in g.edges(node, keys=True) if k in RELATION_KINDS)
        relations += sum(1 for *_, k in g.in_edges(node, keys=True) if k in RELATION_KINDS)
        return 1000 * attrs.get("is_key", False) + 20 * attrs.get("source_count", 1) + 5 * relations + degree
    if kind == "forecast":
        return 30 + degree
    return 10 * len(_camps_of(g, node)) + degree


def limit(g: nx.MultiDiGraph, max_nodes: int | None) -> tuple[nx.MultiDiGraph, str | None]:
    """Cut a map above ``max_nodes`` to its most important nodes; say what was done.

    Articles are kept, then key claims, claims made by several articles or with
    relations, forecasts, and entities mentioned from several camps.
    """
    if max_nodes is None or len(g) <= max_nodes:
        return g, None
    ranked = sorted(g, key=lambda n: (-_importance(g, n), n))
    keep = set(ranked[:max_nodes])
    sub = g.subgraph(keep).copy()
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0 and sub.nodes[n]["kind"] != "article"])
    notice = (f"showing {len(sub)} of {len(g)} nodes (above the limit of {max_nodes}): key claims, "
              "claims made or related across articles, forecasts and the most shared entities. "
              "Narrow the view with --focus, --source, --camp or --bridges, or raise --max-nodes.")
    return sub, notice


def place(g: nx.MultiDiGraph, **options) -> dict:
    """Frozen positions for the page (see :func:`argmap.layout.place`), most important nodes placed first."""
    return layout.place(g, importance=lambda node: _importance(g, node), **options)


def build_view(ds: Dataset, *, focus: str | None = None, camp: str | None = None, source: str | None = None,
               bridges: bool = False, depth: int = 1, max_nodes: int | None = DEFAULT_MAX_NODES) -> MapView:
    """Graph → selection → limit → layout, with a description of the view."""
    full = map_graph(ds)
    narrowed = focus is not None or camp is not None or source is not None or bridges
    g = select(full, focus=focus, camp=camp, source=source, bridges=bridges, depth=depth) if narrowed else full
    parts = []
    if source is not None:
        parts.append(f"article {full.nodes[_article_node(full, source)]['identifier']}")
    if camp is not None:
        parts.append(f"{camp} camp")
    if bridges:
        parts.append("bridges between the camps")
    if focus is not None:
        parts.append(f"neighbourhood of “{focus}”")
    g, notice = limit(g, max_nodes)
    bands = place(g)
    g.graph["bands"] = json.dumps(bands)
    return MapView(g, ", ".join(parts) or "whole map", (notice,) if notice else (), len(full))


def _payload(view: MapView) -> dict:
    g = view.graph
    index = {node: i for i, node in enumerate(g)}
    nodes = [{"id": node, **attrs} for node, attrs in g.nodes(data=True)]
    edges = [{"from": index[u], "to": index[v], **attrs} for u, v, attrs in g.edges(data=True)]
    counts = Counter(a["kind"] for a in g.nodes.values())
    return {"meta": {"description": view.description, "notices": list(view.notices),
                     "total": view.total_nodes, "counts": counts,
                     "bands": json.loads(g.graph.get("bands", "{}"))},
            "style": STYLE, "nodes": nodes, "edges": edges}


def _script_json(data) -> str:
    """JSON that is inert inside <script>: no '<', '>' or '&' survive, nor U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _vis_js() -> str:
    """vis-network as shipped inside pyvis (a pinned dependency), so nothing comes from a CDN."""
    resource = files("pyvis").joinpath(*_PYVIS_VIS_JS)
    try:
        return resource.read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a broken install
        raise ViewError(f"cannot read vis-network from the pyvis package ({exc}); reinstall pyvis") from None


def render_html(view_or_graph: MapView | nx.MultiDiGraph) -> str:
    """The page as one HTML string: styles, scripts and data inline, no external loads.

    A Content-Security-Policy allows only this page's own scripts (by hash) and
    forbids every network request; data text is only ever set with textContent.
    """
    view = view_or_graph if isinstance(view_or_graph, MapView) else MapView(view_or_graph, total_nodes=len(view_or_graph))
    if not all("x" in a for a in view.graph.nodes.values()):
        g = view.graph.copy()
        g.graph["bands"] = json.dumps(place(g))
        view = MapView(g, view.description, view.notices, view.total_nodes)
    css = (_STATIC / "page.css").read_text(encoding="utf-8")
    app = (_STATIC / "page.js").read_text(encoding="utf-8")
    vis = _vis_js()
    csp = "; ".join([
        "default-src 'none'", f"script-src {_sha256(vis)} {_sha256(app)}", f"style-src {_sha256(css)}",
        "img-src 'none'", "connect-src 'none'", "base-uri 'none'", "form-action 'none'", "object-src 'none'",
    ])
    parts = {"CSP": csp, "CSS": css, "VIS": vis, "APP": app, "DATA": _script_json(_payload(view))}
    template = (_STATIC / "page.html").read_text(encoding="utf-8")
    # One pass: text substituted in is never scanned for placeholders again.
    return re.sub(r"@@(CSP|CSS|VIS|APP|DATA)@@", lambda m: parts[m.group(1)], template)


def write_html(view: MapView | nx.MultiDiGraph, path: Path) -> Path:
    """Write the page atomically; return its path."""
    path = Path(path)
    atomic_write_text(path, render_html(view))
    return path
