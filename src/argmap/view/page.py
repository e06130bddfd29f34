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
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from ..errors import ViewError
from ..fsutil import atomic_write_text
from ..model import CAMPS
from ..settings import DEFAULT_MAX_NODES
from . import layout, mapfacts, overview
from .mapfacts import EDGE_KINDS, NODE_KINDS, RELATION_KINDS

__all__ = [
    "NODE_KINDS",
    "EDGE_KINDS",
    "RELATION_KINDS",
    "STYLE",
    "ViewError",
    "MapView",
    "map_graph",
    "find_nodes",
    "select",
    "limit",
    "limit_notice",
    "node_importance",
    "place",
    "build_view",
    "render_html",
    "write_html",
]


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

_STATIC = files("argmap") / "data" / "static"
_PYVIS_VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


@dataclass(frozen=True)
class MapView:
    """A graph ready to draw, with what was asked and what was left out."""

    graph: nx.MultiDiGraph
    description: str = "whole map"
    notices: tuple[str, ...] = ()
    total_nodes: int = 0
    # The corpus's counts with the CLI's meaning (claims and forecasts: one per article that
    # makes them; entities: every entity of the graph), whatever part of the map is drawn.
    totals: tuple[tuple[str, int], ...] = ()
    narrowed: bool = False  # a view the user asked for (--focus, --camp …) opens as drawn, not on the overview


# ---------------------------------------------------------------- dataset → networkx

def map_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The map as a networkx graph: claims, forecasts, entities and articles.

    Entities are included when a claim mentions them or a forecast is about them;
    ``mentions`` counts their arg:Mention annotations in the whole corpus.  Each named
    graph is read on its own and what it says is combined (:mod:`argmap.view.mapfacts`),
    so the map data of a graphs folder can be kept up to date graph by graph
    (:mod:`argmap.workspace.mapstate`).
    """
    facts = [(str(g.identifier), mapfacts.graph_facts(g)) for g in ds.graphs()]
    g = mapfacts.build_graph(*mapfacts.combine(facts))
    g.graph["entities"] = len({node for _, (node_facts, _) in facts for node, kind, _ in node_facts if kind == "entity"})
    return g


def totals(g: nx.MultiDiGraph) -> tuple[tuple[str, int], ...]:
    """Articles, claims, forecasts and entities of a whole map, counted as the CLI counts them."""
    said = Counter(g.nodes[u]["kind"] for u, _, k in g.edges(keys=True) if k == "appears_in")
    articles = sum(1 for _, kind in g.nodes(data="kind") if kind == "article")
    entities = g.graph.get("entities", sum(1 for _, kind in g.nodes(data="kind") if kind == "entity"))
    return (("articles", articles), ("claims", said["claim"]), ("forecasts", said["forecast"]), ("entities", entities))


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


def node_importance(g: nx.MultiDiGraph, node: str) -> float:
    """How much ``node`` of a map graph matters when a big map is cut (:func:`argmap.view.mapfacts.importance`)."""
    attrs = g.nodes[node]
    relations = sum(1 for *_, k in g.out_edges(node, keys=True) if k in RELATION_KINDS)
    relations += sum(1 for *_, k in g.in_edges(node, keys=True) if k in RELATION_KINDS)
    camps = _camps_of(g, node) if attrs["kind"] == "entity" else set()
    return mapfacts.importance(attrs["kind"], attrs, g.degree(node), relations, camps)


def limit(g: nx.MultiDiGraph, max_nodes: int | None) -> tuple[nx.MultiDiGraph, str | None]:
    """Cut a map above ``max_nodes`` to its most important nodes; say what was done.

    Articles are kept, then key claims, claims made by several articles or with
    relations, forecasts, and entities mentioned from several camps.
    """
    if max_nodes is None or len(g) <= max_nodes:
        return g, None
    ranked = sorted(g, key=lambda n: (-node_importance(g, n), n))
    keep = set(ranked[:max_nodes])
    sub = g.subgraph(keep).copy()
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0 and sub.nodes[n]["kind"] != "article"])
    return sub, limit_notice(len(sub), len(g), max_nodes)


def limit_notice(shown: int, total: int, max_nodes: int) -> str:
    """What :func:`limit` says when it cuts a map."""
    return (f"showing {shown} of {total} nodes (above the limit of {max_nodes}): key claims, "
            "claims made or related across articles, forecasts and the most shared entities. "
            "Narrow the view with --focus, --source, --camp or --bridges, or raise --max-nodes.")


def place(g: nx.MultiDiGraph, **options) -> dict:
    """Frozen positions for the page (see :func:`argmap.view.layout.place`), most important nodes placed first."""
    return layout.place(g, importance=lambda node: node_importance(g, node), **options)


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
    return MapView(g, ", ".join(parts) or "whole map", (notice,) if notice else (), len(full), totals(full), narrowed)


def _payload(view: MapView) -> dict:
    g = view.graph
    index = {node: i for i, node in enumerate(g)}
    nodes = [{"id": node, **attrs} for node, attrs in g.nodes(data=True)]
    edges = [{"from": index[u], "to": index[v], **attrs} for u, v, attrs in g.edges(data=True)]
    counts = Counter(a["kind"] for a in g.nodes.values())
    fold, sources, views = overview.all_views(g)
    for node, best in fold.items():
        if best != node:
            nodes[index[node]]["fold"] = index[best]
        elif sources.get(node, 0) > 1:
            nodes[index[node]]["fold_sources"] = sources[node]
    return {"meta": {"description": view.description, "notices": list(view.notices),
                     "total": view.total_nodes, "counts": counts, "totals": dict(view.totals or totals(g)),
                     "bands": json.loads(g.graph.get("bands", "{}")),
                     # A small map reads whole; a big one opens on the overview.
                     "start": "overview" if len(g) > OVERVIEW_ABOVE and not view.narrowed else "all"},
            "style": STYLE, "nodes": nodes, "edges": edges, "views": [_view_json(v, index) for v in views]}


# The whole map is the first view up to this many nodes; above it, the overview is.
OVERVIEW_ABOVE = 150


def _view_json(v: overview.View, index: dict[str, int]) -> dict:
    rows = [{"title": r.title, "header": index[r.header] if r.header else None,
             "cells": {camp: [index[n] for n in nodes] for camp, nodes in r.cells}} for r in v.rows]
    return {"name": v.name, "title": v.title, "note": v.note, "rows": rows}


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
    """vis-network as shipped inside pyvis (a pinned dependency), so nothing comes from a CDN.

    The file is found without importing pyvis (which costs a fifth of a second, and
    every ``argmap add`` writes the page)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    try:
        if spec is None or not spec.submodule_search_locations:
            raise OSError("pyvis is not installed")
        resource = Path(list(spec.submodule_search_locations)[0]).joinpath(*_PYVIS_VIS_JS)
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
        view = MapView(g, view.description, view.notices, view.total_nodes, view.totals, view.narrowed)
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
