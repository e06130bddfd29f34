"""The store abstraction: rdflib memory and Oxigraph give the same answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import argmap.query.store as store_mod
from argmap.errors import GraphError, QueryError
from argmap.graph import article_iri, to_dataset, write_trig
from argmap.link import link
from argmap.model import Article, Claim, Entity, Extraction, Forecast, Mention, OffTopic, Quantity, Relation, Span
from argmap.query import saved_queries
from argmap.query.store import QueryRefused, StoreResult, inspect_query, open as open_store

OPENAI = Entity("openai", "OpenAI", "Organization", ("Open AI",), "https://www.wikidata.org/wiki/Q21708200")
META = Entity("meta", "Meta", "Organization")
LLAMA = Entity("llama", "Llama", "Product", source="ner")


def _find(body: str, text: str) -> Span:
    start = body.index(text)
    return Span.of(body, start, start + len(text))


def _article_one() -> Extraction:
    body = ("OpenAI keeps its best models closed. Meta releases Llama openly, so open weights will win. "
            "By 2027 open models will match closed ones. Cookie banner text here.")
    article = Article("001_alpha", "Open versus closed", body, file="001_alpha.md",
                      date=dt.date(2024, 5, 1), author="A. Writer", publisher="Example Press",
                      url="https://example.org/a")
    c1 = Claim(_find(body, "OpenAI keeps its best models closed"), "closed", 0.8, key=True, salience=0.7,
               entities=("openai",))
    c2 = Claim(_find(body, "Meta releases Llama openly, so open weights will win"), "open", 0.9, key=True,
               salience=0.9, entities=("meta", "llama"))
    c3 = Claim(_find(body, "By 2027 open models will match closed ones"), "open", 0.6, entities=())
    forecast = Forecast(_find(body, "By 2027 open models will match closed ones"), "open", "likely",
                        confidence_cue="will", horizon_start=2024, horizon_end=2027, horizon_phrase="By 2027",
                        subjects=("meta", "openai"))
    mentions = (Mention(_find(body, "OpenAI"), OPENAI), Mention(_find(body, "Meta"), META),
                Mention(_find(body, "Llama"), LLAMA))
    relations = (Relation(c3.span, c2.span, "supports", cue="so"), Relation(c2.span, c1.span, "contrasts"))
    offtopic = (OffTopic(_find(body, "Cookie banner text here."), "boilerplate"),)
    return Extraction(article, mentions, (c1, c2, c3), (forecast,), relations, offtopic)


def _article_two() -> Extraction:
    body = ("Open AI says frontier models must stay closed for safety. "
            "OpenAI keeps its best models closed. Revenue will reach $10B by 2030. "
            "Both camps agree evaluation matters.")
    article = Article("002_beta", "Safety first", body, file="002_beta.md", date=dt.date(2025, 1, 2))
    c1 = Claim(_find(body, "Open AI says frontier models must stay closed for safety"), "closed", 0.95,
               key=True, salience=0.8, entities=("openai",))
    c2 = Claim(_find(body, "OpenAI keeps its best models closed"), "closed", 0.7, entities=("openai",))
    c3 = Claim(_find(body, "Both camps agree evaluation matters"), "both", 0.5)
    money = _find(body, "$10B")
    forecast = Forecast(_find(body, "Revenue will reach $10B by 2030"), "closed", "certain",
                        horizon_end=2030, horizon_phrase="by 2030", subjects=("openai",),
                        quantities=(Quantity(money, 1e10, 1e10, "USD", "year"),))
    mentions = (Mention(_find(body, "Open AI"), OPENAI), Mention(_find(body, "OpenAI"), OPENAI))
    relations = (Relation(c2.span, c1.span, "supports", cue="for"),)
    return Extraction(article, mentions, (c1, c2, c3), (forecast,), relations)


def build_graphs(folder: Path) -> Path:
    """A small hand-made graph (two articles) written as folder/argmap.trig."""
    folder.mkdir(parents=True, exist_ok=True)
    write_trig(to_dataset(link([_article_one(), _article_two()]), "test-model"), folder / "argmap.trig")
    return folder


# Values for every kind of parameter a saved query can declare.
PARAMS = {"camp": "open", "xsd:gYear": "2030", "iri": str(article_iri("001_alpha")), "xsd:string": "open ai",
          "xsd:integer": "1", "xsd:decimal": "0.5", "xsd:double": "0.5"}


def saved_params(name: str) -> dict[str, str]:
    """Parameters for a saved query, one plausible value per declared type."""
    return {p.name: PARAMS.get(p.type, "x") for p in saved_queries()[name].params}


def _norm(term):
    """Compare across engines: numbers by value, "; "-joined lists as sets."""
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return ("num", float(value))
        text = str(term)
        return ("lit", tuple(sorted(text.split("; "))) if "; " in text else text, str(term.datatype or ""))
    return ("term", None if term is None else str(term))


def normalized_rows(result) -> list[tuple]:
    return sorted((tuple(_norm(v) for v in row) for row in result.rows), key=repr)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory) -> Path:
    return build_graphs(tmp_path_factory.mktemp("graphs"))


@pytest.fixture(scope="module")
def stores(graphs):
    """One open store of each kind: rdflib first."""
    opened = [open_store(graphs, kind) for kind in store_mod.STORES]
    yield opened
    for store in opened:
        store.close()


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_same_rows_for_every_saved_query(stores, name):
    memory, *others = stores
    params = saved_params(name)
    expected = memory.query(name, **params)
    for other in others:
        got = other.query(name, **params)
        assert got.columns == expected.columns, other.kind
        assert normalized_rows(got) == normalized_rows(expected), other.kind


def test_new_saved_queries_answer_on_the_sample(stores):
    memory = stores[0]
    open_claims = memory.query("claims-by-camp", camp="open").records()
    assert {r["text"] for r in open_claims} == {"Meta releases Llama openly, so open weights will win",
                                                 "By 2027 open models will match closed ones"}
    due = memory.query("forecasts-due", year=2027).records()
    assert [r["due"] for r in due] == [2027]
    assert [r["due"] for r in memory.query("forecasts-due", year=2030).records()] == [2027, 2030]
    said = memory.query("entity-claims", entity="open ai").records()
    assert {r["kind"] for r in said} == {"claim", "forecast"}
    assert {r["label"] for r in said} == {"OpenAI"}
    outline = memory.query("outline", source=str(article_iri("001_alpha"))).records()
    assert [r["start"] for r in outline] == sorted(r["start"] for r in outline)
    assert len(outline) == 3
    by_text = {r["text"]: r for r in outline}
    assert by_text["By 2027 open models will match closed ones"]["relations"] == \
        f"supports {outline[1]['start']}"
    assert by_text["OpenAI keeps its best models closed"]["relations"] in ("", None)


def test_result_shapes(stores):
    for store in stores:
        assert isinstance(store.query("sources"), StoreResult)
        ask = store.query("ASK { ?c a arg:Claim }")
        assert ask.boolean is True
        graph = store.query("CONSTRUCT { ?c schema:text ?t } WHERE { ?c a arg:Claim ; schema:text ?t }").graph
        assert len(graph) == 5
        raw = store.query("sources").raw.serialize(format="json")
        assert b'"vars"' in raw


def test_max_rows_truncates(stores):
    for store in stores:
        result = store.execute("SELECT ?s WHERE { ?s ?p ?o }", max_rows=3)
        assert len(result.rows) == 3 and result.truncated
        result = store.execute("SELECT ?s WHERE { ?s a schema:Article }", max_rows=3)
        assert len(result.rows) == 2 and not result.truncated


def _answer_rows(body: bytes, fmt: str) -> list[tuple]:
    """Rows of a written SELECT answer, read with rdflib's result parsers (CSV with csv)."""
    from rdflib.query import Result

    if fmt == "csv":
        return [tuple(row) for row in csv.reader(io.StringIO(body.decode("utf-8")))][1:]
    parsed = Result.parse(io.BytesIO(body), format=fmt)
    return [tuple(_norm(row.get(v)) for v in parsed.vars) for row in parsed.bindings]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_written_answers_agree_and_count_rows(stores, fmt):
    """The endpoint's path: Oxigraph writes SELECT answers itself; rows, cut and content
    must match rdflib's, with texts that hold line breaks, quotes and tabs."""
    texts = r'VALUES ?t { "two\nlines, \"quoted\"" "tab\there" "plain" "x\r\ny" }'
    query = f"SELECT ?t ?n WHERE {{ {texts} BIND(STRLEN(?t) AS ?n) }} ORDER BY ?t"
    answers = [store.answer(query, format=fmt) for store in stores]
    assert {(a.rows, a.truncated) for a in answers} == {(4, False)}
    assert all(_answer_rows(a.body, fmt) == _answer_rows(answers[0].body, fmt) for a in answers)
    cut = [store.answer(query, format=fmt, max_rows=3) for store in stores]
    assert {(a.rows, a.truncated) for a in cut} == {(3, True)}
    assert all(_answer_rows(a.body, fmt) == _answer_rows(answers[0].body, fmt)[:3] for a in cut)
    limited = [store.answer(query + " LIMIT 2", format=fmt, max_rows=3) for store in stores]
    assert {(a.rows, a.truncated) for a in limited} == {(2, False)}


def test_written_graph_answers_for_every_store(stores):
    for store in stores:
        answer = store.answer("CONSTRUCT { ?c schema:text ?t } WHERE { ?c a arg:Claim ; schema:text ?t }",
                              format="turtle", max_rows=2)
        assert answer.rows == 2 and answer.truncated
        assert b"schema:text" in answer.body or b"https://schema.org/text" in answer.body


def test_named_graphs_and_serialize(stores):
    names = stores[0].named_graphs()
    assert all(store.named_graphs() == names for store in stores)
    assert URIRef("https://w3id.org/argmap/id/graph/links") in names
    assert len(names) == 3
    for store in stores:
        assert "001_alpha" in store.serialize("trig")
        one = store.serialize("nt", graph=names[0])
        assert one.count(" .\n") > 10


def test_refuses_updates_and_service(stores):
    for store in stores:
        with pytest.raises(QueryRefused, match="read-only"):
            store.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        with pytest.raises(QueryRefused, match="SERVICE"):
            store.execute("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", allow_service=False)
        with pytest.raises(QueryError, match="malformed"):
            store.query("SELECT ?s WHERE { ?s ?p }")


def test_keyword_inside_strings_and_iris_is_not_syntax():
    info = inspect_query('SELECT ?x { ?x <urn:SERVICE> "SERVICE { DROP" } # SERVICE')
    assert info.form == "SELECT" and not info.uses_service


def test_unknown_query_name_and_store(graphs):
    with pytest.raises(QueryError, match="unknown query"):
        open_store(graphs).query("no-such-query")
    with pytest.raises(GraphError, match="unknown store"):
        open_store(graphs, "postgres")


def test_missing_graph_says_how_to_fix(tmp_path):
    for kind in store_mod.STORES:
        with pytest.raises(GraphError, match="argmap build"):
            open_store(tmp_path, kind)


def test_oxigraph_reloads_when_the_trig_changes(tmp_path):
    graphs = build_graphs(tmp_path / "g")
    with open_store(graphs, "oxigraph") as store:
        assert len(store.named_graphs()) == 3
    ds = to_dataset(link([_article_one()]))
    write_trig(ds, graphs / "argmap.trig")
    future = time.time() + 5
    os.utime(graphs / "argmap.trig", (future, future))
    with open_store(graphs, "oxigraph") as store:
        assert len(store.named_graphs()) == 2


def test_oxigraph_readers_share_the_folder(graphs):
    with open_store(graphs, "oxigraph") as one, open_store(graphs, "oxigraph") as two:
        assert one.query("sources").rows == two.query("sources").rows


def test_cli_query_with_either_store(graphs):
    from click.testing import CliRunner

    from argmap.cli import main

    runner = CliRunner()
    outputs = []
    for store in store_mod.STORES:
        result = runner.invoke(main, ["query", "claims-by-camp", "--param", "camp=open", "--format", "csv",
                                      "--graphs", str(graphs), "--store", store])
        assert result.exit_code == 0, result.output
        outputs.append(sorted(result.output.splitlines()))
    assert {out[0] for out in outputs} == {"claim,text,camp,key,sources,confidence"}
    assert {len(out) for out in outputs} == {3}
    result = runner.invoke(main, ["query", "--sparql", "DROP ALL", "--graphs", str(graphs)])
    assert result.exit_code == 1 and "read-only" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args, expected", [
    (["claims", "--param", "camp=open"], "query claims takes no parameter 'camp' (it takes no parameters)"),
    (["claims-by-camp", "--param", "side=open"], "query claims-by-camp takes no parameter 'side' (it takes: camp)"),
])
def test_a_parameter_the_saved_query_does_not_declare_is_refused(graphs, args, expected):
    """Issue 16 item 8: ``claims --param camp=open`` answered 0 rows with exit 0."""
    from click.testing import CliRunner

    from argmap.cli import main

    result = CliRunner().invoke(main, ["query", *args, "--graphs", str(graphs)])
    assert result.exit_code == 1 and result.output.strip() == f"Error: {expected}"


def test_oxigraph_reload_waits_for_no_reader_and_says_why(tmp_path, monkeypatch):
    from argmap.query import OxigraphStore

    monkeypatch.setattr(OxigraphStore, "reload_wait", 0.1)
    graphs = build_graphs(tmp_path / "g")
    with open_store(graphs, "oxigraph"):
        future = time.time() + 5
        os.utime(graphs / "argmap.trig", (future, future))
        with pytest.raises(GraphError, match="open in another process"):
            open_store(graphs, "oxigraph")
    with open_store(graphs, "oxigraph") as store:  # the reader is gone: it reloads
        assert len(store.named_graphs()) == 3


def test_parameters_may_be_rdflib_terms(stores):
    source = article_iri("002_beta")
    for store in stores:
        assert len(store.query("outline", source=source).rows) == 3
        rows = store.query("SELECT ?t WHERE { ?a dcterms:title ?t }", a=source).rows
        assert [str(r[0]) for r in rows] == ["Safety first"]


def test_binding_a_variable_where_no_constant_may_stand(stores):
    # Not projected and used in ORDER BY: Oxigraph falls back from substitution to VALUES.
    source = article_iri("001_alpha")
    for store in stores:
        rows = store.query("SELECT ?t WHERE { ?a dcterms:title ?t } ORDER BY ?a", a=source).rows
        assert [str(r[0]) for r in rows] == ["Open versus closed"]


def test_auto_keeps_a_small_graph_in_ram_and_a_big_one_on_disk(tmp_path):
    from argmap.settings import ON_DISK_ABOVE, SERVE_ON_DISK_ABOVE

    graphs = build_graphs(tmp_path)
    assert store_mod.auto_store(graphs) == "oxigraph-memory"
    with open_store(graphs) as small:
        assert small.kind == "oxigraph-memory"
    # The same graph, past the size limit (a comment is still valid TriG).
    with (graphs / "argmap.trig").open("a", encoding="utf-8") as trig:
        trig.write("\n# " + "x" * (ON_DISK_ABOVE + 1) + "\n")
    assert store_mod.auto_store(graphs) == "oxigraph"
    assert store_mod.auto_store(graphs, serving=True) == "oxigraph-memory"  # up to SERVE_ON_DISK_ABOVE
    assert SERVE_ON_DISK_ABOVE > ON_DISK_ABOVE
    with open_store(graphs) as big:
        assert big.kind == "oxigraph"
        assert big.query("ASK { ?claim a arg:Claim }").boolean
