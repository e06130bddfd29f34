"""Write the map in other formats.

GraphML and GEXF come from the networkx graph the page draws (:func:`argmap.view.map_graph`,
optionally narrowed by :func:`argmap.view.select`, laid out by :func:`argmap.view.page.place`);
JSON-LD, Turtle and TriG come from the RDF dataset itself (Turtle merges the named graphs,
JSON-LD and TriG keep them).  Argdown and AIF JSON hold the argument map (claims and
their relations, :mod:`argmap.view.argmaps`).

>>> from argmap.model import Article, Claim, Extraction, Span
>>> from argmap.link import link
>>> from argmap.graph import to_dataset
>>> body = "Open models will win."
>>> ds = to_dataset(link([Extraction(Article("a1", "T", body), claims=(Claim(Span.of(body, 0, 21), "open", 0.9),))]))
>>> export(ds, "graphml").startswith("<?xml")
True
>>> "Open models will win." in export(ds, "turtle")
True
"""

from __future__ import annotations

import json

import networkx as nx
from rdflib import Dataset

from ..errors import ArgmapError
from ..graph.vocab import PREFIXES
from ..settings import ARGUMENT_FORMATS, EXPORT_FORMATS, GRAPH_FORMATS, RDF_FORMATS
from .argmaps import to_aif, to_argdown
from .page import STYLE, map_graph, place, select

__all__ = ["export", "export_graph", "export_dataset"]

_XML = '<?xml version="1.0" encoding="utf-8"?>\n'


def _unique_edge_ids(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose edge keys are unique (GraphML and GEXF want distinct edge ids)."""
    out = nx.MultiDiGraph(**g.graph)
    out.add_nodes_from(g.nodes(data=True))
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        out.add_edge(u, v, key=f"e{i}", **data)
    return out


def _rgb(colour: str) -> dict:
    colour = colour.lstrip("#")
    return {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0}


def _viz(attrs: dict) -> dict:
    kind = attrs["kind"]
    if kind == "article":
        colour = STYLE["article"]
    elif kind == "entity":
        colour = STYLE["entity"].get(attrs.get("group"), STYLE["entity"]["named"])
    else:
        colour = STYLE["camp"].get(attrs.get("camp"), "#888888")
    size = 20.0 if attrs.get("is_key") else 10.0
    viz = {"color": _rgb(colour), "size": size}
    if "x" in attrs:
        viz["position"] = {"x": float(attrs["x"]), "y": -float(attrs["y"]), "z": 0.0}
    return viz


def export_graph(g: nx.MultiDiGraph, fmt: str) -> str:
    """GraphML or GEXF text of a map graph (nodes keyed by IRI, edges by kind)."""
    g = _unique_edge_ids(g)
    if fmt == "graphml":
        return _XML + "\n".join(nx.generate_graphml(g)) + "\n"
    if fmt == "gexf":
        for _, attrs in g.nodes(data=True):
            attrs["viz"] = _viz(attrs)
            text = " ".join(attrs.get("text", "").split())
            attrs["label"] = attrs.get("label") or (text if len(text) <= 40 else text[:39] + "…")
        return _XML + "\n".join(nx.generate_gexf(g)) + "\n"
    raise ArgmapError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")


def export_dataset(ds: Dataset, fmt: str) -> str:
    """JSON-LD (named graphs kept), Turtle (merged) or TriG text of the dataset."""
    if fmt == "jsonld":
        return ds.serialize(format="json-ld", context=dict(PREFIXES), indent=2)
    if fmt in ("turtle", "trig"):
        return ds.serialize(format=fmt)
    raise ArgmapError(f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")


def export(ds: Dataset, fmt: str, *, focus: str | None = None, camp: str | None = None,
           source: str | None = None, bridges: bool = False, depth: int = 1) -> str:
    """The dataset in ``fmt``; a view (focus, camp, source, bridges) narrows GraphML and GEXF only."""
    if fmt in GRAPH_FORMATS:
        g = select(map_graph(ds), focus=focus, camp=camp, source=source, bridges=bridges, depth=depth)
        place(g)
        return export_graph(g, fmt)
    if fmt in RDF_FORMATS + ARGUMENT_FORMATS:
        if focus is not None or camp is not None or source is not None or bridges:
            raise ArgmapError(f"--format {fmt} writes the whole map; views (--focus, --camp, --source, "
                              "--bridges) apply to graphml and gexf only")
        if fmt == "argdown":
            return to_argdown(map_graph(ds), "argmap: the argument map")
        if fmt == "aif":
            return json.dumps(to_aif(map_graph(ds)), indent=1, ensure_ascii=False) + "\n"
        return export_dataset(ds, fmt)
    raise ArgmapError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
