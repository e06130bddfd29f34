"""The two questions rules cannot settle alone: is this unit part of the argument, and
which camp is its point about?  Rule signals become features of a small text
classifier (spaCy ``textcat``, trained by ``argmap train``) that ships inside the
package; without a trained model, the rules decide.

A unit's *feature text* is its display text followed by tokens that name the rule
signals (``kind_heading``, ``rule_claim``, ``rulecamp_open``, ``pos_2`` …), so a
bag-of-words model weighs them like words.

>>> feature_text("Open models will win.", {"kind": "body", "rule_claim": True, "rule_camp": "open"})
'Open models will win. | kind_body rule_claim rulecamp_open'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = ["UnitDecision", "feature_text", "Classifier", "load_classifier", "MODEL_NAMES"]

# The shipped models: data/models/<name>/ (a spaCy pipeline with one textcat).
MODEL_NAMES = ("unit", "camp")


@dataclass(frozen=True)
class UnitDecision:
    """What was decided for one unit, and the signals it was decided from."""

    is_claim: bool
    claim_score: float  # 0..1: the model's probability, or 1/0 from the rules
    camp: str
    camp_confidence: float
    features: str  # the feature text the model read
    kind: str = "body"  # the unit's block: body | heading | quote | question | list | bold | fragment
    offtopic: bool = False  # page chrome or unrelated material, by the unit model
    # The rules' camp and confidence, whoever decided ``camp``: the relation rules read a
    # camp's confidence as the rules give it (own cue or borrowed).
    rule_camp: tuple[str, float] | None = None


def feature_text(display: str, signals: dict) -> str:
    """The classifier's input: the unit's display text, then one token per signal."""
    tokens = []
    for name, value in signals.items():
        if value is True:
            tokens.append(name)
        elif value is False or value is None or value == "":
            continue
        else:
            tokens.append(f"{name.removeprefix('rule_')}_{value}" if name != "rule_camp" else f"rulecamp_{value}")
    return f"{display} | {' '.join(tokens)}"


class Classifier:
    """A trained textcat pipeline; ``scores(texts)`` gives one dict of label → probability per text."""

    def __init__(self, path: Path):
        import spacy  # the caller has it loaded already; imported here to keep this module light

        self.path = path
        self.nlp = spacy.load(path)
        meta_file = path / "argmap.json"
        self.meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        self.threshold = float(self.meta.get("threshold", 0.5))

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        return [dict(doc.cats) for doc in self.nlp.pipe(texts, batch_size=256)]


def models_dir() -> Path:
    return Path(str(files("argmap") / "data" / "models"))


@lru_cache(maxsize=None)
def load_classifier(name: str, directory: str | None = None) -> Classifier | None:
    """The shipped (or given) model ``name``, or None when none was trained."""
    path = Path(directory) / name if directory else models_dir() / name
    if not (path / "config.cfg").exists():
        return None
    return Classifier(path)
