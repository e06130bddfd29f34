"""The SHACL shapes: the built graph conforms, broken graphs are caught, fast enough."""

from __future__ import annotations


import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from argmap.workspace.build import build
from argmap.cli import main
from argmap.corpus import write_article
from argmap.errors import GraphError
from argmap.graph import write_trig
from argmap.graph.validate import check_graph, union_graph, validate_dataset, validate_graph
from argmap.graph import graph_iri
from argmap.graph.vocab import ARG, OA, RDF, SCHEMA

GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")


def _copy(dataset):
    """The first article's graph and the links graph: small enough to validate quickly."""
    from rdflib import Graph

    from argmap.graph import LINKS_GRAPH

    first = sorted(str(s) for s in dataset.subjects(RDF.type, SCHEMA.Article))[0]
    article_graph = graph_iri(first.rsplit("/", 1)[1])
    g = Graph()
    for name in (article_graph, LINKS_GRAPH):
        for triple in dataset.graph(name):
            g.add(triple)
    return union_graph(g)


def test_the_built_graph_conforms(built):
    # How long validation takes is measured in bench/, never asserted in a test.
    assert validate_dataset(built["dataset"]) == ()


def _first(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def test_an_appearance_without_a_quote_or_offsets_is_caught(built):
    g = _copy(built["dataset"])
    appearance = _first(g, ARG.Appearance)
    target = g.value(appearance, OA.hasTarget)
    for selector in list(g.objects(target, OA.hasSelector)):
        g.remove((selector, OA.exact, None))
        g.remove((selector, OA.start, None))
    messages = {(v.focus, v.path) for v in validate_graph(g)}
    assert any("quote" in (path or "") or "oa:exact" in (path or "") for _, path in messages)
    assert any("oa:start" in (path or "") for _, path in messages)


def test_camps_and_confidences_come_from_their_code_lists(built):
    g = _copy(built["dataset"])
    forecast = _first(g, ARG.Forecast)
    g.set((forecast, ARG.confidence, ARG.certain + "ish"))
    claim = _first(g, ARG.Claim)
    g.set((claim, ARG.camp, ARG.open + "-ish"))
    paths = {v.path for v in validate_graph(g)}
    assert {"arg:confidence", "arg:camp"} <= paths


def test_horizons_are_years_in_order(built):
    g = _copy(built["dataset"])
    forecast = sorted(g.subjects(ARG.horizonStart, None))[0]
    g.set((forecast, ARG.horizonStart, Literal("2040", datatype=GYEAR)))
    g.set((forecast, ARG.horizonEnd, Literal("2030", datatype=GYEAR)))
    violations = validate_graph(g)
    [order] = [v for v in violations if "after it ends" in v.message]
    assert order.message == "forecast horizon starts in 2040, after it ends in 2030"
    assert order.value.strip("<>").split(":")[-1] in str(forecast)
    g.set((forecast, ARG.horizonEnd, Literal("soon", datatype=GYEAR)))
    assert any(v.path == "arg:horizonEnd" for v in validate_graph(g))
    with pytest.raises(GraphError, match="SHACL"):
        check_graph(g)


def test_the_cli_lists_violations_and_exits_1(built, tmp_path):
    runner = CliRunner()
    good = runner.invoke(main, ["validate", "--graphs", str(built["graphs"])])
    assert good.exit_code == 0, good.output
    g = _copy(built["dataset"])
    g.remove((_first(g, OA.TextQuoteSelector), OA.exact, None))
    from rdflib import Dataset

    broken = Dataset()
    for triple in g:
        broken.add(triple)
    write_trig(broken, tmp_path / "argmap.trig")
    bad = runner.invoke(main, ["validate", "--graphs", str(tmp_path), "--format", "csv"])
    assert bad.exit_code == 1
    assert bad.output.splitlines()[0] == "focus,path,value,message,severity"
    assert "violation(s)" in bad.output


@pytest.mark.slow
def test_build_refuses_to_write_a_graph_that_fails_the_shapes(tmp_path, monkeypatch):
    from _pool import small_articles

    import argmap.workspace.build

    corpus, graphs = tmp_path / "corpus", tmp_path / "graphs"
    corpus.mkdir()
    write_article(corpus, small_articles()[0])
    real = argmap.workspace.build.article_graph

    def broken(extraction, model=""):
        graph = real(extraction, model)
        graph.remove((None, OA.exact, None))
        return graph

    monkeypatch.setattr(argmap.workspace.build, "article_graph", broken)
    with pytest.raises(GraphError, match="SHACL"):
        build(corpus, graphs)
    assert not (graphs / "argmap.trig").exists()


def test_a_stated_quantity_must_be_a_typed_range(built):
    from rdflib import Literal

    from argmap.graph import validate_dataset
    from argmap.graph.vocab import ARG, SCHEMA, XSD

    ds = built["dataset"]
    claim_quantity = next(iter(ds.objects(None, ARG.statesQuantity)))
    graph = next(g for g in ds.graphs() if (None, ARG.statesQuantity, claim_quantity) in g)
    original = graph.value(claim_quantity, SCHEMA.minValue)
    graph.set((claim_quantity, SCHEMA.minValue, Literal("lots", datatype=XSD.string)))
    try:
        violations = validate_dataset(ds)
        assert any("minValue" in str(v) for v in violations), violations
    finally:
        graph.set((claim_quantity, SCHEMA.minValue, original))
    assert not validate_dataset(ds)


def _mutations(g):
    """Broken copies of ``g``, one per kind of constraint the shapes use."""
    from rdflib import XSD

    from argmap.graph.vocab import DCTERMS, SKOS

    def first(cls):
        return _first(g, cls)

    def changed(*edits):
        broken = union_graph(g)
        for kind, triple in edits:
            (broken.remove if kind == "-" else broken.add)(triple)
        return broken

    def swap(s, p, new):
        return [("-", (s, p, None)), ("+", (s, p, new))]

    selector = first(OA.TextPositionSelector)
    quote = first(OA.TextQuoteSelector)
    article = first(SCHEMA.Article)
    forecast = sorted(g.subjects(ARG.horizonStart, None))[0]
    claim, appearance = first(ARG.Claim), first(ARG.Appearance)
    quantity = next(iter(g.objects(None, ARG.statesQuantity)))
    entity = sorted(g.subjects(ARG.entityType, None))[0]
    target = g.value(appearance, OA.hasTarget)
    integer = XSD.integer
    return {
        "minCount": changed(("-", (quote, OA.exact, None))),
        "maxCount": changed(("+", (selector, OA.start, Literal("99999", datatype=integer)))),
        "in (IRIs)": changed(*swap(claim, ARG.camp, ARG.open + "-ish")),
        "in (literals)": changed(*swap(entity, ARG.entityType, Literal("Thing"))),
        "datatype": changed(*swap(forecast, ARG.horizonEnd, Literal("soon", datatype=GYEAR))),
        "ill-formed": changed(*swap(claim, ARG.sourceCount, Literal("many", datatype=integer))),
        "sparql": changed(*swap(forecast, ARG.horizonStart, Literal("2040", datatype=GYEAR)),
                          *swap(forecast, ARG.horizonEnd, Literal("2030", datatype=GYEAR))),
        "lessThanOrEquals": changed(*swap(selector, OA.start, Literal("10", datatype=integer)),
                                    *swap(selector, OA.end, Literal("5", datatype=integer))),
        "minInclusive": changed(*swap(selector, OA.start, Literal("-1", datatype=integer))),
        "maxInclusive": changed(*swap(appearance, ARG.campConfidence, Literal("1.5", datatype=XSD.decimal))),
        "pattern": changed(*swap(article, DCTERMS.identifier, Literal("bad id!"))),
        "minLength": changed(*swap(article, DCTERMS.title, Literal(""))),
        "nodeKind": changed(*swap(article, SCHEMA.url, Literal("https://example.org/"))),
        "class (path)": changed(("-", (article, RDF.type, SCHEMA.Article)), ("+", (article, RDF.type, URIRef("https://example.org/Thing")))),
        "class (sequence path)": changed(*swap(target, OA.hasSource, claim)),
        "node": changed(*swap(quantity, SCHEMA.minValue, Literal("lots"))),
        "node class": changed(("-", (quantity, RDF.type, None))),
        "label": changed(("+", (entity, SKOS.prefLabel, Literal("another")))),
    }


def test_the_compiled_shapes_report_what_pyshacl_reports(built):
    # pyshacl is the reference implementation of SHACL; the compiled SPARQL must find
    # the same violations (focus, path, value) on every kind of broken graph.
    g = _copy(built["dataset"])
    assert validate_graph(g, "oxigraph") == validate_graph(g, "pyshacl") == ()

    def found(graph, engine):
        return {(v.focus, v.path, v.value) for v in validate_graph(graph, engine)}

    for kind, broken in _mutations(g).items():
        compiled, reference = found(broken, "oxigraph"), found(broken, "pyshacl")
        assert compiled, kind
        assert compiled == reference, kind


def test_a_shape_the_compiler_does_not_know_is_refused():
    from argmap.graph.shacl import compile_shapes

    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] ."""
    with pytest.raises(GraphError, match="uniqueLang"):
        compile_shapes(shapes)
