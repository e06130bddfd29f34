"""The argument map in the formats of argument-mapping tools: Argdown and AIF.

Both are written from the map graph (:func:`argmap.view.map_graph`): its claims, the
``supports`` and ``contrasts`` edges between them (one article's relations) and the
``restates`` edges across articles.

* **Argdown** (https://argdown.org): one section per article; each claim is a statement
  defined once, under the first article it appears in, tagged with its camp (``#open``,
  ``#closed``, ``#both``; ``#key`` for key claims) and carrying its sources as metadata;
  a support is an incoming ``+`` relation of the supported statement, a contrast an
  incoming ``-`` (attack).  Text is escaped so the statement reads back verbatim.
* **AIF** JSON (the Argument Interchange Format of AIFdb and OVA): an I-node per claim,
  and an S-node per relation between two I-nodes: RA (inference) for a support, CA
  (conflict) for a contrast, MA (rephrase) for a restatement; edges run premise → S-node
  → conclusion.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", kind="article", title="T", identifier="a1")
>>> g.add_node("c1", kind="claim", text="Open [wins].", camp="open", is_key=True)
>>> g.add_node("c2", kind="claim", text="Prices fall.", camp="open", is_key=False)
>>> _ = g.add_edges_from([("c1", "a", "appears_in"), ("c2", "a", "appears_in"), ("c2", "c1", "supports")])
>>> print(to_argdown(g, "demo"))  # doctest: +NORMALIZE_WHITESPACE
===
title: "demo"
===
<BLANKLINE>
# T
<BLANKLINE>
[c1]: Open \\[wins\\]. #open #key {sources: ["a1"]}
  + [c2]
<BLANKLINE>
[c2]: Prices fall. #open {sources: ["a1"]}
<BLANKLINE>
>>> [n["type"] for n in to_aif(g)["nodes"]]
['I', 'I', 'RA']
"""

from __future__ import annotations

import json
import re

import networkx as nx

__all__ = ["to_argdown", "to_aif", "escape_argdown"]

# Characters with a meaning in Argdown's inline syntax (titles, tags, mentions, emphasis,
# metadata, comments), and the backslash itself; "@" only where it opens a word (a mention).
_ARGDOWN_SPECIAL = re.compile(r"([\\\[\]<>{}*_#/`~]|(?<!\S)@)")
_RELATIONS = {"supports": ("+", "RA", "Default Inference"), "contrasts": ("-", "CA", "Default Conflict"),
              "restates": (None, "MA", "Default Rephrase")}


def escape_argdown(text: str) -> str:
    r"""Statement text that Argdown reads back as ``text`` (on one line).

    >>> escape_argdown("See https://x.io [1] #tag")
    'See https:\\/\\/x.io \\[1\\] \\#tag'
    """
    return _ARGDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _claims(g: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, a in g.nodes(data=True) if a.get("kind") == "claim")


def _appearances(g: nx.MultiDiGraph, claim: str) -> tuple[list[str], int]:
    """The articles a claim appears in (by identifier) and its first offset in them."""
    found = [(v, d.get("offset_start", 0)) for _, v, k, d in g.out_edges(claim, keys=True, data=True)
             if k == "appears_in"]
    articles = sorted({v for v, _ in found}, key=lambda a: g.nodes[a].get("identifier", a))
    return articles, min((offset for _, offset in found), default=0)


def _titles(claims: list[str]) -> dict[str, str]:
    """Short statement titles: the claim key of the IRI (its last path segment)."""
    return {c: c.rstrip("/").rsplit("/", 1)[-1] for c in claims}


def to_argdown(g: nx.MultiDiGraph, title: str = "argmap") -> str:
    """The claims and their relations as an Argdown document."""
    claims = _claims(g)
    name = _titles(claims)
    seen = {claim: _appearances(g, claim) for claim in claims}
    home: dict[str, list[str]] = {}
    for claim in claims:
        articles = seen[claim][0]
        home.setdefault(articles[0] if articles else "", []).append(claim)
    lines = ["===", f"title: {json.dumps(title)}", "===", ""]
    for article in sorted(home, key=lambda a: (a == "", g.nodes[a].get("identifier", a) if a else "")):
        heading = " ".join(str(g.nodes[article].get("title") or g.nodes[article].get("identifier", "")).split()) \
            if article else "Claims without a source"
        lines += [f"# {escape_argdown(heading) or 'Untitled'}", ""]
        for claim in sorted(home[article], key=lambda c: (seen[c][1], c)):
            attrs = g.nodes[claim]
            tags = f" #{attrs.get('camp') or 'both'}" + (" #key" if attrs.get("is_key") else "")
            sources = [g.nodes[a].get("identifier", a) for a in seen[claim][0]]
            restates = sorted(name[o] for o in nx.all_neighbors(g, claim) if o in name and
                              (g.has_edge(claim, o, "restates") or g.has_edge(o, claim, "restates")))
            meta = {"sources": sources, **({"restates": restates} if restates else {})}
            data = ", ".join(f"{k}: {json.dumps(v)}" for k, v in meta.items())
            lines.append(f"[{name[claim]}]: {escape_argdown(attrs.get('text', ''))}{tags} {{{data}}}")
            for source, _, kind in sorted(g.in_edges(claim, keys=True)):
                symbol = _RELATIONS.get(kind, (None,))[0]
                if symbol and source in name:
                    lines.append(f"  {symbol} [{name[source]}]")
            lines.append("")
    return "\n".join(lines)


def to_aif(g: nx.MultiDiGraph) -> dict:
    """The claims and their relations as AIF JSON (``nodes``, ``edges``, ``locutions``)."""
    claims = _claims(g)
    name = _titles(claims)
    nodes = [{"nodeID": name[c], "text": " ".join(g.nodes[c].get("text", "").split()), "type": "I",
              "timestamp": ""} for c in claims]
    edges = []
    links = sorted((u, v, k) for u, v, k in g.edges(keys=True) if k in _RELATIONS and u in name and v in name)
    for n, (u, v, kind) in enumerate(links, 1):
        _, node_type, scheme = _RELATIONS[kind]
        s_node = f"{node_type.lower()}{n}"
        nodes.append({"nodeID": s_node, "text": scheme, "type": node_type, "scheme": scheme, "timestamp": ""})
        edges.append({"edgeID": f"e{2 * n - 1}", "fromID": name[u], "toID": s_node, "formEdgeID": None})
        edges.append({"edgeID": f"e{2 * n}", "fromID": s_node, "toID": name[v], "formEdgeID": None})
    return {"nodes": nodes, "edges": edges, "locutions": []}
