"""The scorer (`argmap eval`) on small hand-made graphs: a bug here must not flatter the extractor."""

from __future__ import annotations

import json

import pytest
from _graphs import (DATE, article, claim, dataset, entity, forecast, mention, relation, span, write_gold)
from click.testing import CliRunner

from argmap.corpus import write_article
from argmap.errors import GoldError
from argmap.evaluate import evaluate, fold_label, render_table, spans_overlap
from argmap.evaluate.gold import Gold, GoldClaim, load_gold, offtopic_regions
from argmap.graph import write_trig
from argmap.model import Claim, Extraction, Relation, Span

# ---------------------------------------------------------------- the main article

C1 = "Open models are getting cheaper every month."
C2 = "Closed labs charge a premium for the best models."
C3 = "Both economies will grow."
C4 = "Enterprises switch to open models for niche tasks."
F1 = "By 2030 open models will likely dominate inference."
F2 = "Closed labs might become an oligopoly."
X = "This sentence is noise."
BODY = " ".join([C1, C2, C3, C4, F1, F2, X]) + "\nTopics\n- Open AI\n"
ART = article("001_main", BODY)

GOLD = {
    "article": {"file": "001_main.txt", "title": ART.title, "date": DATE},
    "entities": [{"name": "Open models", "type": "Concept", "aliases": ["open model"]},
                 {"name": "Closed labs", "type": "Concept", "aliases": []}],
    "claims": [{"quote": C1, "camp": "open", "key": True}, {"quote": C2, "camp": "closed", "key": False},
               {"quote": C3, "camp": "both", "key": False}, {"quote": C4, "camp": "open", "key": False}],
    "forecasts": [{"quote": F1, "subject": ["Open models"], "horizon": {"start": 2030, "end": 2030},
                   "confidence": "likely", "camp": "open"},
                  {"quote": F2, "subject": ["Closed labs"], "horizon": None, "confidence": "possible",
                   "camp": "closed"}],
    "relations": [{"from": C1, "to": C2, "type": "supports"}, {"from": C4, "to": C2, "type": "contrasts"},
                  {"from": C3, "to": C1, "type": "supports"}],
    "duplicates": [],
    "offtopic": [{"quote": "Topics"}],
}

OPEN = entity("Open models", "Concept", ("open models",))
CLOSED = entity("Closed labs", "Concept")


def perfect_extraction() -> Extraction:
    b = BODY
    return Extraction(
        ART,
        mentions=(mention(b, "Open models", OPEN), mention(b, "Closed labs", CLOSED)),
        claims=(claim(b, C1, "open", key=True), claim(b, C2, "closed"), claim(b, C3, "both"), claim(b, C4, "open")),
        forecasts=(forecast(b, F1, "open", "likely", (2030, 2030)), forecast(b, F2, "closed", "possible")),
        relations=(relation(b, C1, C2, "supports"), relation(b, C4, C2, "contrasts"),
                   relation(b, C3, C1, "supports")))


@pytest.fixture
def gold_dir(tmp_path):
    write_gold(tmp_path / "gold", "001_main", GOLD)
    return tmp_path / "gold"


def test_perfect_graph_scores_one_everywhere(gold_dir):
    report = evaluate(dataset(perfect_extraction()), [ART], gold_dir)
    assert report["warnings"] == []
    (art,) = report["articles"]
    assert art["matched_by"] == "file"
    for section in (art["entities"]["untyped"], art["entities"]["typed"], art["claims"], art["forecasts"],
                    art["relations"], report["overall"]["claims"]):
        assert (section["precision"], section["recall"], section["f1"]) == (1.0, 1.0, 1.0)
    for name in ("camp", "key"):
        assert art["claims"][name]["accuracy"] == 1.0
    totals = {"camp": 2, "confidence": 2, "horizon_stated": 1, "horizon_unstated": 1}
    for name, total in totals.items():
        assert art["forecasts"][name] == {"correct": total, "total": total, "accuracy": 1.0}
    assert art["offtopic"] == {"count": 0, "items": []}
    assert art["entities"]["missed"] == [] and art["entities"]["false_positives"] == []
    assert art["claims"]["unmatched_gold"] == [] and art["forecasts"]["unmatched_gold"] == []


def test_empty_graph_has_zero_recall(gold_dir):
    report = evaluate(dataset(Extraction(ART)), [ART], gold_dir)
    (art,) = report["articles"]
    for section in (art["entities"]["untyped"], art["claims"], art["forecasts"], art["relations"]):
        assert section["recall"] == 0.0 and section["found"] == 0
        assert section["predicted"] == 0 and section["precision"] is None and section["f1"] is None
    assert art["claims"]["gold"] == 4 and art["forecasts"]["gold"] == 2 and art["relations"]["gold"] == 3
    assert art["entities"]["missed"] == ["Open models", "Closed labs"]
    assert art["claims"]["unmatched_gold"] == [C1, C2, C3, C4]
    assert art["claims"]["camp"] == {"correct": 0, "total": 0, "accuracy": None}


def test_partial_graph_exact_numbers(gold_dir):
    b = BODY
    c2 = Span.of(b, b.index(C2) + 6, b.index(C2) + len(C2) + 4)  # shifted, still overlapping > half
    c1, c4, x = span(b, C1), span(b, C4), span(b, X)
    ext = Extraction(
        ART,
        claims=(Claim(c1, "open", 0.9, key=False),  # key wrong
                Claim(c2, "open", 0.5),  # camp wrong
                claim(b, C4, "open"),
                claim(b, F1, "open"),  # a claim on a gold forecast: right for precision, not for recall
                claim(b, X, "closed")),  # spurious
        forecasts=(forecast(b, F1, "open", "certain", (2030, 2030)),  # confidence wrong
                   forecast(b, F2, "open", "possible", (2031, 2031))),  # camp wrong, invents a horizon
        relations=(Relation(c2, c1, "supports"),  # gold is C1 supports C2: wrong direction, not counted
                   Relation(c2, c4, "contrasts"),  # gold is C4 contrasts C2: reverse still counts
                   Relation(x, c4, "supports")))  # spurious
    art = evaluate(dataset(ext), [ART], gold_dir)["articles"][0]
    claims = art["claims"]
    assert (claims["gold"], claims["found"], claims["predicted"], claims["correct"]) == (4, 3, 5, 4)
    assert (claims["precision"], claims["recall"], claims["f1"]) == (0.8, 0.75, 0.7742)
    assert claims["camp"] == {"correct": 2, "total": 3, "accuracy": 0.6667}
    assert claims["key"] == {"correct": 2, "total": 3, "accuracy": 0.6667}
    assert claims["unmatched_gold"] == [C3]
    assert claims["unmatched_predicted"] == [X]
    fc = art["forecasts"]
    assert (fc["precision"], fc["recall"]) == (1.0, 1.0)
    assert fc["camp"]["accuracy"] == 0.5 and fc["confidence"]["accuracy"] == 0.5
    assert fc["horizon_stated"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert fc["horizon_unstated"] == {"correct": 0, "total": 1, "accuracy": 0.0}
    rel = art["relations"]
    assert (rel["gold"], rel["found"], rel["predicted"], rel["correct"]) == (3, 1, 3, 1)
    assert [m["from"] for m in rel["missed"]] == [C1, C3]
    assert art["entities"]["untyped"]["predicted"] == 0


def test_matching_is_one_to_one_largest_overlap_first(tmp_path):
    body = "Open wins. Closed loses badly.\n"
    art = article("005_merge", body)
    write_gold(tmp_path / "gold", "005_merge", {
        "article": {"file": "005_merge.txt"},
        "claims": [{"quote": "Open wins.", "camp": "open"}, {"quote": "Closed loses badly.", "camp": "closed"}]})
    # one predicted span covers both gold claims: it may match only one, the larger overlap
    ext = Extraction(art, claims=(claim(body, "Open wins. Closed loses badly.", "closed"),))
    claims = evaluate(dataset(ext), [art], tmp_path / "gold")["articles"][0]["claims"]
    assert (claims["found"], claims["gold"], claims["correct"], claims["predicted"]) == (1, 2, 1, 1)
    assert claims["unmatched_gold"] == ["Open wins."]
    assert claims["camp"]["accuracy"] == 1.0


def test_overall_is_micro_averaged(tmp_path):
    other_body = "Open models win. Closed labs lose.\n"
    other = article("002_other", other_body)
    write_gold(tmp_path / "gold", "001_main", GOLD)
    write_gold(tmp_path / "gold", "002_other", {
        "article": {"file": "002_other.txt"},
        "claims": [{"quote": "Open models win.", "camp": "open"}, {"quote": "Closed labs lose.", "camp": "closed"}]})
    ds = dataset(perfect_extraction(), Extraction(other, claims=(claim(other_body, "Open models win."),)))
    report = evaluate(ds, [ART, other], tmp_path / "gold")
    overall = report["overall"]["claims"]
    assert report["overall"]["articles"] == 2
    assert (overall["gold"], overall["found"], overall["predicted"], overall["correct"]) == (6, 5, 5, 5)
    assert overall["recall"] == round(5 / 6, 4) and overall["precision"] == 1.0
    assert report["overall"]["claims"]["camp"] == {"correct": 5, "total": 5, "accuracy": 1.0}


# ---------------------------------------------------------------- entities

def test_entity_alias_possessive_and_type(tmp_path):
    body = "Anthropic’s models beat OpenAI's. The open-weight  models are cheap. Google is big.\n"
    art = article("010_ents", body)
    write_gold(tmp_path / "gold", "010_ents", {
        "article": {"file": "010_ents.txt"},
        "entities": [{"name": "Anthropic", "type": "Organization", "aliases": []},
                     {"name": "OpenAI", "type": "Organization", "aliases": ["Open AI"]},
                     {"name": "open-weight models", "type": "Concept", "aliases": ["open weights"]},
                     {"name": "Meta", "type": "Organization", "aliases": []}]})
    ext = Extraction(art, mentions=(
        mention(body, "Anthropic’s", entity("Anthropic’s", key="anthropic")),  # possessive label
        mention(body, "OpenAI's", entity("Open AI Inc", "Product", ("OpenAI's",), key="openai")),  # alias, wrong type
        mention(body, "open-weight  models", entity("Open-Weight   Models", "Concept", key="ow")),  # case/space
        mention(body, "Google", entity("Google"))))
    ents = evaluate(dataset(ext), [art], tmp_path / "gold")["articles"][0]["entities"]
    u, t = ents["untyped"], ents["typed"]
    assert (u["gold"], u["found"], u["predicted"], u["correct"]) == (4, 3, 4, 3)
    assert (t["found"], t["correct"], t["precision"], t["recall"]) == (2, 2, 0.5, 0.5)
    assert ents["missed"] == ["Meta"]
    assert ents["false_positives"] == ["Google"]
    assert ents["wrong_type"] == [{"name": "OpenAI", "gold_type": "Organization", "predicted_types": ["Product"]}]


def test_fold_label_and_overlap_rule():
    assert fold_label("OpenAI’s") == fold_label("openai's") == fold_label(" OpenAI ") == "openai"
    assert fold_label("closed   labs") == "closed labs"
    assert fold_label("Anthropic") != fold_label("Anthropics")  # only the possessive 's is folded
    assert spans_overlap((0, 10), (5, 100)) == 5  # exactly half of the shorter span
    assert spans_overlap((0, 10), (6, 100)) == 0
    assert spans_overlap((0, 10), (10, 20)) == 0


# ---------------------------------------------------------------- off-topic regions

OT_BODY = ("Open models win on price.\n"
           "Topics\n"
           "- Closed AI Models\n"
           "- OpenAI news\n"
           "Closed labs win on quality. Share this page. Really.\n"
           "  Footer text by Acme\n")


def test_offtopic_regions_line_opening_versus_inside_line():
    gold = Gold("g.gold.yaml", "x", claims=(GoldClaim("Open models win on price."),
                                            GoldClaim("Closed labs win on quality.")),
                offtopic=("Topics", "Share this page.", "Footer text"))
    regions = offtopic_regions(OT_BODY, gold)
    assert [OT_BODY[s:e] for s, e in regions] == [
        "Topics\n- Closed AI Models\n- OpenAI news\n", "Share this page.", "  Footer text by Acme\n"]
    # a line-opening quote whose own line holds a gold claim covers only itself
    body = "Share this. Closed wins.\nMore text.\n"
    gold = Gold("g", "x", claims=(GoldClaim("Closed wins."),), offtopic=("Share this.",))
    assert [body[s:e] for s, e in offtopic_regions(body, gold)] == ["Share this."]


def test_offtopic_predictions_are_counted_and_listed(tmp_path):
    b = OT_BODY
    art = article("020_ot", b)
    write_gold(tmp_path / "gold", "020_ot", {
        "article": {"file": "020_ot.txt"},
        "entities": [{"name": "OpenAI", "type": "Organization"}, {"name": "closed labs", "type": "Concept"}],
        "claims": [{"quote": "Open models win on price.", "camp": "open"},
                   {"quote": "Closed labs win on quality.", "camp": "closed"}],
        "offtopic": [{"quote": "Topics"}, {"quote": "Share this page."}, {"quote": "Footer text"}]})
    ext = Extraction(art, claims=(
        claim(b, "Open models win on price."), claim(b, "Closed labs win on quality.", "closed"),
        claim(b, "- Closed AI Models"), claim(b, "Share this page."), claim(b, "Really.")),
        mentions=(mention(b, "OpenAI", entity("OpenAI")), mention(b, "Closed labs", entity("Closed labs", "Concept")),
                  mention(b, "Acme", entity("Acme"))))
    art_report = evaluate(dataset(ext), [art], tmp_path / "gold")["articles"][0]
    ot = art_report["offtopic"]
    assert ot["count"] == 4
    assert [(i["kind"], i["text"]) for i in ot["items"]] == [
        ("claim", "- Closed AI Models"), ("mention", "OpenAI"), ("claim", "Share this page."), ("mention", "Acme")]
    ents = art_report["entities"]["untyped"]
    # OpenAI is found (recall uses every mention) but off-topic-only entities are not predictions
    assert (ents["found"], ents["gold"], ents["predicted"], ents["correct"]) == (2, 2, 1, 1)
    assert art_report["entities"]["false_positives"] == []


# ---------------------------------------------------------------- duplicates

def test_duplicates_same_node_and_restates(tmp_path):
    a_body = "Open models will win. Closed labs keep margins. Prices fall fast.\n"
    b_body = "OPEN MODELS WILL WIN! Frontier labs protect their margins. Prices fall slowly.\n"
    a, b = article("030_a", a_body), article("031_b", b_body)
    write_gold(tmp_path / "gold", "030_a", {
        "article": {"file": "030_a.txt"},
        "claims": [{"quote": q, "camp": "open"} for q in ("Open models will win.", "Closed labs keep margins.",
                                                           "Prices fall fast.")],
        "duplicates": [
            {"quote": "Open models will win.", "other_file": "031_b.txt", "other_quote": "OPEN MODELS WILL WIN!"},
            {"quote": "Closed labs keep margins.", "other_file": "031_b.txt",
             "other_quote": "Frontier labs protect their margins."},
            {"quote": "Prices fall fast.", "other_file": "031_b.txt", "other_quote": "Prices fall slowly."},
            {"quote": "Prices fall fast.", "other_file": "099_missing.txt", "other_quote": "Whatever."}]})
    ds = dataset(
        Extraction(a, claims=tuple(claim(a_body, q) for q in ("Open models will win.", "Closed labs keep margins.",
                                                               "Prices fall fast."))),
        Extraction(b, claims=tuple(claim(b_body, q) for q in ("OPEN MODELS WILL WIN!",
                                                               "Frontier labs protect their margins.",
                                                               "Prices fall slowly."))),
        restates=(("Frontier labs protect their margins.", "Closed labs keep margins."),  # b → a direction
                  ("Prices fall slowly.", "Open models will win.")))  # joins no gold duplicate
    report = evaluate(ds, [a, b], tmp_path / "gold")
    dup = report["articles"][0]["duplicates"]
    assert (dup["resolved"], dup["total"], dup["skipped"], dup["rate"]) == (2, 3, 1, 0.6667)
    assert [d["quote"] for d in dup["unresolved"]] == ["Prices fall fast."]
    assert any("099_missing.txt" in w for w in report["warnings"])
    assert report["overall"]["duplicates"]["resolved"] == 2
    assert report["overall"]["duplicates"]["restates"] == {"precision": 0.5, "correct": 1, "predicted": 2}
    assert "restates precision  0.500  (1/2 pairs" in render_table(report)


# ---------------------------------------------------------------- article matching

def test_article_matching_by_stem_then_title_and_date(tmp_path):
    body = "Open models win.\n"
    one = article("040_one", body, title="A unique title")
    two = article("041_two", body, title="Shared title")
    three = article("042_three", body, title="Shared title")
    gold = tmp_path / "gold"
    claims = [{"quote": "Open models win.", "camp": "open"}]
    write_gold(gold, "a", {"article": {"file": "040_one.txt", "title": "ignored"}, "claims": claims})
    write_gold(gold, "b", {"article": {"file": "renamed.md", "title": "Shared title", "date": DATE}})
    write_gold(gold, "c", {"article": {"file": "other.md", "title": "A unique title", "date": DATE},
                           "claims": claims})
    write_gold(gold, "d", {"article": {"file": "gone.md", "title": "A unique title", "date": "2020-01-01"}})
    ds = dataset(*(Extraction(x, claims=(claim(body, "Open models win."),)) for x in (one, two, three)))
    report = evaluate(ds, [one, two, three], gold)
    # c's title+date lands on 040_one, which gold a already took by file stem
    assert [(r["gold"], r["article"], r["matched_by"]) for r in report["articles"]] == [
        ("a.gold.yaml", "040_one", "file")]
    text = " ".join(report["warnings"])
    assert "b.gold.yaml" in text and "d.gold.yaml" in text and "c.gold.yaml" in text
    write_gold(gold, "a", {"article": {"file": "nothing.txt"}})  # a no longer claims 040_one
    report = evaluate(ds, [one, two, three], gold)
    assert [(r["gold"], r["article"], r["matched_by"]) for r in report["articles"]] == [
        ("c.gold.yaml", "040_one", "title+date")]


def test_article_in_graph_but_not_in_corpus_warns(gold_dir):
    report = evaluate(dataset(perfect_extraction()), [], gold_dir)
    assert report["articles"] == [] and report["overall"]["articles"] == 0
    assert "not in the corpus" in report["warnings"][0]


# ---------------------------------------------------------------- errors

def test_unreadable_yaml_raises_gold_error(tmp_path):
    (tmp_path / "bad.gold.yaml").write_text("article: [unclosed\n", encoding="utf-8")
    with pytest.raises(GoldError, match="bad.gold.yaml: unreadable YAML"):
        load_gold(tmp_path / "bad.gold.yaml")


def test_quote_not_in_body_names_file_and_quote(tmp_path):
    write_gold(tmp_path, "001_main", {**GOLD, "claims": [{"quote": "Nowhere in the text.", "camp": "open"}]})
    with pytest.raises(GoldError, match=r"001_main.gold.yaml: quote not found in 001_main.md: 'Nowhere in the"):
        evaluate(dataset(perfect_extraction()), [ART], tmp_path)


def test_one_bad_gold_file_is_reported_and_the_rest_scored(gold_dir):
    """Issue 16 item 3: one gold file that did not match its article aborted the whole eval."""
    (gold_dir / "003_broken.gold.yaml").write_text("article: [unclosed\n", encoding="utf-8")
    report = evaluate(dataset(perfect_extraction()), [ART], gold_dir)
    assert [a["gold"] for a in report["articles"]] == ["001_main.gold.yaml"]
    assert report["overall"]["claims"]["f1"] == 1.0
    assert len(report["problems"]) == 1 and "003_broken.gold.yaml: unreadable YAML" in report["problems"][0]
    # When no file can be scored, the first problem is the error and the count of the rest follows.
    write_gold(gold_dir, "001_main", {**GOLD, "claims": [{"quote": "Nowhere in the text.", "camp": "open"}]})
    with pytest.raises(GoldError, match=r"003_broken.gold.yaml: unreadable YAML.* \(and 1 more problems\)"):
        evaluate(dataset(perfect_extraction()), [ART], gold_dir)


def test_missing_or_empty_gold_folder(tmp_path):
    with pytest.raises(GoldError, match="does not exist"):
        evaluate(dataset(), [], tmp_path / "nope")
    with pytest.raises(GoldError, match=r"no \*.gold.yaml"):
        evaluate(dataset(), [], tmp_path)


def test_render_table_lists_sections_and_entities(gold_dir):
    report = evaluate(dataset(Extraction(ART)), [ART], gold_dir)
    text = render_table(report)
    assert "001_main (001_main.gold.yaml, matched by file)" in text
    assert "missed entities: Open models, Closed labs" in text
    assert "overall (1 articles, micro-averaged)" in text
    claims_row = next(line for line in text.splitlines() if line.startswith("claims"))
    assert claims_row.split() == ["claims", "-", "0.000", "-", "4", "0", "0", "0"]


# ---------------------------------------------------------------- CLI

@pytest.fixture
def project(tmp_path):
    corpus, graphs = tmp_path / "corpus", tmp_path / "graphs"
    corpus.mkdir()
    graphs.mkdir()
    write_article(corpus, ART)
    write_trig(dataset(perfect_extraction()), graphs / "argmap.trig")
    write_gold(tmp_path / "gold", "001_main", GOLD)
    return tmp_path


def _run(project, *args):
    from argmap.cli import eval_cmd  # noqa: F401  (registers the command)
    from argmap.cli.common import main
    return CliRunner().invoke(main, ["eval", "--corpus", str(project / "corpus"), "--graphs",
                                     str(project / "graphs"), *args])


def test_cli_json_and_table(project):
    result = _run(project, "--gold", str(project / "gold"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["overall"]["claims"]["f1"] == 1.0 and report["overall"]["offtopic"]["count"] == 0
    result = _run(project, "--gold", str(project / "gold"))
    assert result.exit_code == 0, result.output
    assert "overall (1 articles, micro-averaged)" in result.stdout


def test_cli_bad_gold_is_a_one_line_error(project):
    (project / "gold" / "001_main.gold.yaml").write_text("claims: [oops\n", encoding="utf-8")
    result = _run(project, "--gold", str(project / "gold"))
    assert result.exit_code != 0
    assert result.stderr.strip().startswith("Error: ") and "001_main.gold.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
