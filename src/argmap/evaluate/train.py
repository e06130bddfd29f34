"""Train the unit classifiers on annotated articles, with spaCy's own training.

Every sentence or clause the extractor considers (a *unit*) becomes one example,
labelled from the gold by the same span matching that ``argmap eval`` uses:

- the **unit** model (labels ``claim`` | ``other`` | ``offtopic``): is the unit part of
  the argument (a gold claim or forecast), on-topic material that is not (background,
  narrative, signposting, quoted text the author does not adopt), or page chrome and
  unrelated material (inside a gold off-topic span)?
- the **camp** model (``closed`` | ``open`` | ``both``), on the units that are claims.

The input is the unit's display text plus the rule signals as tokens
(:func:`argmap.extract.decide.feature_text`), computed with the rules alone, so
training never depends on an earlier model.  ``spacy train`` runs on
``data/training/textcat.cfg``.  :func:`cross_validate` scores leave-one-article-out.

>>> split = parse_split({"tune": [{"gold": "g", "corpus": "c"}], "check": []}, Path("."))
>>> split["tune"][0].gold.name
'g'
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml

from ..corpus.articles import read_article
from ..errors import ArgmapError
from .gold import load_gold, locate, offtopic_regions
from .scoring import spans_overlap

__all__ = ["GoldSet", "UnitExample", "parse_split", "read_split", "unit_examples", "train_model",
           "cross_validate", "compare", "train_all", "TASKS"]

TASKS = {"unit": ("claim", "other", "offtopic"), "camp": ("closed", "open", "both")}


@dataclass(frozen=True)
class GoldSet:
    """A folder of gold files and the corpus folder of their articles (optionally some stems only)."""

    gold: Path
    corpus: Path
    stems: tuple[str, ...] | None = None  # only these articles …
    exclude: tuple[str, ...] = ()  # … or all but these

    def pairs(self) -> list[tuple[Path, Path]]:
        found = []
        for gold_path in sorted(self.gold.glob("*.gold.yaml")):
            stem = gold_path.name.removesuffix(".gold.yaml")
            if (self.stems is None or stem in self.stems) and stem not in self.exclude:
                found.append((gold_path, self.corpus / f"{stem}.md"))
        return found


@dataclass(frozen=True)
class UnitExample:
    article: str  # file stem: the unit of leave-one-article-out
    features: str
    label: str  # claim | other | offtopic
    camp: str | None  # the gold camp of a claim unit


def parse_split(data: dict, base: Path) -> dict[str, list[GoldSet]]:
    """``{"tune": [...], "check": [...]}``, each entry ``{gold, corpus, stems?, exclude?}``,
    paths relative to ``base``."""
    split = {}
    for part in ("tune", "check"):
        split[part] = [GoldSet((base / e["gold"]).resolve(), (base / e["corpus"]).resolve(),
                               tuple(e["stems"]) if e.get("stems") else None, tuple(e.get("exclude") or ()))
                       for e in data.get(part) or []]
    return split


def read_split(path: Path) -> dict[str, list[GoldSet]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ArgmapError(f"cannot read split file {path}: {exc}") from None
    return parse_split(data, Path(path).resolve().parent)


def _labelled(units, decisions, body: str, gold) -> list[tuple[str, str, str | None]]:
    targets = [(locate(body, c.quote, gold), c.camp) for c in gold.claims]
    targets += [(locate(body, f.quote, gold), f.camp) for f in gold.forecasts]
    regions = offtopic_regions(body, gold)
    # One-to-one, largest overlap first: the unit eval would count as the match is the positive.
    pairs = sorted(((spans_overlap(span, (u.start, u.end)), i, j) for i, (span, _) in enumerate(targets)
                    for j, u in enumerate(units)), key=lambda p: (-p[0], p[1], p[2]))
    matched: dict[int, int] = {}
    for shared, i, j in pairs:
        if shared and j not in matched and i not in matched.values():
            matched[j] = i
    rows = []
    for j, (unit, decision) in enumerate(zip(units, decisions)):
        covered = sum(max(0, min(unit.end, e) - max(unit.start, s)) for s, e in regions)
        if j in matched:
            rows.append((decision.features, "claim", targets[matched[j]][1]))
        elif 2 * covered >= unit.end - unit.start:
            rows.append((decision.features, "offtopic", None))
        else:
            rows.append((decision.features, "other", None))
    return rows


def unit_examples(sets: Iterable[GoldSet], nlp, progress: Callable[[Iterable], Iterable] = iter) -> list[UnitExample]:
    """The labelled units of every article of ``sets``; ``nlp`` must decide by the rules."""
    examples = []
    for gold_path, corpus_path in progress([p for s in sets for p in s.pairs()]):
        if not corpus_path.exists():
            raise ArgmapError(f"{gold_path}: its article {corpus_path} is missing")
        article, gold = read_article(corpus_path), load_gold(gold_path)
        doc = _doc(nlp, article)
        rows = _labelled(doc.user_data["argmap_units"], doc.user_data["argmap_decisions"], article.body, gold)
        examples += [UnitExample(corpus_path.stem, f, label, camp) for f, label, camp in rows]
    return examples


def _doc(nlp, article):
    from ..extract.pipeline import register_extensions

    register_extensions()
    doc = nlp.make_doc(article.body)
    doc._.argmap_article = article
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _docbin(examples: list[UnitExample], task: str, path: Path) -> int:
    import spacy
    from spacy.tokens import DocBin

    blank = spacy.blank("en")
    labels = TASKS[task]
    bin_ = DocBin()
    n = 0
    for ex in examples:
        gold = ex.label if task == "unit" else ex.camp
        if gold not in labels:
            continue
        doc = blank.make_doc(ex.features)
        doc.cats = {label: float(label == gold) for label in labels}
        bin_.add(doc)
        n += 1
    bin_.to_disk(path)
    return n


def default_config() -> Path:
    return Path(str(files("argmap") / "data" / "training" / "textcat.cfg"))


def train_model(examples: list[UnitExample], task: str, out: Path, seed: int = 0, config: Path | None = None) -> Path:
    """``spacy train`` one classifier on ``examples``; writes the pipeline to ``out`` and returns it."""
    from spacy.cli.train import train as spacy_train

    config = config or default_config()
    with tempfile.TemporaryDirectory(prefix="argmap-train-") as tmp:
        data = Path(tmp) / "train.spacy"
        if _docbin(examples, task, data) == 0:
            raise ArgmapError(f"no examples to train the {task} model on")
        # spaCy's trainer reports on stdout; the library keeps stdout for data.
        with contextlib.redirect_stdout(sys.stderr):
            spacy_train(config, Path(tmp) / "out", overrides={"paths.train": str(data), "paths.dev": str(data),
                                                               "system.seed": seed})
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(Path(tmp) / "out" / "model-last", out)
    (out / "argmap.json").write_text(json.dumps({"task": task, "labels": TASKS[task],
                                                 "examples": len(examples)}, indent=1) + "\n")
    return out


def _predict(model_dir: Path, examples: list[UnitExample]) -> list[dict[str, float]]:
    import spacy

    nlp = spacy.load(model_dir)
    return [dict(d.cats) for d in nlp.pipe([e.features for e in examples])]


def cross_validate(examples: list[UnitExample], task: str, work: Path,
                   config: Path | None = None) -> list[dict[str, float]]:
    """Leave-one-article-out predictions for every example (each from a model that never saw its article)."""
    predictions: list[dict[str, float] | None] = [None] * len(examples)
    for article in sorted({e.article for e in examples}):
        train = [e for e in examples if e.article != article]
        model = train_model(train, task, work / f"{task}-{article}", config=config)
        held = [i for i, e in enumerate(examples) if e.article == article]
        for i, scores in zip(held, _predict(model, [examples[i] for i in held])):
            predictions[i] = scores
        shutil.rmtree(model)
    return predictions


# ------------------------------------------------------------------ the whole run

def _prf(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(1 for p, g in pairs if p and g)
    fp = sum(1 for p, g in pairs if p and not g)
    fn = sum(1 for p, g in pairs if g and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3), "n": len(pairs)}


def _rule_camp(features: str) -> str:
    for camp in TASKS["camp"]:
        if f" rulecamp_{camp}" in features:
            return camp
    return "both"


def compare(examples: list[UnitExample], unit_preds, camp_examples, camp_preds, threshold: float) -> dict:
    """Rules against the model, per article and overall, on leave-one-article-out predictions."""
    report = {}
    for article in sorted({e.article for e in examples}) + [None]:
        rows = [(e, p) for e, p in zip(examples, unit_preds) if article in (None, e.article)]
        camps = [(e, p) for e, p in zip(camp_examples, camp_preds) if article in (None, e.article)]
        report[article or "overall"] = {
            "claims (rules)": _prf([(" rule_claim" in e.features, e.label == "claim") for e, _ in rows]),
            "claims (model)": _prf([(p.get("claim", 0) >= threshold, e.label == "claim") for e, p in rows]),
            "camp (rules)": round(sum(_rule_camp(e.features) == e.camp for e, _ in camps) / max(1, len(camps)), 3),
            "camp (model)": round(sum(max(p, key=p.get) == e.camp for e, p in camps) / max(1, len(camps)), 3),
            "offtopic (model)": _prf([(max(p, key=p.get) == "offtopic", e.label == "offtopic") for e, p in rows]),
        }
    return report


def best_threshold(examples: list[UnitExample], unit_preds) -> float:
    """The claim-probability cut with the best leave-one-article-out F1."""
    grid = [round(0.2 + 0.05 * i, 2) for i in range(11)]
    return max(grid, key=lambda t: (_prf([(p.get("claim", 0) >= t, e.label == "claim")
                                          for e, p in zip(examples, unit_preds)])["f1"], -abs(t - 0.5)))


def train_all(sets: list[GoldSet], out: Path, nlp, cross: bool = True,
              progress: Callable[[Iterable], Iterable] = iter, threshold: float = 0.5) -> dict:
    """Label the units of ``sets``, cross-validate (optional), train and write both models to ``out``.

    With ``cross``, the claim threshold is the one with the best leave-one-article-out F1;
    without, it is ``threshold``."""
    examples = unit_examples(sets, nlp, progress)
    camp_examples = [e for e in examples if e.label == "claim" and e.camp in TASKS["camp"]]
    report: dict = {"articles": len({e.article for e in examples}), "units": len(examples),
                    "claims": len(camp_examples)}
    if cross:
        with tempfile.TemporaryDirectory(prefix="argmap-cv-") as tmp:
            unit_preds = cross_validate(examples, "unit", Path(tmp))
            camp_preds = cross_validate(camp_examples, "camp", Path(tmp))
        threshold = best_threshold(examples, unit_preds)
        report["leave_one_article_out"] = compare(examples, unit_preds, camp_examples, camp_preds, threshold)
    report["threshold"] = threshold
    out.mkdir(parents=True, exist_ok=True)
    for task, task_examples in (("unit", examples), ("camp", camp_examples)):
        model = train_model(task_examples, task, out / task)
        meta = json.loads((model / "argmap.json").read_text())
        meta["threshold"] = threshold if task == "unit" else 0.5
        meta["articles"] = sorted({e.article for e in task_examples})
        (model / "argmap.json").write_text(json.dumps(meta, indent=1) + "\n")
    return report
