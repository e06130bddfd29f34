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


def restatements(grouped: dict[str, list[tuple[str, Claim]]], threshold: float = RESTATE_THRESHOLD,
                 per_article: int = RESTATES_PER_ARTICLE) -> tuple[Restatement, ...]:
    """Pairs of distinct claims from different articles that restate each other.

    Each claim is joined to at most ``per_article`` best matches in each other
    article, and only above ``threshold``: a summary sentence that condenses
    three sentences of the original restates all three.
    """
    keys = sorted(grouped)
    if len(keys) < 2:
        return ()
    texts = [grouped[k][0][1].span.quote for k in keys]
    entities = [set(grouped[k][0][1].entities) for k in keys]
    sources = [{a for a, _ in grouped[k]} for k in keys]
    matrix = similarity_matrix(texts, texts)
    pairs: dict[tuple[int, int], float] = {}
    for i in range(len(keys)):
        best: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for j in range(len(keys)):
            if i == j or sources[i] & sources[j]:
                continue
            shared = len(entities[i] & entities[j])
            score = float(matrix[i][j]) + 6.0 * min(shared, 3)
            if score >= threshold:
                for article in sources[j]:
                    best[article].append((score, j))
        for candidates in best.values():
            for score, j in sorted(candidates, reverse=True)[:per_article]:
                pair = (min(i, j), max(i, j))
                pairs[pair] = max(pairs.get(pair, 0.0), min(score, 100.0))
    return tuple(Restatement(keys[i], keys[j], round(score / 100.0, 3)) for (i, j), score in sorted(pairs.items()))


def link(extractions: list[Extraction] | tuple[Extraction, ...]) -> LinkedCorpus:
    """Link the per-article extractions of a corpus."""
    extractions = tuple(sorted(extractions, key=lambda e: e.article.id))
    grouped = _claims_by_key(extractions)
    texts = {k: v[0][1].span.quote for k, v in grouped.items()}
    camps = {k: _consensus_camp(v) for k, v in grouped.items()}
    source_counts = {k: len({a for a, _ in v}) for k, v in grouped.items()}
    return LinkedCorpus(
        extractions=extractions,
        entities=merge_entities(extractions),
        restatements=restatements(grouped),
        claim_camps=camps,
        claim_texts=texts,
        claim_sources=source_counts,
    )


# ---------------------------------------------------------------- incremental linking
# Added for `argmap add` (argmap.update): the same result as `link`, but claim
# similarities are computed only for claim texts not scored before.  Keep it in step
# with `restatements` (tests/test_update.py checks that the two agree).


def link_with_scores(extractions, scores=None, scored=frozenset()):
    """:func:`link`, reusing the similarity scores of earlier runs.

    ``scored`` is the set of claim texts (lower-cased) already compared with each
    other, ``scores`` maps every pair ``(a, b)`` (``a < b``) of them whose similarity
    reaches :data:`RESTATE_THRESHOLD` to its score.  Only texts outside ``scored``
    are compared (with everything), so adding an article costs O(its claims x all
    claims) instead of O(all claims²).  Returns ``(linked, scores, scored)`` for the
    current texts; ``linked`` equals ``link(extractions)``.

    >>> linked, scores, scored = link_with_scores([])
    >>> (linked == link([]), scores, scored)
    (True, {}, frozenset())
    """
    import numpy as np

    extractions = tuple(sorted(extractions, key=lambda e: e.article.id))
    grouped = _claims_by_key(extractions)
    keys = sorted(grouped)
    # A key is a function of its text (claim_key folds case), so texts identify keys.
    key_of = {grouped[k][0][1].span.quote.lower(): k for k in keys}
    current = frozenset(key_of)
    known = frozenset(scored) & current
    kept = {pair: s for pair, s in (scores or {}).items() if pair[0] in known and pair[1] in known}
    new = sorted(current - known)
    if new:
        others = sorted(known) + new
        matrix = similarity_matrix(new, others)
        for i, j in zip(*np.nonzero(matrix >= RESTATE_THRESHOLD)):
            a, b = new[i], others[j]
            if a != b:
                kept[(a, b) if a < b else (b, a)] = float(matrix[i][j])
    sources = {k: {a for a, _ in v} for k, v in grouped.items()}
    found = []
    for (a, b), score in kept.items():
        ka, kb = sorted((key_of[a], key_of[b]))
        if not (sources[ka] & sources[kb]):
            found.append(Restatement(ka, kb, round(score / 100.0, 3)))
    found.sort(key=lambda r: (r.source, r.target))
    linked = LinkedCorpus(
        extractions=extractions,
        entities=merge_entities(extractions),
        restatements=tuple(found) if len(keys) >= 2 else (),
        claim_camps={k: _consensus_camp(v) for k, v in grouped.items()},
        claim_texts={k: v[0][1].span.quote for k, v in grouped.items()},
        claim_sources={k: len({a for a, _ in v}) for k, v in grouped.items()},
    )
    return linked, kept, current
