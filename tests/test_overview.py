"""The views the page opens on (argmap.view.overview), on hand-made map graphs."""

from __future__ import annotations

import random

import networkx as nx

from argmap.view import overview
from argmap.view.overview import (OVERVIEW_PER_CELL, OVERVIEW_TOPICS, all_views, bridges, clashes, fold_restatements,
                             fold_sources, forecasts_by_year, short_label, topics)


def claim(g, node, camp, article, *, key=True, text=None, mentions=()):
    g.add_node(node, kind="claim", camp=camp, is_key=key, text=text or f"Claim {node} says something long enough.",
               source_count=1, camp_confidence=0.6)
    g.add_edge(node, article, "appears_in")
    for entity in mentions:
        g.add_edge(node, entity, "mentions")


def base(articles=3, entities=("deepseek", "openai", "meta")) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for a in range(articles):
        g.add_node(f"a{a}", kind="article", title=f"Article {a}", identifier=f"a{a}")
    for e in entities:
        g.add_node(e, kind="entity", label=e.capitalize(), group="named")
    return g


def test_restatements_fold_into_one_claim_that_counts_every_source():
    g = base()
    claim(g, "c1", "open", "a0")
    claim(g, "c2", "open", "a1")
    claim(g, "c3", "open", "a2")
    claim(g, "c4", "closed", "a2")
    g.add_edge("c2", "c1", "restates")
    g.add_edge("c3", "c2", "restates")  # c1 and c3 are joined only through c2
    fold = fold_restatements(g)
    assert fold["c1"] == fold["c2"] == fold["c3"] and fold["c4"] == "c4"
    assert fold_sources(g, fold)[fold["c1"]] == {"a0", "a1", "a2"}


def test_topics_are_shared_issues_each_claim_under_one():
    g = base()
    claim(g, "c1", "open", "a0", mentions=["deepseek", "meta"])
    claim(g, "c2", "closed", "a1", mentions=["deepseek"])
    claim(g, "c3", "open", "a1", mentions=["meta"])
    claim(g, "c4", "open", "a2", mentions=["meta"])
    claim(g, "c5", "closed", "a0", mentions=["openai"])  # named by one article only: no topic
    claim(g, "c6", "closed", "a2", mentions=["deepseek"])
    found = topics(g)
    assert [e for e, _ in found] == ["deepseek", "meta"]  # a tie (3 claims each) goes by label
    placed = [c for _, claims in found for c in claims]
    assert sorted(placed) == ["c1", "c2", "c3", "c4", "c6"] and len(placed) == len(set(placed))


def test_an_entity_most_key_claims_name_is_too_broad_to_be_a_topic():
    g = base(entities=("ai", "deepseek", "openai"))
    for i in range(20):
        mentions = ["ai"] + (["deepseek"] if i % 3 == 0 else ["openai"] if i % 3 == 1 else [])
        claim(g, f"c{i}", ("open", "closed", "both")[i % 3], f"a{i % 3}", mentions=mentions)
    assert "ai" not in [e for e, _ in topics(g)]


def synthetic(articles=50, claims=40, entities=30, seed=3) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = base(articles, tuple(f"e{i}" for i in range(entities)))
    for a in range(articles):
        for c in range(claims):
            node = f"c{a}_{c}"
            claim(g, node, rng.choice(("open", "closed", "both")), f"a{a}", key=rng.random() < 0.35,
                  mentions=rng.sample([f"e{i}" for i in range(entities)], 2))
            if c and rng.random() < 0.2:
                g.add_edge(node, f"c{a}_{rng.randrange(c)}", rng.choice(("supports", "contrasts")))
            if a and rng.random() < 0.05:
                g.add_edge(node, f"c{rng.randrange(a)}_{c}", "restates")
        g.add_node(f"f{a}", kind="forecast", camp="open", text="Open models will win.", horizon_end=2030 + a % 4)
    return g


def test_at_fifty_articles_every_view_is_small_and_draws_each_node_once():
    g = synthetic()
    fold, sources, views = all_views(g)
    names = [v.name for v in views]
    assert names == ["overview", "clash", "bridges", "forecasts"]
    first = views[0]
    assert len(first.rows) == OVERVIEW_TOPICS
    assert len(first.nodes()) <= OVERVIEW_TOPICS * (1 + 3 * OVERVIEW_PER_CELL) <= 150
    for view in views:
        assert len(view.nodes()) == len(set(view.nodes())), view.name
        assert len(view.nodes()) <= 150, view.name
    for row in first.rows:
        assert g.nodes[row.header]["kind"] == "entity"
        for camp, nodes in row.cells:
            assert all(g.nodes[n]["camp"] == camp and g.nodes[n]["is_key"] for n in nodes)
            assert all(fold[n] == n for n in nodes)  # restatements are shown folded


def test_clashes_are_contrasts_across_camps_and_bridges_reach_both_camps():
    g = base()
    claim(g, "closed1", "closed", "a0", mentions=["openai"])
    claim(g, "open1", "open", "a0", mentions=["openai"])
    claim(g, "open2", "open", "a0")
    claim(g, "both1", "both", "a1")
    claim(g, "closed2", "closed", "a1")
    claim(g, "open3", "open", "a1")
    g.add_edge("open1", "closed1", "contrasts")
    g.add_edge("open2", "open1", "contrasts")  # the same camp: no clash
    g.add_edge("closed2", "both1", "supports")
    g.add_edge("open3", "both1", "contrasts")
    clash = clashes(g)
    pairs = {frozenset(row.nodes()) for row in clash.rows}
    assert frozenset({"open1", "closed1"}) in pairs and not any("open2" in p for p in pairs)
    assert clash.rows[0].title == "Openai" and clash.rows[0].header == "openai"
    bridge = bridges(g)
    assert bridge.rows and bridge.rows[0].nodes()[0] in {"both1"} | set(bridge.rows[0].nodes())
    assert "both1" in bridge.nodes() and {"closed2", "open3"} <= set(bridge.nodes())


def test_forecasts_come_by_year_each_once():
    g = base()
    for i, (year, text) in enumerate([(2031, "B will happen."), (2028, "A will happen."), (2031, "B will happen."),
                                      (None, "Some day.")]):
        attrs = {"horizon_end": year} if year else {}
        g.add_node(f"f{i}", kind="forecast", camp="closed", text=text, **attrs)
    view = forecasts_by_year(g)
    assert [row.title for row in view.rows] == ["2028", "2031"]
    assert [len(row.nodes()) for row in view.rows] == [1, 1]
    assert "1 without one" in view.note


def test_short_labels_drop_a_leading_connective_and_cut_at_a_word():
    assert short_label("so the gap closes.") == "The gap closes."
    label = short_label("word " * 40, 30)
    assert label.endswith("…") and len(label) <= 30 and "  " not in label
    assert overview.LABEL_CHARS >= 60


def test_a_big_whole_map_opens_on_the_overview_and_a_narrowed_one_as_drawn():
    from argmap.view.page import MapView, _payload

    g = synthetic(articles=10)
    data = _payload(MapView(g, total_nodes=len(g)))
    assert data["meta"]["start"] == "overview"
    assert [v["name"] for v in data["views"]] == ["overview", "clash", "bridges", "forecasts"]
    for view in data["views"]:
        for row in view["rows"]:
            for ids in row["cells"].values():
                assert all(data["nodes"][i]["kind"] in ("claim", "forecast") for i in ids)
    folded = [n for n in data["nodes"] if "fold" in n]
    assert folded and all(data["nodes"][n["fold"]]["kind"] == "claim" for n in folded)
    assert _payload(MapView(g, total_nodes=len(g), narrowed=True))["meta"]["start"] == "all"
    small = base()
    claim(small, "c1", "open", "a0")
    assert _payload(MapView(small, total_nodes=len(small)))["meta"]["start"] == "all"
