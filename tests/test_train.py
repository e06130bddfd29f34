"""The training path end to end: label units from gold, `spacy train` a tiny model, load it."""

from __future__ import annotations

import json
import textwrap

from argmap.extract.decide import Classifier
from argmap.evaluate.train import read_split, train_all, unit_examples

CLAIMS = ["Open-weight models will undercut every proprietary API on price.",
          "Proprietary labs keep their margins because enterprises pay for the best model.",
          "The gap between open and closed models shrinks to a few months."]
NOISE = ["Subscribe now to get every issue in your inbox.", "The weather in Paris was mild that week."]


def _write(tmp_path, n: int):
    corpus, gold = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    for i in range(n):
        body = "\n\n".join([CLAIMS[i % 3], NOISE[i % 2], CLAIMS[(i + 1) % 3], NOISE[(i + 1) % 2]]) + "\n"
        (corpus / f"a{i}.md").write_text(f"---\ntitle: Article {i}\ndate: 2026-01-0{i + 1}\n---\n{body}")
        camps = {CLAIMS[0]: "open", CLAIMS[1]: "closed", CLAIMS[2]: "both"}
        claims = [c for c in CLAIMS if c in body]
        (gold / f"a{i}.gold.yaml").write_text(json.dumps({
            "article": {"file": f"a{i}.md", "title": f"Article {i}"},
            "claims": [{"quote": c, "camp": camps[c], "key": False} for c in claims],
            "offtopic": [{"quote": NOISE[0]}] if NOISE[0] in body else []}))
    split = tmp_path / "split.yaml"
    split.write_text(textwrap.dedent("""\
        tune:
          - {gold: gold, corpus: corpus, exclude: [a3]}
        check:
          - {gold: gold, corpus: corpus, stems: [a3]}
        """))
    return split


def test_units_are_labelled_from_gold(tmp_path, nlp):
    from argmap.extract import load_pipeline

    split = read_split(_write(tmp_path, 4))
    assert [len(s.pairs()) for s in split["tune"]] == [3] and [len(s.pairs()) for s in split["check"]] == [1]
    examples = unit_examples(split["tune"], load_pipeline(decider="rules"))
    by_text = {e.features.split(" | ")[0]: e for e in examples}
    assert by_text[CLAIMS[1]].label == "claim" and by_text[CLAIMS[1]].camp == "closed"
    assert by_text[NOISE[1]].label == "other"
    assert all(e.article in {"a0", "a1", "a2"} for e in examples)


def test_a_tiny_model_trains_and_loads(tmp_path):
    from argmap.extract import load_pipeline

    split = read_split(_write(tmp_path, 4))
    report = train_all(split["tune"], tmp_path / "models", load_pipeline(decider="rules"), cross=True)
    assert report["articles"] == 3 and "leave_one_article_out" in report
    unit, camp = Classifier(tmp_path / "models" / "unit"), Classifier(tmp_path / "models" / "camp")
    assert 0.2 <= unit.threshold <= 0.7
    examples = unit_examples(split["check"], load_pipeline(decider="rules"))
    scores = unit.scores([e.features for e in examples])
    claims = [s["claim"] for e, s in zip(examples, scores) if e.label == "claim"]
    others = [s["claim"] for e, s in zip(examples, scores) if e.label != "claim"]
    assert min(claims) > max(others), "the trained unit model should separate claims from noise"
    [open_scores] = camp.scores([e.features for e in examples if e.features.startswith(CLAIMS[0])])
    assert max(open_scores, key=open_scores.get) == "open"


def test_the_shipped_models_decide_when_asked_and_the_camp_model_by_default(nlp, monkeypatch):
    """``ARGMAP_DECIDER=model`` runs the classifiers in data/models; by default the rules
    decide claims and the camp model camps."""
    import pytest

    from argmap.errors import ModelError
    from argmap.extract import load_pipeline
    from argmap.settings import decider_setting

    assert decider_setting() == "camp-model" and nlp.get_pipe_config("argmap.claims.v1")["decider"] == "camp-model"
    text = "\n\n".join(CLAIMS + NOISE) + "\n"
    rules = [(c.span.quote, c.camp) for c in load_pipeline(decider="rules")(text)._.argmap_claims]
    default = [(c.span.quote, c.camp) for c in nlp(text)._.argmap_claims]
    assert [q for q, _ in default] == [q for q, _ in rules]  # the rules find the claims
    models = load_pipeline(decider="model")
    decisions = models(text)._.argmap_claims
    assert decisions and all(c.camp in ("open", "closed", "both") for c in decisions)
    monkeypatch.setenv("ARGMAP_DECIDER", "oracle")
    with pytest.raises(ModelError, match="ARGMAP_DECIDER must be one of camp-model, rules, model"):
        decider_setting()
