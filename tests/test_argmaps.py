"""The argument-map exports: Argdown read back by the Argdown CLI's own parser, AIF
JSON checked against the AIF node and edge rules.  Both on the bundled corpus."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from argmap.view.argmaps import escape_argdown, to_aif, to_argdown
from argmap.view import map_graph

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ARGDOWN = ROOT / ".ci" / "argdown" / "node_modules" / ".bin" / "argdown"


def _argdown_cli() -> str | None:
    found = os.environ.get("ARGDOWN") or (str(LOCAL_ARGDOWN) if LOCAL_ARGDOWN.exists() else shutil.which("argdown"))
    if found is None and os.environ.get("ARGMAP_REQUIRE_ARGDOWN"):
        pytest.fail("ARGMAP_REQUIRE_ARGDOWN is set but no Argdown CLI was found (.ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def graph(built):
    return map_graph(built["dataset"])


def _relations(g, kinds):
    return [(u, v, k) for u, v, k in g.edges(keys=True) if k in kinds]


def test_argdown_parses_with_the_argdown_cli_and_reads_back_every_claim(graph, tmp_path):
    cli = _argdown_cli()
    if cli is None:
        pytest.skip("the Argdown CLI is not installed (npm: @argdown/cli; .ci/run installs it)")
    (tmp_path / "map.argdown").write_text(to_argdown(graph, "seeds"), encoding="utf-8")
    run = subprocess.run([cli, "json", str(tmp_path / "map.argdown"), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "syntax error" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    parsed = json.loads((tmp_path / "out" / "map.json").read_text(encoding="utf-8"))
    claims = {n: a for n, a in graph.nodes(data=True) if a["kind"] == "claim"}
    assert len(parsed["statements"]) == len(claims)
    by_title = {n.rsplit("/", 1)[-1]: a for n, a in claims.items()}
    for title, statement in parsed["statements"].items():
        member = next(m for m in statement["members"] if m.get("text"))
        attrs = by_title[title]
        text = member["text"]
        for tag in reversed(member.get("tags", [])):  # the tags close the text: " #open #key"
            text = re.sub(rf"\s*#{re.escape(tag)}\s*$", "", text.rstrip())
        assert text == " ".join(attrs["text"].split())
        assert attrs["camp"] in member["tags"] and ("key" in member["tags"]) == bool(attrs.get("is_key"))
        assert member["data"]["sources"]
    wanted = Counter({"support": 0, "attack": 0})
    wanted.update("support" if k == "supports" else "attack" for *_, k in _relations(graph, ("supports", "contrasts")))
    got = Counter(r["relationType"] for r in parsed["relations"])
    assert got == wanted and sum(got.values()) > 10
    for r in parsed["relations"]:  # every edge keeps its direction: from the reason to what it backs
        kind = "supports" if r["relationType"] == "support" else "contrasts"
        assert any(u.endswith("/" + r["from"]) and v.endswith("/" + r["to"]) for u, v, _ in _relations(graph, (kind,)))


def test_argdown_escapes_what_its_syntax_would_read():
    assert escape_argdown("a [b] <c> {d} #e *f* _g_ @h i@j.k // l\n m") == \
        r"a \[b\] \<c\> \{d\} \#e \*f\* \_g\_ \@h i@j.k \/\/ l m"


def test_aif_follows_the_node_and_edge_rules(graph):
    aif = json.loads(json.dumps(to_aif(graph)))  # plain JSON
    nodes = {n["nodeID"]: n for n in aif["nodes"]}
    assert len(nodes) == len(aif["nodes"]), "node ids are unique"
    assert {n["type"] for n in nodes.values()} <= {"I", "RA", "CA", "MA"}
    assert len({e["edgeID"] for e in aif["edges"]}) == len(aif["edges"])
    incoming, outgoing = Counter(), Counter()
    for e in aif["edges"]:
        a, b = nodes[e["fromID"]], nodes[e["toID"]]
        # An edge joins an I-node and an S-node, never two I-nodes or two S-nodes.
        assert (a["type"] == "I") != (b["type"] == "I"), e
        outgoing[e["fromID"]] += 1
        incoming[e["toID"]] += 1
    s_nodes = [n for n in nodes.values() if n["type"] != "I"]
    for s in s_nodes:  # one premise (or attacker) in, one conclusion (or target) out
        assert incoming[s["nodeID"]] == 1 and outgoing[s["nodeID"]] == 1, s
    counts = Counter(s["type"] for s in s_nodes)
    assert counts["RA"] == len(_relations(graph, ("supports",)))
    assert counts["CA"] == len(_relations(graph, ("contrasts",)))
    assert counts["MA"] == len(_relations(graph, ("restates",)))
    assert counts["RA"] and counts["CA"] and counts["MA"]
    assert sum(n["type"] == "I" for n in nodes.values()) == sum(1 for _, a in graph.nodes(data=True)
                                                                 if a["kind"] == "claim")


def test_export_cli_writes_both_formats(built, tmp_path):
    from click.testing import CliRunner

    from argmap.cli import main

    runner = CliRunner()
    for name, fmt in (("map.argdown", "argdown"), ("map.aif", "aif")):
        result = runner.invoke(main, ["export", "--graphs", str(built["graphs"]), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert f"({fmt})" in result.output
    assert (tmp_path / "map.argdown").read_text(encoding="utf-8").startswith("===\n")
    assert json.loads((tmp_path / "map.aif").read_text(encoding="utf-8"))["nodes"]
    refused = runner.invoke(main, ["export", "--graphs", str(built["graphs"]), "--format", "aif", "--camp", "open"])
    assert refused.exit_code != 0 and "whole map" in refused.output
