"""Every camp decision of the extractor: which camp a claim's point is about (GUIDELINES
rule 4) — closed, open or both.

The rules read the claim's own cues (``camp_cues`` and ``both_cues`` in ``cues.yaml``,
the camps of the gazetteer entities it names, cues in its subject counting double), then
fall back on the paragraph's discourse opener, the claim before (for a claim opened by a
pronoun) or a one-sided article's camp, else ``both``.  The trained camp model
(``data/models/camp``) reads the same signals as features and decides instead when the
decider asks for it.  Forecasts outside any claim take the camp of their own cues.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from spacy.tokens import Doc

from ..model import CAMPS, Mention
from .lexicon import lexicon, phrase_regex
from .segment import Paragraph, text_of

__all__ = ["classify_camp", "camp_of_entity", "entity_camps_of", "rule_camps", "model_camps", "RuleCamps",
           "subject_text", "discourse_camps", "PRONOUN_START"]

# A claim opened by a pronoun carries on about the claim before.
PRONOUN_START = re.compile(r"^\W*(they|their|them|it|its|it['’]s|these|those|he|she|his|her)\b", re.I)
# The share of an article's camp-decided claims on one side that makes it one-sided.
_ONE_SIDED = 0.8


@lru_cache(maxsize=1)
def camp_of_entity() -> dict[str, str]:
    """The camp of each gazetteer entity that has one, by entity key.  A versioned product
    ("DeepSeek-R1", "GPT-4o") is no camp cue of its family: on the tune articles such cues
    made camps worse (.58 against .65), products being compared across camps."""
    return {e.entity.key: e.camp for e in lexicon().entries if e.camp}


def entity_camps_of(mentions: list[Mention]) -> list[str]:
    """The camps of the named things among ``mentions`` (one per mention)."""
    camps = camp_of_entity()
    return [camps[m.entity.key] for m in mentions if m.entity.key in camps]


@lru_cache(maxsize=1)
def _camp_cues():
    cues = lexicon().cues
    weighted = {}
    for camp, levels in cues["camp_cues"].items():
        weighted[camp] = [(float(w), phrase_regex([str(p) for p in phrases])) for w, phrases in levels.items()]
    return weighted, phrase_regex(cues["both_cues"])


def classify_camp(text: str, entity_camps: list[str], discourse: str | None, fallback: str | None,
                  subject: str = "") -> tuple[str, float]:
    """Camp and confidence of one claim.

    Cues in the grammatical ``subject`` count double: "open model builders will
    stop chasing Claude" is about the open side.  A claim with no cue of its own
    takes the camp its paragraph's opener set, else the ``fallback`` (the camp of
    the claim before, for a claim opened by a pronoun, or a one-sided article's
    camp), else ``both``.

    >>> classify_camp("Open models will win on price.", [], None, None)[0]
    'open'
    >>> classify_camp("Both open and closed models will grow.", [], None, None)[0]
    'both'
    """
    weighted, both = _camp_cues()
    if both.search(text):
        return "both", 0.8
    score = {"closed": 0.0, "open": 0.0, "both": 0.0}
    for camp, levels in weighted.items():
        for weight, regex in levels:
            score[camp] += weight * (len(regex.findall(text)) + len(regex.findall(subject)))
    for camp in entity_camps:
        score[camp] = score.get(camp, 0.0) + 1.0
    closed, open_, shared = score["closed"], score["open"], score["both"]
    if closed and open_:
        high, low = max(closed, open_), min(closed, open_)
        if high >= 2 * low and not shared:
            return ("closed" if closed > open_ else "open"), 0.6
        return "both", 0.65
    if shared and shared >= max(closed, open_):
        return "both", 0.6
    if closed or open_:
        camp = "closed" if closed else "open"
        return camp, min(0.95, 0.55 + 0.1 * max(closed, open_))
    if discourse:
        return discourse, 0.45
    if fallback:
        return fallback, 0.35
    return "both", 0.2


def subject_text(doc: Doc, start: int, end: int) -> str:
    """The words of the main clause's subject."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return ""
    for token in span:
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
            sub = list(token.subtree)
            return text_of(doc)[sub[0].idx: sub[-1].idx + len(sub[-1].text)]
    return ""


def discourse_camps(doc: Doc, paras: list[Paragraph]) -> dict[int, str]:
    """The camp each paragraph's opener sets, carried forward until another opener."""
    openers = {camp: phrase_regex(phrases) for camp, phrases in lexicon().cues["discourse_openers"].items()}
    current, camps = None, {}
    for p in paras:
        head = text_of(doc)[p.start:min(p.end, p.start + 120)].lower()
        for camp, regex in openers.items():
            m = regex.search(head)
            if m and m.start() < 10:
                current = camp
        camps[p.index] = current
    return camps


class RuleCamps(NamedTuple):
    own: list[str | None]  # each unit's camp from its own cues (None: no cue)
    prevailing: str | None  # the article's commonest camp among its claims' own camps
    full: list[tuple[str, float]]  # each unit's camp and confidence by the rules, fallbacks included


def rule_camps(doc: Doc, paras: list[Paragraph], units, quotes: list[str], entity_camps: list[list[str]],
               is_claim: list[bool]) -> RuleCamps:
    """The rules' camp of every unit.  A claim with no cue of its own falls back on the
    paragraph's discourse opener, and a pronoun carries on about the claim before.  Any other
    takes the article's camp only when the article is one-sided (at least 80 % of its
    camp-decided claims on one side); else it is "both", about the market as a whole
    (GUIDELINES rule 4).  On the tune articles and ../shared/dev, camp accuracy: always the
    prevailing camp .51, never .59, one-sided only .63."""
    subjects = [subject_text(doc, u.start, u.end) for u in units]
    own = [camp if confidence > 0.2 else None for camp, confidence in
           (classify_camp(q, ec, None, None, sub) for q, ec, sub in zip(quotes, entity_camps, subjects))]
    decided = Counter(c for c, ok in zip(own, is_claim) if ok and c and c != "both")
    prevailing = decided.most_common(1)[0][0] if decided else None
    one_sided = prevailing if decided and decided[prevailing] >= _ONE_SIDED * sum(decided.values()) else None
    discourse = discourse_camps(doc, paras)
    full, previous = [], None
    for u, q, ec, sub, ok in zip(units, quotes, entity_camps, subjects, is_claim):
        fallback = previous if previous and PRONOUN_START.match(q) else one_sided
        full.append(classify_camp(q, ec, discourse.get(u.paragraph), fallback, sub))
        if ok:
            previous = full[-1][0]
    return RuleCamps(own, prevailing, full)


def model_camps(camp_model, features: list[str]) -> list[tuple[str, float]]:
    """The camp model's camp and its probability for each unit (``features``: the units'
    feature texts, :func:`argmap.extract.decide.feature_text`)."""
    camps = []
    for scores in camp_model.scores(features):
        camp = max(CAMPS, key=lambda c: scores.get(c, 0.0))
        camps.append((camp, round(scores.get(camp, 0.0), 3)))
    return camps
