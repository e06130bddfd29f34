"""Cross-article work: entity identity, duplicate and restated claims.

Entities already share keys across articles (the key is the canonical label's
slug), so here they are merged into one description each.  Claims whose folded
text is equal are one node (:func:`argmap.model.claim_key`); claims in different
articles that say nearly the same thing are joined by ``restates`` with a
similarity score from rapidfuzz.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from rapidfuzz import fuzz, process

from .model import Claim, Entity, Extraction, LinkedCorpus, Restatement, claim_key

__all__ = ["link", "merge_entities", "restatements", "similarity_matrix", "content_words", "RESTATE_THRESHOLD"]

# Similarity (0..100, see `similarity_matrix`) from which two claims of different
# articles are joined by `restates`, and how many matches per other article a claim keeps.
RESTATE_THRESHOLD = 50.0
RESTATES_PER_ARTICLE = 2
RESTATES_PER_CLAIM = 6


def merge_entities(extractions: tuple[Extraction, ...]) -> tuple[Entity, ...]:
    """One description per entity key: gazetteer facts win, else the commonest type."""
    by_key: dict[str, list[Entity]] = defaultdict(list)
    for extraction in extractions:
        for mention in extraction.mentions:
            by_key[mention.entity.key].append(mention.entity)
    merged = []
    for key in sorted(by_key):
        variants = by_key[key]
        known = [e for e in variants if e.source == "gazetteer"]
        if known:
            base = known[0]
        else:
            commonest_type = Counter(e.type for e in variants).most_common(1)[0][0]
            base = next(e for e in variants if e.type == commonest_type)
        aliases = sorted({a for e in variants for a in e.aliases} - {base.label})
        merged.append(Entity(key, base.label, base.type, tuple(aliases), base.same_as, base.source))
    return tuple(merged)


def _claims_by_key(extractions) -> dict[str, list[tuple[str, Claim]]]:
    grouped: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
    for extraction in extractions:
        for claim in extraction.claims:
            grouped[claim_key(claim.span.quote)].append((extraction.article.id, claim))
    return grouped


def _consensus_camp(appearances: list[tuple[str, Claim]]) -> tuple[str, float]:
    weight: Counter = Counter()
    for _, claim in appearances:
        weight[claim.camp] += claim.camp_confidence
    camp, total = weight.most_common(1)[0]
    return camp, round(total / len(appearances), 3)


def _stem(word: str) -> str:
    for suffix in ("ization", "ations", "ation", "ities", "ity", "ing", "ies", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from importlib.resources import files

    import yaml

    cues = yaml.safe_load((files("argmap") / "data" / "cues.yaml").read_text(encoding="utf-8"))
    return frozenset(cues.get("stopwords", []))


def content_words(text: str) -> str:
    """The stemmed content words of a claim, for comparing paraphrases.

    >>> content_words("Closed labs protect their best models.")
    'clos labs protect best model'
    """
    stop = _stopwords()
    words = re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower())
    return " ".join(_stem(w) for w in words if w not in stop and len(w) > 1)


def similarity_matrix(texts: list[str], others: list[str]):
    """Pairwise similarity (0..100) of two lists of claim texts.

    Both sides are reduced to stemmed content words; token_set_ratio rewards a
    summary whose words are a subset of the original's, and the plain ratio keeps
    a short claim from matching a long one on two or three words.
    """
    a = [content_words(t) for t in texts]
    b = [content_words(t) for t in others]
    token_set = process.cdist(a, b, scorer=fuzz.token_set_ratio, workers=1)
    plain = process.cdist(a, b, scorer=fuzz.token_sort_ratio, workers=1)
    return 0.7 * token_set + 0.3 * plain


def _candidate_scores(new: list[Claim], others: list[Claim], threshold: float) -> dict[tuple[int, int], float]:
    """The restatement score (similarity + 6 per shared entity, at most 3) of each
    ``new[i]`` x ``others[j]`` pair that reaches ``threshold``."""
    import numpy as np

    matrix = similarity_matrix([c.span.quote for c in new], [c.span.quote for c in others])
    # The entity bonus is at most 18, so only cells above threshold - 18 can qualify.
    found = {}
    for i, j in zip(*np.nonzero(matrix >= threshold - 18.0)):
        shared = len(set(new[i].entities) & set(others[j].entities))
        score = float(matrix[i][j]) + 6.0 * min(shared, 3)
        if score >= threshold:
            found[(int(i), int(j))] = score
    return found


def _best_partners(best: dict[str, list[tuple[float, int]]], per_article: int, per_claim: int
                   ) -> list[tuple[float, int]]:
    """A claim's partners: its best ``per_article`` in each other article, then the best
    ``per_claim`` of those overall, so the number of links grows with the claims, not
    with claims × articles."""
    kept = {c for candidates in best.values() for c in sorted(candidates, reverse=True)[:per_article]}
    return sorted(kept, reverse=True)[:per_claim]


def _choose(grouped: dict[str, list[tuple[str, Claim]]], scored: dict[tuple[str, str], float],
            per_article: int, per_claim: int) -> tuple[Restatement, ...]:
    """Restatements from the scored claim-key pairs: each claim keeps its best partners
    (see :func:`_best_partners`) among claims of articles it does not share."""
    keys = sorted(grouped)
    if len(keys) < 2:
        return ()
    index = {k: n for n, k in enumerate(keys)}
    sources = {k: {a for a, _ in grouped[k]} for k in keys}
    neighbours: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (ka, kb), score in scored.items():
        if ka != kb and not (sources[ka] & sources[kb]):
            neighbours[ka].append((score, kb))
            neighbours[kb].append((score, ka))
    chosen: dict[tuple[int, int], float] = {}
    for k in keys:
        i = index[k]
        best: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for score, other in neighbours.get(k, ()):
            for article in sources[other]:
                best[article].append((score, index[other]))
        for score, j in _best_partners(best, per_article, per_claim):
            pair = (min(i, j), max(i, j))
            chosen[pair] = max(chosen.get(pair, 0.0), min(score, 100.0))
    return tuple(Restatement(keys[i], keys[j], round(score / 100.0, 3)) for (i, j), score in sorted(chosen.items()))


def restatements(grouped: dict[str, list[tuple[str, Claim]]], threshold: float = RESTATE_THRESHOLD,
                 per_article: int = RESTATES_PER_ARTICLE, per_claim: int = RESTATES_PER_CLAIM
                 ) -> tuple[Restatement, ...]:
    """Pairs of distinct claims from different articles that restate each other.

    Each claim is joined to at most ``per_article`` best matches in each other
    article and ``per_claim`` in all, and only above ``threshold``: a summary
    sentence that condenses three sentences of the original restates all three.
    """
    keys = sorted(grouped)
    first = [grouped[k][0][1] for k in keys]
    found = _candidate_scores(first, first, threshold)
    scored = {(keys[i], keys[j]): score for (i, j), score in found.items() if i < j}
    return _choose(grouped, scored, per_article, per_claim)


def _linked(extractions: tuple[Extraction, ...], grouped, restated: tuple[Restatement, ...]) -> LinkedCorpus:
    return LinkedCorpus(
        extractions=extractions,
        entities=merge_entities(extractions),
        restatements=restated,
        claim_camps={k: _consensus_camp(v) for k, v in grouped.items()},
        claim_texts={k: v[0][1].span.quote for k, v in grouped.items()},
        claim_sources={k: len({a for a, _ in v}) for k, v in grouped.items()},
    )


def link(extractions: list[Extraction] | tuple[Extraction, ...]) -> LinkedCorpus:
    """Link the per-article extractions of a corpus."""
    extractions = tuple(sorted(extractions, key=lambda e: e.article.id))
    grouped = _claims_by_key(extractions)
    return _linked(extractions, grouped, restatements(grouped))


# ---------------------------------------------------------------- incremental linking
# Added for `argmap add` (argmap.update).  `link_with_scores` gives the same result
# as `link`, but computes claim similarities only for claims it has not scored
# before, so adding an article costs O(its claims x all claims), not O(all claims²).
# Scoring (`_candidate_scores`) and choosing (`_choose`) are shared with
# `restatements`; tests/test_update.py checks that the two paths agree.


def _signature(claim: Claim) -> str:
    # What a claim's candidate score depends on: its text and its entities.
    return claim.span.quote + "\x1f" + "\x1e".join(sorted(set(claim.entities)))


def link_with_scores(extractions, scores=None, threshold: float = RESTATE_THRESHOLD,
                     per_article: int = RESTATES_PER_ARTICLE, per_claim: int = RESTATES_PER_CLAIM):
    """:func:`link`, reusing the candidate scores of earlier runs.

    ``scores`` is what an earlier call returned: ``{"scored": [signatures],
    "pairs": {(sig_a, sig_b): score}}`` (``sig_a < sig_b``), every pair of scored
    claims whose score reaches the threshold.  Returns ``(linked, scores)`` for the
    current claims; ``linked`` equals ``link(extractions)``.

    >>> linked, scores = link_with_scores([])
    >>> (linked == link([]), scores)
    (True, {'scored': [], 'pairs': {}})
    """
    extractions = tuple(sorted(extractions, key=lambda e: e.article.id))
    grouped = _claims_by_key(extractions)
    keys = sorted(grouped)
    first = {k: grouped[k][0][1] for k in keys}
    sig_of = {k: _signature(first[k]) for k in keys}
    current = set(sig_of.values())
    scores = scores or {"scored": [], "pairs": {}}
    known = set(scores["scored"]) & current
    pairs = {p: s for p, s in scores["pairs"].items() if p[0] in known and p[1] in known}
    claim_of = {sig_of[k]: first[k] for k in keys}
    new = sorted(current - known)
    if new:
        others = sorted(known) + new
        found = _candidate_scores([claim_of[s] for s in new], [claim_of[s] for s in others], threshold)
        for (i, j), score in found.items():
            a, b = new[i], others[j]
            if a != b:
                pairs[(a, b) if a < b else (b, a)] = score
    key_of = {s: k for k, s in sig_of.items()}
    scored = {(key_of[a], key_of[b]): score for (a, b), score in pairs.items()}
    linked = _linked(extractions, grouped, _choose(grouped, scored, per_article, per_claim))
    return linked, {"scored": sorted(current), "pairs": pairs}
