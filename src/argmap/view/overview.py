"""The views a debate reader asks for, chosen from the map graph (:func:`argmap.view.map_graph`).

The whole map of a few dozen articles is thousands of nodes; these views pick the
few that show the debate's structure.  Each is a :class:`View`: rows (one topic,
year or pair of claims each) of cells (one per camp), which the page lays out as a
grid with the camps as columns.  This module only chooses and orders; it draws
nothing.

* :func:`fold_restatements`: claims joined by ``restates`` edges become one node, the
  member most worth showing, which counts the sources of all of them;
* :func:`topics`: the issues of the debate, found from the entities and concepts that
  key claims of several articles mention, each claim under the first topic it names;
* :func:`overview` (the default): the leading key claims of each camp under each topic;
* :func:`clashes`: contrasts between claims of different camps, by topic;
* :func:`bridges`: claims whose relations reach both the closed and the open camp;
* :func:`forecasts_by_year`: the forecasts by the year they come due.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a1", kind="article", title="A"); g.add_node("a2", kind="article", title="B")
>>> g.add_node("e", kind="entity", label="DeepSeek", group="named")
>>> for c, camp, art in (("c1", "open", "a1"), ("c2", "closed", "a2"), ("c3", "open", "a2")):
...     g.add_node(c, kind="claim", text=f"Claim {c} about DeepSeek.", camp=camp, is_key=True, source_count=1)
...     _ = g.add_edge(c, art, "appears_in"); _ = g.add_edge(c, "e", "mentions")
>>> _ = g.add_edge("c3", "c1", "restates")
>>> fold = fold_restatements(g)
>>> fold["c3"] == fold["c1"], len(fold_sources(g, fold)[fold["c1"]])
(True, 2)
>>> view = overview(g)
>>> [(row.title, [(camp, len(nodes)) for camp, nodes in row.cells]) for row in view.rows]
[('DeepSeek', [('closed', 1), ('both', 0), ('open', 1)])]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from ..model import CAMPS

__all__ = ["Row", "View", "fold_restatements", "fold_sources", "short_label", "topics", "overview", "clashes",
           "bridges", "forecasts_by_year", "all_views", "COLUMNS", "OVERVIEW_TOPICS", "OVERVIEW_PER_CELL"]

# The page's columns, left to right: the closed camp, what joins or spans both, the open camp.
COLUMNS = ("closed", "both", "open")
# How much the default view shows: at most this many topics, and claims per camp in each.
# 5 topics x 3 camps x 2 claims (+ 5 topic nodes) is at most 35 nodes: the labels stay
# readable on one screen (docs/map.png, 1600 x 1000), and everything else is a click away.
OVERVIEW_TOPICS = 5
OVERVIEW_PER_CELL = 2
# A topic must be named by key claims of at least this many articles: a shared issue.
TOPIC_MIN_ARTICLES = 2
# An entity that a third of all key claims name ("AI", the debate's own subject) groups nothing.
TOPIC_MAX_SHARE = 0.34
_FEW = 12  # below this many key claims, no entity is too broad to be a topic
CLASH_ROWS = 24
BRIDGE_ROWS = 16
PER_YEAR = 8
LABEL_CHARS = 90


@dataclass(frozen=True)
class Row:
    """One row of a view: an optional header node (a topic entity, a year's title only,
    an article), and per camp the nodes to show, best first."""

    title: str
    cells: tuple[tuple[str, tuple[str, ...]], ...]
    header: str | None = None

    def nodes(self) -> list[str]:
        return [n for _, nodes in self.cells for n in nodes]


@dataclass(frozen=True)
class View:
    name: str  # the URL fragment that shows it: #overview, #clash …
    title: str
    rows: tuple[Row, ...]
    note: str = ""  # what was left out, and how to reach it

    def nodes(self) -> list[str]:
        return [n for row in self.rows for n in ([row.header] if row.header else []) + row.nodes()]


# ---------------------------------------------------------------- folding and ranking

def _claims(g: nx.MultiDiGraph) -> list[str]:
    return [n for n, kind in g.nodes(data="kind") if kind == "claim"]


def _articles_of(g: nx.MultiDiGraph, node: str) -> set[str]:
    return {v for _, v, k in g.out_edges(node, keys=True) if k == "appears_in"}


def _relations(g: nx.MultiDiGraph, node: str, kinds=("supports", "contrasts")) -> list[str]:
    out = [v for _, v, k in g.out_edges(node, keys=True) if k in kinds]
    return out + [u for u, _, k in g.in_edges(node, keys=True) if k in kinds]


def _rank(g: nx.MultiDiGraph, node: str, sources: int = 1) -> tuple:
    """Best first: made by more sources, key, related to more claims, a camp the extractor is
    sure of, then a quote of readable length (40–220 characters)."""
    attrs = g.nodes[node]
    length = len(attrs.get("text", ""))
    readable = 40 <= length <= 220
    return (-sources, -bool(attrs.get("is_key")), -len(_relations(g, node)), -readable,
            -round(float(attrs.get("camp_confidence", 0) or 0), 1), length, node)


def fold_restatements(g: nx.MultiDiGraph) -> dict[str, str]:
    """Claim → the claim that stands for it: claims joined by ``restates`` edges (directly or
    through others) fold into their best-ranked member."""
    joined = nx.Graph()
    joined.add_nodes_from(_claims(g))
    joined.add_edges_from((u, v) for u, v, k in g.edges(keys=True) if k == "restates" and u in joined and v in joined)
    fold = {}
    for members in nx.connected_components(joined):
        sources = len(set().union(*(_articles_of(g, m) for m in members)))
        best = min(members, key=lambda m: _rank(g, m, sources))
        fold.update((m, best) for m in members)
    return fold


def fold_sources(g: nx.MultiDiGraph, fold: dict[str, str]) -> dict[str, set[str]]:
    """Folded claim → the articles any of its members appears in."""
    sources: dict[str, set[str]] = defaultdict(set)
    for member, best in fold.items():
        sources[best] |= _articles_of(g, member)
    return dict(sources)


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """A claim's text for a node label: one line of words, cut at a word boundary.

    >>> short_label("But   open models, which are cheaper, will win the long game for most tasks.", 40)
    'Open models, which are cheaper, will…'
    """
    text = " ".join(text.split())
    text = re.sub(r"^(?:and|but|so|yet|also|still|now|thus|indeed)\b[,\s]+", "", text, flags=re.I)
    text = text[:1].upper() + text[1:]
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut[limit // 2:] else cut
    return cut.rstrip(" ,;:—–-") + "…"


class _Folded:
    """The folded claims of a map with their sources and rank, computed once per page."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self.fold = fold_restatements(g)
        self.sources = fold_sources(g, self.fold)
        self.reps = sorted(set(self.fold.values()), key=self.rank)

    def rank(self, node: str) -> tuple:
        return _rank(self.g, node, len(self.sources.get(node, ())))

    def camp(self, node: str) -> str:
        camp = self.g.nodes[node].get("camp")
        return camp if camp in CAMPS else "both"

    def mentions(self, node: str) -> set[str]:
        """Entities any member of ``node``'s fold mentions."""
        members = [m for m, best in self.fold.items() if best == node] or [node]
        return {v for m in members for _, v, k in self.g.out_edges(m, keys=True) if k == "mentions"}

    def related(self, node: str) -> set[str]:
        """Folded claims linked to ``node`` by supports or contrasts."""
        return {self.fold.get(o, o) for o in _relations(self.g, node)} - {node}


def _cells(nodes, camp_of, per_cell: int | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    by_camp: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        by_camp[camp_of(node)].append(node)
    return tuple((camp, tuple(by_camp[camp][:per_cell] if per_cell else by_camp[camp])) for camp in COLUMNS)


def _unique(rows) -> tuple[Row, ...]:
    """The rows with every node kept only where it first appears (a page draws a node
    once), and the rows left with nothing to show dropped."""
    seen: set[str] = set()
    out = []
    for row in rows:
        cells = tuple((camp, tuple(n for n in nodes if n not in seen)) for camp, nodes in row.cells)
        header = row.header if row.header not in seen else None
        kept = Row(row.title, cells, header)
        if kept.nodes():
            seen.update(kept.nodes() + ([header] if header else []))
            out.append(kept)
    return tuple(out)


# ---------------------------------------------------------------- topics

def topics(g: nx.MultiDiGraph, folded: _Folded | None = None, limit: int = OVERVIEW_TOPICS
           ) -> list[tuple[str, list[str]]]:
    """The debate's issues: (entity node, its folded key claims best first), at most ``limit``.

    Greedy: the entity or concept that the most not-yet-placed key claims name, from at
    least :data:`TOPIC_MIN_ARTICLES` articles, becomes the next topic and takes those
    claims; an entity that more than :data:`TOPIC_MAX_SHARE` of all key claims name is too
    broad to group anything.
    """
    folded = folded or _Folded(g)
    keys = [c for c in folded.reps if g.nodes[c].get("is_key")]
    naming = {c: {e for e in folded.mentions(c) if g.nodes[e].get("kind") == "entity"} for c in keys}
    counts = Counter(e for names in naming.values() for e in names)
    too_broad = {e for e, n in counts.items() if n > TOPIC_MAX_SHARE * len(keys)} if len(keys) >= _FEW else set()
    left, chosen = set(keys), []
    while left and len(chosen) < limit:
        best, best_claims = None, []
        for entity in sorted(counts, key=lambda e: (-counts[e], g.nodes[e].get("label", e))):
            if entity in too_broad or entity in dict(chosen):
                continue
            claims = [c for c in keys if c in left and entity in naming[c]]
            if len({a for c in claims for a in folded.sources.get(c, ())}) < TOPIC_MIN_ARTICLES:
                continue
            if len(claims) > len(best_claims):
                best, best_claims = entity, claims
        if best is None:
            break
        chosen.append((best, best_claims))
        left -= set(best_claims)
    return chosen


# ---------------------------------------------------------------- the views

def overview(g: nx.MultiDiGraph, folded: _Folded | None = None, n_topics: int = OVERVIEW_TOPICS,
             per_cell: int = OVERVIEW_PER_CELL) -> View:
    """The default view: under each topic, its best key claims of each camp."""
    folded = folded or _Folded(g)
    found = topics(g, folded, n_topics)
    rows = _unique(Row(g.nodes[entity].get("label", entity), _cells(claims, folded.camp, per_cell), entity)
                   for entity, claims in found)
    shown = sum(len(r.nodes()) for r in rows)
    keys = sum(1 for c in folded.reps if g.nodes[c].get("is_key"))
    note = (f"{shown} of {keys} key claims, under the {len(rows)} issues most key claims share; "
            "click a topic for all its claims, a claim for its evidence, or open another view")
    return View("overview", "Overview: the key claims of each camp, by issue", rows, note)


def clashes(g: nx.MultiDiGraph, folded: _Folded | None = None, limit: int = CLASH_ROWS) -> View:
    """Where the camps clash: claims of different camps joined by a ``contrasts`` edge, one
    pair a row, titled by an entity both name (else the first one names)."""
    folded = folded or _Folded(g)
    pairs = set()
    for u, v, k in g.edges(keys=True):
        if k != "contrasts" or g.nodes[u].get("kind") != "claim" or g.nodes[v].get("kind") != "claim":
            continue
        a, b = folded.fold.get(u, u), folded.fold.get(v, v)
        if a != b and folded.camp(a) != folded.camp(b):
            pairs.add(tuple(sorted((a, b), key=folded.rank)))
    ranked = sorted(pairs, key=lambda p: (folded.rank(p[0]), folded.rank(p[1])))
    # Pairs go under the topic (else the entity) both claims name, the most widely named first.
    order = {e: n for n, (e, _) in enumerate(topics(g, folded, limit=len(g)))}
    grouped: dict[str | None, list[str]] = defaultdict(list)
    for a, b in ranked[:limit]:
        shared = folded.mentions(a) & folded.mentions(b) or folded.mentions(a) | folded.mentions(b)
        named = sorted((e for e in shared if g.nodes[e].get("kind") == "entity"),
                       key=lambda e: (order.get(e, len(order)), g.nodes[e].get("label", e)))
        grouped[named[0] if named else None] += [a, b]
    heads = sorted(grouped, key=lambda e: (e is None, order.get(e, len(order)), str(e)))
    rows = _unique(Row(g.nodes[e].get("label", e) if e else "other contrasts",
                       _cells(dict.fromkeys(grouped[e]), folded.camp, None), e) for e in heads)
    note = f"{min(limit, len(ranked))} of {len(ranked)} contrasts across camps" if ranked else \
        "no contrasts between claims of different camps"
    return View("clash", "Where the camps clash: contrasts across camps", tuple(rows), note)


def bridges(g: nx.MultiDiGraph, folded: _Folded | None = None, limit: int = BRIDGE_ROWS) -> View:
    """Claims that bridge both camps: a claim whose supports and contrasts reach claims of
    both the closed and the open camp, shown between them."""
    folded = folded or _Folded(g)
    found = []
    for claim in folded.reps:
        near = folded.related(claim)
        if near and {"closed", "open"} <= {folded.camp(o) for o in near} | {folded.camp(claim)}:
            found.append((claim, sorted(near, key=folded.rank)))
    found.sort(key=lambda item: (-len({folded.camp(o) for o in item[1]}), folded.rank(item[0])))
    rows = []
    for claim, near in found[:limit]:
        cells = dict(_cells(near, folded.camp, 2))
        cells[folded.camp(claim)] = (claim,) + tuple(n for n in cells[folded.camp(claim)] if n != claim)[:1]
        rows.append(Row("", tuple((c, cells[c]) for c in COLUMNS)))
    rows = _unique(rows)
    note = f"{min(limit, len(found))} of {len(found)} claims related to both camps" if found else \
        "no claim is related to claims of both camps"
    return View("bridges", "Claims that bridge the camps", tuple(rows), note)


def forecasts_by_year(g: nx.MultiDiGraph, per_year: int = PER_YEAR) -> View:
    """The forecasts by the year they come due (a horizon's end, else its start), by camp."""
    by_year: dict[int, list[str]] = defaultdict(list)
    undated, seen = 0, set()
    for node, attrs in g.nodes(data=True):
        # The same forecast made in several articles (versions of one essay) is listed once.
        said = (" ".join(attrs.get("text", "").split()).casefold(), attrs.get("horizon_start"), attrs.get("horizon_end"))
        if attrs.get("kind") != "forecast" or said in seen:
            continue
        seen.add(said)
        year = attrs.get("horizon_end", attrs.get("horizon_start"))
        if year is None:
            undated += 1
        else:
            by_year[int(year)].append(node)

    def camp(node: str) -> str:
        value = g.nodes[node].get("camp")
        return value if value in CAMPS else "both"

    def rank(node: str) -> tuple:
        attrs = g.nodes[node]
        return (len(attrs.get("text", "")) > 220, attrs.get("text", ""))

    rows = tuple(Row(str(year), _cells(sorted(nodes, key=rank), camp, per_year)) for year, nodes in sorted(by_year.items()))
    dated = sum(len(v) for v in by_year.values())
    note = f"{dated} forecasts with a stated year; {undated} without one are in the forecast list"
    return View("forecasts", "Forecasts by the year they come due", rows, note)


def all_views(g: nx.MultiDiGraph) -> tuple[dict[str, str], dict[str, int], list[View]]:
    """What the page needs: claim → its folded claim, folded claim → its number of sources,
    and the views, default first."""
    folded = _Folded(g)
    views = [overview(g, folded), clashes(g, folded), bridges(g, folded), forecasts_by_year(g)]
    return folded.fold, {c: len(s) for c, s in folded.sources.items()}, views
