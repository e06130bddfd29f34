"""The page's map data, kept up to date graph by graph in the state database.

:func:`argmap.view.map_graph` builds the map from a whole dataset; this module keeps
the same map in the state database (:mod:`argmap.workspace.statedb`) so that a change redraws
the page at the cost of what it touched:

* ``node_facts`` and ``edge_facts`` hold what each named graph says about the map
  (:func:`argmap.view.mapfacts.graph_facts`), by graph; ``map_sources`` names the article
  graphs they came from (and their keys); the links graph's facts follow the links
  items that go and come;
* ``nodes`` and ``edges`` hold the map itself, with each node's importance (the rank
  :func:`argmap.view.limit` cuts big maps by); a change recombines only the nodes and
  edges whose facts changed, and the ranks of the nodes around them;
* :func:`write_page` takes the most important nodes (at most ``max_nodes``) with an
  indexed query, keeps the positions the previous page gave them (``positions``)
  and places only the new ones near their neighbours (:func:`argmap.view.layout.place_new`).
  When the page has grown or shrunk by a quarter since it was last laid out whole,
  it is laid out whole again.

The page after a change has the same nodes and edges as ``argmap view`` on the new
graph (tests/test_update.py checks it); positions may differ.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from ..view import mapfacts
from ..view.mapfacts import RELATION_KINDS

__all__ = ["facts_of_lines", "members", "apply", "rebuild", "page_graph", "write_page"]

Facts = tuple[list, list]
_RELATIONS = "('" + "', '".join(RELATION_KINDS) + "')"
_REGROW = 1.25  # lay the page out whole again when it has this many times more (or fewer) nodes


def facts_of_lines(lines: Iterable[str]) -> Facts:
    """The facts of some N-Triples lines of the links graph."""
    from rdflib import Graph

    graph = Graph()
    text = "\n".join(lines)
    if text:
        graph.parse(data=text, format="nt")
    return mapfacts.graph_facts(graph)


def members(conn: sqlite3.Connection) -> dict[str, str]:
    """Graph name → key of the article graphs the map describes."""
    return dict(conn.execute("SELECT source, key FROM map_sources"))


# ---------------------------------------------------------------- changes

def apply(conn: sqlite3.Connection, gone: Iterable[str], graphs: dict[str, tuple[str, Facts]], links: str,
          links_out: Facts, links_in: Facts) -> None:
    """Drop the facts of the ``gone`` graphs, add those of ``graphs`` (name → (key,
    facts)), take ``links_out`` out of and put ``links_in`` into the links graph's
    (named ``links``), and recombine what that touches; in the caller's transaction."""
    nodes, edges = set(), set()
    for source in gone:
        nodes.update(n for (n,) in conn.execute("SELECT node FROM node_facts WHERE source = ?", (source,)))
        edges.update(conn.execute("SELECT u, v, kind FROM edge_facts WHERE source = ?", (source,)))
        conn.execute("DELETE FROM node_facts WHERE source = ?", (source,))
        conn.execute("DELETE FROM edge_facts WHERE source = ?", (source,))
        conn.execute("DELETE FROM map_sources WHERE source = ?", (source,))
    node_out, edge_out = links_out
    conn.executemany("DELETE FROM node_facts WHERE node = ? AND source = ? AND type = ?",
                     [(n, links, t) for n, t, _ in node_out])
    conn.executemany("DELETE FROM edge_facts WHERE u = ? AND v = ? AND kind = ? AND source = ? AND tag = ?",
                     [(u, v, k, links, tag) for u, v, k, tag, _ in edge_out])
    nodes.update(n for n, _, _ in node_out)
    edges.update((u, v, k) for u, v, k, _, _ in edge_out)
    for source, facts in [(links, links_in), *((s, f) for s, (_, f) in graphs.items())]:
        node_in, edge_in = facts
        conn.executemany("INSERT OR REPLACE INTO node_facts VALUES (?, ?, ?, ?)",
                         [(n, source, t, json.dumps(d)) for n, t, d in node_in])
        conn.executemany("INSERT OR REPLACE INTO edge_facts VALUES (?, ?, ?, ?, ?, ?)",
                         [(u, v, k, source, tag, json.dumps(d)) for u, v, k, tag, d in edge_in])
        nodes.update(n for n, _, _ in node_in)
        edges.update((u, v, k) for u, v, k, _, _ in edge_in)
    conn.executemany("INSERT OR REPLACE INTO map_sources VALUES (?, ?)", [(s, k) for s, (k, _) in graphs.items()])
    _recombine(conn, nodes, edges)


def rebuild(conn: sqlite3.Connection, graphs: dict[str, tuple[str | None, Facts]]) -> None:
    """Fill the (empty) map from the facts of every graph at once: name → (key or
    None for the links graph, facts)."""
    for source, (key, (node_facts, edge_facts)) in graphs.items():
        conn.executemany("INSERT INTO node_facts VALUES (?, ?, ?, ?)",
                         [(n, source, t, json.dumps(d)) for n, t, d in node_facts])
        conn.executemany("INSERT INTO edge_facts VALUES (?, ?, ?, ?, ?, ?)",
                         [(u, v, k, source, tag, json.dumps(d)) for u, v, k, tag, d in edge_facts])
        if key is not None:
            conn.execute("INSERT INTO map_sources VALUES (?, ?)", (source, key))
    nodes, edges = mapfacts.combine((s, facts) for s, (_, facts) in graphs.items())
    degree: dict = defaultdict(int)
    relations: dict = defaultdict(int)
    camps: dict = defaultdict(set)
    for u, v, kind in edges:
        degree[u] += 1
        degree[v] += 1
        if kind in RELATION_KINDS:
            relations[u] += 1
            relations[v] += 1
        if kind == "mentions":
            camps[v].add(nodes[u].get("camp"))
    conn.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)", [
        (n, a["kind"], a.get("camp"), json.dumps(a),
         mapfacts.importance(a["kind"], a, degree[n], relations[n], camps[n] if a["kind"] == "entity" else set()))
        for n, a in nodes.items()])
    conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", [(u, v, k, json.dumps(a)) for (u, v, k), a in edges.items()])


def _kind(conn: sqlite3.Connection, node: str) -> str | None:
    row = conn.execute("SELECT kind FROM nodes WHERE id = ?", (node,)).fetchone()
    return row[0] if row else None


def _recombine(conn: sqlite3.Connection, nodes: set[str], edges: set[tuple[str, str, str]]) -> None:
    """Recompute the touched nodes and edges, then the ranks around them.  Order
    matters: articles, claims and forecasts; ``mentions`` edges; entities (which exist
    through them); the other edges (which may end at an entity)."""
    before = {n: conn.execute("SELECT kind, camp FROM nodes WHERE id = ?", (n,)).fetchone() for n in nodes}
    moved = set()  # nodes that came, went or changed kind: their edges are looked at again
    for node in nodes:
        attrs = _node_attrs(conn, node)
        old = before[node]
        if attrs is None:
            if old is not None and old[0] != "entity":
                conn.execute("DELETE FROM nodes WHERE id = ?", (node,))
                moved.add(node)
            continue
        conn.execute("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, 0)",
                     (node, attrs["kind"], attrs.get("camp"), json.dumps(attrs)))
        if old is None or old[0] != attrs["kind"]:
            moved.add(node)
    for node in moved:
        edges.update(conn.execute("SELECT u, v, kind FROM edge_facts WHERE u = ?", (node,)))
        edges.update(conn.execute("SELECT u, v, kind FROM edge_facts WHERE v = ?", (node,)))
    changed: set[tuple[str, str, str]] = set()
    mentions = sorted(e for e in edges if e[2] == "mentions")
    changed |= _refresh_edges(conn, mentions)
    entities = {v for _, v, _ in mentions} | {n for n in nodes if before[n] is None or before[n][0] == "entity"}
    for node in entities:
        kind = _kind(conn, node)
        if kind not in (None, "entity"):
            continue
        present = conn.execute("SELECT 1 FROM edges WHERE v = ? AND kind = 'mentions' LIMIT 1", (node,)).fetchone()
        if present:
            attrs = _entity_attrs(conn, node)
            row = conn.execute("SELECT attrs FROM nodes WHERE id = ?", (node,)).fetchone()
            if row is None or json.loads(row[0]) != attrs:
                conn.execute("INSERT OR REPLACE INTO nodes VALUES (?, 'entity', NULL, ?, 0)", (node, json.dumps(attrs)))
                nodes.add(node)
            if row is None:
                moved.add(node)
                edges.update(conn.execute("SELECT u, v, kind FROM edge_facts WHERE v = ?", (node,)))
        elif kind == "entity":
            conn.execute("DELETE FROM nodes WHERE id = ?", (node,))
            moved.add(node)
            edges.update(conn.execute("SELECT u, v, kind FROM edge_facts WHERE v = ?", (node,)))
    changed |= _refresh_edges(conn, sorted(e for e in edges if e[2] != "mentions"))
    # Ranks: the touched nodes, the ends of changed edges, and the entities a node whose
    # camp changed mentions (an entity's rank counts the camps that mention it).
    ranked = set(nodes) | {n for e in changed for n in e[:2]}
    for node in nodes:
        row = conn.execute("SELECT camp FROM nodes WHERE id = ?", (node,)).fetchone()
        if before.get(node) is not None and row is not None and before[node][1] != row[0]:
            ranked.update(v for (v,) in conn.execute("SELECT v FROM edges WHERE u = ? AND kind = 'mentions'", (node,)))
    for node in ranked:
        _rank(conn, node)


def _facts(conn: sqlite3.Connection, node: str) -> dict[str, list[dict]]:
    found: dict = defaultdict(list)
    for kind, data in conn.execute("SELECT type, data FROM node_facts WHERE node = ? ORDER BY source", (node,)):
        found[kind].append(json.loads(data))
    return found


def _node_attrs(conn: sqlite3.Connection, node: str) -> dict | None:
    facts = _facts(conn, node)
    appearances = []
    if "claim" in facts:
        appearances = [(v, tag, json.loads(data)) for v, tag, data in conn.execute(
            "SELECT v, tag, data FROM edge_facts WHERE u = ? AND kind = 'appears_in' ORDER BY source, tag", (node,))]
    return mapfacts.node_attrs(facts, appearances)


def _entity_attrs(conn: sqlite3.Connection, node: str) -> dict:
    facts = _facts(conn, node)
    return mapfacts.entity_attrs(node, facts.get("entity", [None])[0], sum(f["n"] for f in facts.get("mentions", [])))


def _refresh_edges(conn: sqlite3.Connection, keys: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    changed = set()
    for u, v, kind in keys:
        facts = [(tag, json.loads(data)) for tag, data in conn.execute(
            "SELECT tag, data FROM edge_facts WHERE u = ? AND v = ? AND kind = ? ORDER BY source, tag", (u, v, kind))]
        old = conn.execute("SELECT attrs FROM edges WHERE u = ? AND v = ? AND kind = ?", (u, v, kind)).fetchone()
        if facts and mapfacts.edge_present(kind, u, v, _kind(conn, u), _kind(conn, v)):
            attrs = json.dumps(mapfacts.edge_attrs(kind, facts))
            if old is None or old[0] != attrs:
                conn.execute("INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?)", (u, v, kind, attrs))
                changed.add((u, v, kind))
        elif old is not None:
            conn.execute("DELETE FROM edges WHERE u = ? AND v = ? AND kind = ?", (u, v, kind))
            changed.add((u, v, kind))
    return changed


def _rank(conn: sqlite3.Connection, node: str) -> None:
    row = conn.execute("SELECT kind, attrs FROM nodes WHERE id = ?", (node,)).fetchone()
    if row is None:
        return
    kind, attrs = row[0], json.loads(row[1])
    degree = sum(conn.execute(f"SELECT count(*) FROM edges WHERE {end} = ?", (node,)).fetchone()[0]  # noqa: S608
                 for end in ("u", "v"))
    relations = sum(conn.execute(f"SELECT count(*) FROM edges WHERE {end} = ? AND kind IN {_RELATIONS}",  # noqa: S608
                                 (node,)).fetchone()[0] for end in ("u", "v"))
    camps = set()
    if kind == "entity":
        camps = {c for (c,) in conn.execute("SELECT DISTINCT n.camp FROM edges AS e JOIN nodes AS n ON n.id = e.u "
                                            "WHERE e.v = ? AND e.kind = 'mentions'", (node,))}
    conn.execute("UPDATE nodes SET importance = ? WHERE id = ?",
                 (mapfacts.importance(kind, attrs, degree, relations, camps), node))


# ---------------------------------------------------------------- the page

def page_graph(conn: sqlite3.Connection, max_nodes: int | None):
    """The map the page draws — the same as :func:`argmap.view.limit` of the whole map —
    with the notice of the cut (or None) and the number of nodes in the whole map."""
    total = conn.execute("SELECT count(*) FROM nodes").fetchone()[0]
    cut = max_nodes is not None and total > max_nodes
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS shown (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.shown")
    conn.execute("INSERT INTO temp.shown SELECT id FROM nodes ORDER BY importance DESC, id LIMIT ?",
                 (max_nodes if cut else -1,))
    nodes = {n: json.loads(a) for n, a in conn.execute(
        "SELECT n.id, n.attrs FROM nodes AS n JOIN temp.shown AS s ON s.id = n.id")}
    edges = {(u, v, k): json.loads(a) for u, v, k, a in conn.execute(
        "SELECT e.u, e.v, e.kind, e.attrs FROM edges AS e JOIN temp.shown AS s ON s.id = e.u "
        "WHERE e.v IN (SELECT id FROM temp.shown)")}
    notice = None
    if cut:
        from ..view.page import limit_notice

        linked = {n for u, v, _ in edges for n in (u, v)}
        nodes = {n: a for n, a in nodes.items() if n in linked or a["kind"] == "article"}
        notice = limit_notice(len(nodes), total, max_nodes)
    return mapfacts.build_graph(nodes, edges), notice, total


def write_page(conn: sqlite3.Connection, path: Path, max_nodes: int | None) -> tuple[Path, str | None]:
    """Write the page of the whole map, keeping the last page's positions (see the
    module docstring); return its path and the notice of a cut (or None)."""
    from ..view import layout
    from .statedb import get_meta, set_meta
    from ..view.page import MapView, place, write_html

    g, notice, total = page_graph(conn, max_nodes)
    laid = {n: (x, y, camp, footprint) for n, x, y, camp, footprint in conn.execute("SELECT * FROM positions")}
    meta = json.loads(get_meta(conn, "layout") or "null")
    keep = {}
    for node, attrs in g.nodes(data=True):
        old = laid.get(node)
        if old is not None and old[2] == attrs.get("camp") and old[3] == _footprint(attrs):
            keep[node] = old[:2]
    whole = meta is None or not (meta["count"] / _REGROW <= len(g) <= meta["count"] * _REGROW) or (
        len(keep) < len(g) / 2)
    if whole:
        bands = place(g)
        meta = {"count": len(g), "bands": bands}
    else:
        bands = meta["bands"]
        layout.place_new(g, keep, {c: tuple(b) for c, b in bands.items()},
                         importance=lambda node: _page_rank(g, node))
    g.graph["bands"] = json.dumps(bands)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM positions")
        conn.executemany("INSERT INTO positions VALUES (?, ?, ?, ?, ?)",
                         [(n, a["x"], a["y"], a.get("camp"), _footprint(a)) for n, a in g.nodes(data=True)])
        set_meta(conn, "layout", json.dumps(meta))
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    return write_html(MapView(g, "whole map", (notice,) if notice else (), total, corpus_totals(conn)), path), notice


def corpus_totals(conn: sqlite3.Connection) -> tuple[tuple[str, int], ...]:
    """Articles, claims, forecasts and entities, as the CLI counts them (:func:`argmap.view.page.totals`)."""
    from ..link.state import totals

    counts = totals(conn)
    entities = conn.execute("SELECT count(DISTINCT node) FROM node_facts WHERE type = 'entity'").fetchone()[0]
    return tuple((name, counts[name]) for name in ("articles", "claims", "forecasts")) + (("entities", entities),)


def _footprint(attrs: dict) -> str:
    from ..view.layout import footprint

    return "%d,%d" % footprint(attrs)


def _page_rank(g, node: str) -> float:
    from ..view.page import node_importance

    return node_importance(g, node)
