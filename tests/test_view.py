"""The map page and exports: dataset → networkx graph → views → layout → HTML / GraphML / GEXF / RDF.

Graphs are built by hand from model records (no spaCy).  ``make_dataset`` is shared
with tests/test_page_browser.py.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
import webbrowser

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from argmap.view import export
from argmap.graph import article_iri, claim_iri, entity_iri, read_dataset, to_dataset, write_trig
from argmap.link import link
from argmap.model import Article, Claim, Entity, Extraction, Forecast, Mention, Relation, Span, claim_key
from argmap.view.page import (EDGE_KINDS, NODE_KINDS, ViewError, build_view, find_nodes, limit, map_graph, place,
                         render_html, select, write_html)

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_TITLE = f"Evil {XSS_SCRIPT}{XSS_IMG} title"
XSS_QUOTE = "Open labs <script>window.__pwned=1</script> win <img src=x onerror=window.__pwned=1> for sure."

OPENAI = Entity("openai", "OpenAI", "Organization", ("Open AI",))
OPEN_MODELS = Entity("open-models", "open models", "Concept")
LLAMA = Entity("llama", "Llama", "Product")

FRONTIER = "OpenAI will keep the frontier lead."
PREMIUM = "Users pay a premium for the best closed models."
BEHIND = "Open models will stay behind the frontier."
WORTH = "By 2030 OpenAI will be worth two trillion dollars."
ENTERPRISE = "Open models will win the enterprise."
CHEAP = "Llama made open models cheap."
PRICING = "OpenAI cannot match commodity pricing."
PARITY = "Open models may reach parity within 5 years."
YET = "Yet open models will win the enterprise market."
OLIGOPOLY = "Closed labs are an oligopoly."


def _span(body: str, text: str) -> Span:
    start = body.index(text)
    return Span.of(body, start, start + len(text))


def _extraction(aid, title, sentences, *, url=None, date=None, claims=(), forecasts=(), relations=(), mentions=()):
    body = " ".join(sentences)
    article = Article(aid, title, body, file=f"{aid}.md", date=date, url=url, publisher="Pub")
    return Extraction(
        article,
        mentions=tuple(Mention(_span(body, text), ent) for text, ent in mentions),
        claims=tuple(Claim(_span(body, t), camp, 0.8, key=key, entities=tuple(ents)) for t, camp, key, ents in claims),
        forecasts=tuple(Forecast(_span(body, t), camp, conf, horizon_start=start, horizon_end=end,
                                 subjects=tuple(subjects)) for t, camp, conf, start, end, subjects in forecasts),
        relations=tuple(Relation(_span(body, a), _span(body, b), kind, cue) for a, b, kind, cue in relations),
    )


def make_dataset() -> Dataset:
    """Three articles: a closed one, an open one (with injected markup in a claim and a
    javascript: URL) and one whose title carries <script> and <img onerror> markup."""
    closed = _extraction(
        "001_closed", "Closed labs will dominate", [FRONTIER, PREMIUM, BEHIND, WORTH],
        url="https://example.org/a1", date=dt.date(2026, 1, 5),
        claims=[(FRONTIER, "closed", True, ["openai"]), (PREMIUM, "closed", False, []),
                (BEHIND, "closed", False, ["open-models"])],
        forecasts=[(WORTH, "closed", "certain", 2030, 2030, ["openai"])],
        relations=[(PREMIUM, FRONTIER, "supports", "because"), (BEHIND, FRONTIER, "supports", None)],
        mentions=[("OpenAI", OPENAI), ("Open models", OPEN_MODELS)])
    opened = _extraction(
        "002_open", "Open models win", [ENTERPRISE, CHEAP, PRICING, XSS_QUOTE, PARITY],
        url="javascript:window.__pwned=1", date=dt.date(2026, 2, 1),
        claims=[(ENTERPRISE, "open", True, ["open-models"]), (CHEAP, "open", False, ["llama", "open-models"]),
                (PRICING, "both", False, ["openai"]), (XSS_QUOTE, "open", False, [])],
        forecasts=[(PARITY, "open", "possible", 2026, 2031, ["open-models"])],
        relations=[(CHEAP, ENTERPRISE, "supports", None), (PRICING, ENTERPRISE, "supports", None)],
        mentions=[("Open models", OPEN_MODELS), ("Llama", LLAMA), ("OpenAI", OPENAI)])
    evil = _extraction(
        "003_xss", XSS_TITLE, [FRONTIER, YET, OLIGOPOLY],
        claims=[(FRONTIER, "closed", True, ["openai"]), (YET, "open", False, ["open-models"]),
                (OLIGOPOLY, "closed", False, [])],
        relations=[(YET, FRONTIER, "contrasts", "yet")],
        mentions=[("OpenAI", OPENAI)])
    return to_dataset(link([closed, opened, evil]))


def C(text: str) -> str:
    return str(claim_iri(claim_key(text)))


def A(article_id: str) -> str:
    return str(article_iri(article_id))


def EN(key: str) -> str:
    return str(entity_iri(key))


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


@pytest.fixture(scope="module")
def g(ds):
    return map_graph(ds)


def forecast_node(g, text):
    return next(n for n, a in g.nodes(data=True) if a["kind"] == "forecast" and a["text"] == text)


# ---------------------------------------------------------------- the networkx graph

def test_nodes_have_a_kind_and_the_expected_counts(g):
    kinds = {kind: sorted(n for n, k in g.nodes(data="kind") if k == kind) for kind in NODE_KINDS}
    assert {k: len(v) for k, v in kinds.items()} == {"claim": 9, "forecast": 2, "entity": 3, "article": 3}
    assert kinds["entity"] == sorted([EN("openai"), EN("open-models"), EN("llama")])
    assert all(k in EDGE_KINDS for *_, k in g.edges(keys=True))


def test_claim_attributes(g):
    frontier = g.nodes[C(FRONTIER)]
    assert frontier["text"] == FRONTIER
    assert frontier["camp"] == "closed" and frontier["is_key"] is True
    assert frontier["source_count"] == 2  # said word for word by two articles
    assert frontier["label"].startswith("OpenAI will keep")  # key claims carry a label
    premium = g.nodes[C(PREMIUM)]
    assert premium["is_key"] is False and premium["label"] == "" and premium["camp_confidence"] == pytest.approx(0.8)
    assert g.nodes[C(PRICING)]["camp"] == "both"


def test_forecast_entity_and_article_attributes(g):
    parity = g.nodes[forecast_node(g, PARITY)]
    assert (parity["camp"], parity["confidence"], parity["horizon_start"], parity["horizon_end"]) == (
        "open", "possible", 2026, 2031)
    assert parity["label"] == "2026–2031"
    openai = g.nodes[EN("openai")]
    assert (openai["label"], openai["entity_type"], openai["group"], openai["aliases"]) == (
        "OpenAI", "Organization", "named", "Open AI")
    assert openai["mentions"] == 3  # arg:Mention annotations across the corpus
    assert g.nodes[EN("open-models")]["group"] == "concept"
    article = g.nodes[A("001_closed")]
    assert (article["title"], article["date"], article["url"], article["identifier"]) == (
        "Closed labs will dominate", "2026-01-05", "https://example.org/a1", "001_closed")
    assert "url" not in g.nodes[A("003_xss")] and g.nodes[A("003_xss")]["title"] == XSS_TITLE


def test_edges_of_each_kind(g):
    assert g.has_edge(C(FRONTIER), A("001_closed"), "appears_in")
    assert g.has_edge(C(FRONTIER), A("003_xss"), "appears_in")
    appearance = g.edges[C(PREMIUM), A("001_closed"), "appears_in"]
    assert appearance["quote"] == PREMIUM and appearance["camp"] == "closed"
    assert appearance["offset_end"] - appearance["offset_start"] == len(PREMIUM)
    assert g.has_edge(C(CHEAP), EN("llama"), "mentions") and g.has_edge(C(CHEAP), EN("open-models"), "mentions")
    assert g.has_edge(forecast_node(g, WORTH), EN("openai"), "mentions")  # arg:about
    assert g.edges[C(PREMIUM), C(FRONTIER), "supports"]["cue"] == "because"
    assert g.edges[C(YET), C(FRONTIER), "contrasts"]["cue"] == "yet"
    restates = [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == "restates"]
    assert restates and all(0 < d["similarity"] <= 1 for *_, d in restates)
    assert (C(ENTERPRISE), C(YET)) in {(u, v) for u, v, _ in restates} | {(v, u) for u, v, _ in restates}


def test_attributes_are_graphml_safe(g):
    values = [v for _, a in g.nodes(data=True) for v in a.values()]
    values += [v for *_, a in g.edges(data=True) for v in a.values()]
    assert all(isinstance(v, str | int | float | bool) for v in values)


def test_map_graph_reads_a_written_graph(tmp_path, ds, g):
    write_trig(ds, tmp_path / "argmap.trig")
    again = map_graph(read_dataset(tmp_path / "argmap.trig"))
    assert dict(again.nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted(again.edges(keys=True)) == sorted(g.edges(keys=True))


# ---------------------------------------------------------------- views

def test_camp_keeps_that_camp_and_what_it_links_to(g):
    sub = select(g, camp="open")
    said = {n for n, a in sub.nodes(data=True) if a["kind"] in ("claim", "forecast")}
    assert said == {C(ENTERPRISE), C(CHEAP), C(XSS_QUOTE), C(YET), forecast_node(g, PARITY)}
    assert EN("llama") in sub and EN("open-models") in sub and EN("openai") not in sub
    assert {A("002_open"), A("003_xss")} <= set(sub) and A("001_closed") not in sub
    assert len(g) == 17  # select never changes its input


def test_source_is_one_article(g):
    sub = select(g, source="003_xss")
    assert set(sub) == {A("003_xss"), C(FRONTIER), C(YET), C(OLIGOPOLY), EN("openai"), EN("open-models")}
    assert sub.has_edge(C(YET), C(FRONTIER), "contrasts")
    assert set(select(g, source="003")) == set(sub)  # a unique prefix is enough
    with pytest.raises(ViewError, match="ambiguous"):
        select(g, source="00")
    with pytest.raises(ViewError, match="matches no article"):
        select(g, source="nope")


def test_focus_on_an_entity_label_alias_claim_words_or_iri(g):
    sub = select(g, focus="openai")  # case does not matter
    assert set(sub) == {EN("openai"), C(FRONTIER), C(PRICING), forecast_node(g, WORTH)}
    assert set(select(g, focus="Open AI")) == set(sub)
    assert set(select(g, focus=EN("openai"))) == set(sub)
    assert find_nodes(g, "commodity pricing") == [C(PRICING)]
    wider = select(g, focus="OpenAI", depth=2)
    assert set(sub) < set(wider) and A("001_closed") in wider
    with pytest.raises(ViewError, match="matches no"):
        select(g, focus="no such thing")


def test_bridges_are_shared_entities_and_cross_camp_contrasts(g):
    sub = select(g, bridges=True)
    # "open models" is mentioned by a closed claim (BEHIND) and open ones; OpenAI only by closed and both.
    assert EN("open-models") in sub and EN("openai") not in sub and EN("llama") not in sub
    assert {C(BEHIND), C(ENTERPRISE), C(CHEAP), C(YET), forecast_node(g, PARITY)} <= set(sub)
    assert sub.has_edge(C(YET), C(FRONTIER), "contrasts")  # open contrasts closed
    assert C(PREMIUM) not in sub and not any(a["kind"] == "article" for _, a in sub.nodes(data=True))


def test_views_combine(g):
    sub = select(g, source="002_open", camp="open")
    assert {n for n, a in sub.nodes(data=True) if a["kind"] == "claim"} == {C(ENTERPRISE), C(CHEAP), C(XSS_QUOTE)}
    with pytest.raises(ViewError):
        select(g, camp="neither")


def test_limit_keeps_articles_and_key_claims_and_says_so(g):
    same, notice = limit(g, 100)
    assert same is g and notice is None
    small, notice = limit(g, 6)
    assert {A("001_closed"), A("002_open"), A("003_xss"), C(FRONTIER), C(ENTERPRISE)} <= set(small)
    assert len(small) <= 6 and "showing" in notice and "of 17 nodes" in notice and "--max-nodes" in notice


def test_build_view_reports_the_cut(ds):
    view = build_view(ds, max_nodes=8)
    assert view.total_nodes == 17 and len(view.graph) <= 8 and view.notices
    assert "notices" in render_html(view) and view.notices[0] in htmllib.unescape(
        json.loads(_data_json(render_html(view)))["meta"]["notices"][0])


# ---------------------------------------------------------------- layout

def test_layout_puts_camps_apart_and_nodes_on_distinct_spots(g):
    h = g.copy()
    bands = place(h)
    xs = {camp: [a["x"] for _, a in h.nodes(data=True) if a["kind"] == "claim" and a["camp"] == camp]
          for camp in ("closed", "both", "open")}
    assert max(xs["closed"]) < min(xs["both"]) <= max(xs["both"]) < min(xs["open"])
    assert bands["closed"][1] <= bands["both"][0] and bands["both"][1] <= bands["open"][0]
    spots = [(a["x"], a["y"]) for _, a in h.nodes(data=True)]
    assert len(set(spots)) == len(spots)
    again = g.copy()
    place(again)
    assert [(a["x"], a["y"]) for _, a in again.nodes(data=True)] == spots  # deterministic


def test_entities_sit_near_the_claims_that_mention_them(g):
    h = g.copy()
    place(h)
    llama = (h.nodes[EN("llama")]["x"], h.nodes[EN("llama")]["y"])
    cheap = (h.nodes[C(CHEAP)]["x"], h.nodes[C(CHEAP)]["y"])
    distances = sorted(((a["x"] - llama[0]) ** 2 + (a["y"] - llama[1]) ** 2) ** 0.5
                       for n, a in h.nodes(data=True) if n != EN("llama"))
    own = ((cheap[0] - llama[0]) ** 2 + (cheap[1] - llama[1]) ** 2) ** 0.5
    assert own <= distances[len(distances) // 2]  # closer than the median node


def test_new_nodes_are_placed_near_their_neighbours_and_the_others_stay(g):
    from argmap.view.layout import place_new

    h = g.copy()
    bands = place(h)
    # A map that grew: the third article and what only it says are new.
    new = {A("003_xss"), C(YET), C(OLIGOPOLY)}
    fixed = {n: (a["x"], a["y"]) for n, a in h.nodes(data=True) if n not in new}
    grown = g.copy()
    place_new(grown, fixed, bands)
    assert {n: (grown.nodes[n]["x"], grown.nodes[n]["y"]) for n in fixed} == fixed
    spots = [(a["x"], a["y"]) for _, a in grown.nodes(data=True)]
    assert len(set(spots)) == len(spots)
    for node in (C(YET), C(OLIGOPOLY)):  # claims stay in their camp's band
        x0, x1 = bands[grown.nodes[node]["camp"]]
        assert x0 < grown.nodes[node]["x"] < x1
    yet = (grown.nodes[C(YET)]["x"], grown.nodes[C(YET)]["y"])
    distances = sorted(((a["x"] - yet[0]) ** 2 + (a["y"] - yet[1]) ** 2) ** 0.5
                       for n, a in grown.nodes(data=True) if n != C(YET))
    near = min(((grown.nodes[m]["x"] - yet[0]) ** 2 + (grown.nodes[m]["y"] - yet[1]) ** 2) ** 0.5
               for m in nx.all_neighbors(grown, C(YET)))
    assert near <= distances[len(distances) // 2]


# ---------------------------------------------------------------- the page

def _data_json(page: str) -> str:
    return re.search(r'<script id="argmap-data" type="application/json">(.*?)</script>', page, re.S).group(1)


@pytest.fixture(scope="module")
def page(ds):
    return render_html(build_view(ds))


def test_page_loads_nothing_from_outside(page):
    attributes = re.findall(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*([^"'\s>]*)""", page, re.I)
    assert not [a for a in attributes if re.match(r"(?:https?:)?//", a, re.I)]
    assert not re.search(r"<(?:link|iframe|object|embed|img|base)\b", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp


def test_injected_markup_appears_only_escaped(page):
    assert XSS_SCRIPT not in page and XSS_IMG not in page and "<img" not in page
    assert page.lower().count("</script") == 3  # vis-network, the data, the app: nothing closes early
    markup = re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S)  # the page minus script bodies
    assert markup.count("<script") == 3 and "onerror" not in markup and "__pwned" not in markup
    data = json.loads(_data_json(page))
    titles = {n["title"] for n in data["nodes"] if n["kind"] == "article"}
    assert XSS_TITLE in titles  # the text survives intact, as data
    assert XSS_QUOTE in {n["text"] for n in data["nodes"]}
    assert "\\u003cscript\\u003e" in page


def test_data_json_escapes_comment_and_script_openers(ds):
    body = "A claim with </script><!-- and \u2028 inside."
    art = Article("x", "</SCRIPT><!--", body)
    page = render_html(build_view(to_dataset(link([Extraction(art, claims=(Claim(Span.of(body, 0, len(body)), "open", 1.0),))]))))
    data_text = _data_json(page)
    assert "<" not in data_text and ">" not in data_text and "\u2028" not in data_text
    assert {n.get("title") for n in json.loads(data_text)["nodes"]} >= {"</SCRIPT><!--"}


def test_app_script_never_uses_innerhtml():
    from importlib.resources import files
    app = (files("argmap") / "data" / "static" / "page.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", app)


def test_write_html(tmp_path, ds):
    path = write_html(build_view(ds, focus="OpenAI"), tmp_path / "out" / "map.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- exports

def test_graphml_and_gexf_round_trip(ds, g):
    graphml = nx.parse_graphml(export(ds, "graphml"))
    assert set(graphml) == set(g) and graphml.number_of_edges() == g.number_of_edges()
    node = graphml.nodes[C(FRONTIER)]
    assert node["kind"] == "claim" and node["is_key"] is True and node["source_count"] == 2 and "x" in node
    assert {d["kind"] for *_, d in graphml.edges(data=True)} == set(EDGE_KINDS) - {"stated_in"}
    gexf = nx.read_gexf(__import__("io").BytesIO(export(ds, "gexf").encode()))
    assert set(gexf) == set(g) and gexf.nodes[EN("openai")]["label"] == "OpenAI"


def test_graph_exports_take_a_view(ds):
    sub = nx.parse_graphml(export(ds, "graphml", camp="closed"))
    assert {a["camp"] for _, a in sub.nodes(data=True) if a["kind"] == "claim"} == {"closed"}


def test_rdf_exports_hold_the_dataset(ds):
    union = Graph()
    for triple in ds.triples((None, None, None)):
        union.add(triple)
    turtle = Graph().parse(data=export(ds, "turtle"), format="turtle")
    assert len(turtle) == len(union)
    trig = Dataset().parse(data=export(ds, "trig"), format="trig")
    assert len(list(trig.graphs())) >= 4  # three articles + links
    jsonld = Dataset().parse(data=export(ds, "jsonld"), format="json-ld")
    assert sum(len(c) for c in jsonld.graphs()) == sum(len(c) for c in ds.graphs())
    with pytest.raises(Exception, match="graphml and gexf only"):
        export(ds, "turtle", camp="open")


# ---------------------------------------------------------------- the commands

@pytest.fixture()
def graphs(tmp_path, ds, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: pytest.fail("a test must not open a browser"))
    folder = tmp_path / "graphs"
    write_trig(ds, folder / "argmap.trig")
    return folder


def _run(*args):
    from argmap.cli import main
    return CliRunner().invoke(main, list(args))


def test_view_command_writes_the_page(graphs):
    result = _run("view", "--graphs", str(graphs))
    assert result.exit_code == 0, result.output
    assert (graphs / "argmap.html").exists()
    assert "whole map: 17 nodes" in result.stderr and result.stdout == ""


def test_view_command_views_and_limit(graphs, tmp_path):
    out = tmp_path / "focus.html"
    result = _run("view", "--graphs", str(graphs), "--focus", "Llama", "--no-open", "-o", str(out))
    assert result.exit_code == 0 and out.exists() and "neighbourhood of “Llama”" in result.stderr
    result = _run("view", "--graphs", str(graphs), "--max-nodes", "5", "--no-open")
    assert result.exit_code == 0 and "note: showing" in result.stderr


def test_view_command_errors_are_one_line(graphs, tmp_path):
    result = _run("view", "--graphs", str(tmp_path / "missing"))
    assert result.exit_code == 1 and "no graph at" in result.stderr and "Traceback" not in result.output
    result = _run("view", "--graphs", str(graphs), "--focus", "nothing like it")
    assert result.exit_code == 1 and result.stderr.strip().count("\n") == 0
    result = _run("view", "--graphs", str(graphs), "--bridges", "--camp", "open")
    assert result.exit_code == 2 and "cannot be combined" in result.stderr
    result = _run("view", "--graphs", str(graphs), "--depth", "2")
    assert result.exit_code == 2 and "--depth applies only with --focus" in result.stderr


def test_export_command(graphs, tmp_path):
    result = _run("export", "--graphs", str(graphs), "--format", "graphml")
    assert result.exit_code == 0 and result.stdout.startswith("<?xml")
    out = tmp_path / "map.gexf"
    result = _run("export", "--graphs", str(graphs), "-o", str(out))  # format from the suffix
    assert result.exit_code == 0 and "<gexf" in out.read_text(encoding="utf-8")
    result = _run("export", "--graphs", str(graphs), "--format", "turtle", "--bridges")
    assert result.exit_code == 1 and "graphml and gexf only" in result.stderr


def test_an_empty_view_is_an_error(ds):
    body = "Closed labs will win."
    lonely = to_dataset(link([Extraction(Article("a", "T", body), claims=(Claim(Span.of(body, 0, len(body)), "closed", 1.0),))]))
    with pytest.raises(ViewError, match="nothing in the map matches --bridges"):
        select(map_graph(lonely), bridges=True)
    with pytest.raises(ViewError, match="--camp open"):
        select(map_graph(lonely), camp="open")


@pytest.mark.parametrize("env, tty, expected", [
    ({"CI": "true", "DISPLAY": ":0"}, True, False),
    ({"DISPLAY": ":0"}, False, False),
    ({}, True, False),  # a terminal without a desktop (plain SSH)
    ({"DISPLAY": ":0"}, True, True),
])
def test_the_browser_opens_only_for_a_person_at_a_desktop(monkeypatch, env, tty, expected):
    from argmap.cli import view_cmd
    for name in ("CI", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(view_cmd.sys, "stdin", type("T", (), {"isatty": lambda self: tty})())
    monkeypatch.setattr(view_cmd.sys, "stdout", type("T", (), {"isatty": lambda self: tty})())
    monkeypatch.setattr(view_cmd.sys, "platform", "linux")
    assert view_cmd._may_open_browser() is expected
