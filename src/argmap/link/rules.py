"""Cross-article work: entity identity, duplicate and restated claims.

Entities already share keys across articles (the key is the canonical label's
slug), so here they are merged into one description each.  Claims whose folded
text is equal are one node (:func:`argmap.model.claim_key`).  Claims of different
articles are joined by ``restates`` (a similarity score from rapidfuzz) in two cases:

* any two articles: the claims are near paraphrases (``RESTATE_THRESHOLD``);
* two versions of one text (the same title: a summary, a transcript, a commentary
  of an essay): each claim of the shorter version restates the claim of the longer
  that it matches best, if that match reaches ``ALIGN_THRESHOLD``.

The first alone cannot find a summary's restatements, whose words drift far from
the source's, without also joining every pair of claims on one topic; the second
aligns claim by claim only where one text is known to retell the other.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..model import Claim, Entity, Extraction, LinkedCorpus, Restatement, claim_key

__all__ = ["link", "merge_entities", "merge_variants", "consensus_camp", "restatements", "similarity_matrix",
           "word_similarity", "candidate_scores", "best_partners", "content_words", "RESTATE_THRESHOLD",
           "ALIGN_THRESHOLD", "same_text", "align", "aligned", "restatement_union"]

# Similarity (0..100, see `similarity_matrix`) from which two claims of any two articles
# are joined by `restates`, and how many matches per other article a claim keeps.  Chosen
# on the seeds' gold duplicates and the dev set (which has none): at 50, 3,331 false pairs
# among the dev articles; at 85, two.  See bench/RESULTS.md for the curve.
RESTATE_THRESHOLD = 85.0
# Within two versions of one text, the best match of each claim of the shorter version
# from this similarity on (the seeds: 17 of 21 pairs right at 57, 19 of 26 at 55).
ALIGN_THRESHOLD = 57.0
RESTATES_PER_ARTICLE = 2
RESTATES_PER_CLAIM = 6


def merge_entities(extractions: tuple[Extraction, ...]) -> tuple[Entity, ...]:
    """One description per entity key: gazetteer facts win, else the commonest type."""
    by_key: dict[str, list[tuple[Entity, int]]] = defaultdict(list)
    for extraction in extractions:
        for mention in extraction.mentions:
            by_key[mention.entity.key].append((mention.entity, 1))
    return tuple(merge_variants(by_key[key]) for key in sorted(by_key))


def merge_variants(variants: list[tuple[Entity, int]]) -> Entity:
    """The description of one entity from its variants in corpus order, each with the
    number of mentions it stands for (:mod:`argmap.link.state` stores them counted)."""
    known = [e for e, _ in variants if e.source == "gazetteer"]
    if known:
        base = known[0]
    else:
        types: Counter = Counter()
        for entity, count in variants:
            types[entity.type] += count
        commonest_type = types.most_common(1)[0][0]
        base = next(e for e, _ in variants if e.type == commonest_type)
    aliases = sorted({a for e, _ in variants for a in e.aliases} - {base.label})
    return Entity(base.key, base.label, base.type, tuple(aliases), base.same_as, base.source)


def _claims_by_key(extractions) -> dict[str, list[tuple[str, Claim]]]:
    grouped: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
    for extraction in extractions:
        for claim in extraction.claims:
            grouped[claim_key(claim.span.quote)].append((extraction.article.id, claim))
    return grouped


def consensus_camp(votes: Iterable[tuple[str, float]]) -> tuple[str, float]:
    """The camp of a claim from its appearances' (camp, confidence), in corpus order."""
    weight: Counter = Counter()
    count = 0
    for camp, confidence in votes:
        weight[camp] += confidence
        count += 1
    camp, total = weight.most_common(1)[0]
    return camp, round(total / count, 3)


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
    return word_similarity([content_words(t) for t in texts], [content_words(t) for t in others])


def word_similarity(words: list[str], others: list[str]):
    """:func:`similarity_matrix` of texts already reduced by :func:`content_words`."""
    # workers=-1: rapidfuzz spreads the rows over every core (in C, without the GIL).
    token_set = process.cdist(words, others, scorer=fuzz.token_set_ratio, workers=-1)
    plain = process.cdist(words, others, scorer=fuzz.token_sort_ratio, workers=-1)
    return 0.7 * token_set + 0.3 * plain


def candidate_scores(words: list[str], entities: list[frozenset], other_words: list[str],
                     other_entities: list[frozenset], threshold: float) -> dict[tuple[int, int], float]:
    """The restatement score (similarity + 6 per shared entity, at most 3) of each
    pair ``(i, j)`` of claims, given by their content words and entity keys, that
    reaches ``threshold``."""
    import numpy as np

    # rapidfuzz prepares each query once: with few claims against many (an add), making
    # the many the queries is faster, and the scorers are symmetric (same matrix).
    matrix = (word_similarity(other_words, words).T if len(words) < len(other_words)
              else word_similarity(words, other_words))
    # Shared entities per cell, counted entity by entity over the columns that have it
    # (claims mention few entities, so this stays close to the size of the matrix).
    columns: dict[str, list[int]] = defaultdict(list)
    for j, keys in enumerate(other_entities):
        for key in keys:
            columns[key].append(j)
    found = {}
    for i in range(len(words)):
        shared = np.zeros(len(other_words))
        for key in entities[i]:
            shared[columns.get(key, [])] += 1.0
        scores = matrix[i] + 6.0 * np.minimum(shared, 3.0)
        for j in np.nonzero(scores >= threshold)[0]:
            found[(i, int(j))] = float(scores[j])
    return found


def _candidate_scores(new: list[Claim], others: list[Claim], threshold: float) -> dict[tuple[int, int], float]:
    return candidate_scores([content_words(c.span.quote) for c in new], [frozenset(c.entities) for c in new],
                            [content_words(c.span.quote) for c in others], [frozenset(c.entities) for c in others],
                            threshold)


def best_partners(best: dict[str, list[tuple[float, object]]], per_article: int, per_claim: int
                  ) -> list[tuple[float, object]]:
    """A claim's partners: its best ``per_article`` in each other article, then the best
    ``per_claim`` of those overall, so the number of links grows with the claims, not
    with claims × articles.  Candidates are ``(score, rank)``; ties go to the higher rank."""
    kept = {c for candidates in best.values() for c in sorted(candidates, reverse=True)[:per_article]}
    return sorted(kept, reverse=True)[:per_claim]


def _choose(grouped: dict[str, list[tuple[str, Claim]]], scored: dict[tuple[str, str], float],
            per_article: int, per_claim: int) -> tuple[Restatement, ...]:
    """Restatements from the scored claim-key pairs: each claim keeps its best partners
    (see :func:`best_partners`) among claims of articles it does not share."""
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
        for score, j in best_partners(best, per_article, per_claim):
            pair = (min(i, j), max(i, j))
            chosen[pair] = max(chosen.get(pair, 0.0), min(score, 100.0))
    return tuple(Restatement(keys[i], keys[j], round(score / 100.0, 3)) for (i, j), score in sorted(chosen.items()))


def restatements(grouped: dict[str, list[tuple[str, Claim]]], threshold: float | None = None,
                 per_article: int | None = None, per_claim: int | None = None) -> tuple[Restatement, ...]:
    """Pairs of distinct claims from different articles that restate each other.

    Each claim is joined to at most ``per_article`` best matches in each other
    article and ``per_claim`` in all, and only above ``threshold``: a summary
    sentence that condenses three sentences of the original restates all three.
    Unset, they are the module's settings at the time of the call (as for
    :mod:`argmap.link.state`).
    """
    threshold = RESTATE_THRESHOLD if threshold is None else threshold
    per_article = RESTATES_PER_ARTICLE if per_article is None else per_article
    per_claim = RESTATES_PER_CLAIM if per_claim is None else per_claim
    keys = sorted(grouped)
    first = [grouped[k][0][1] for k in keys]
    found = _candidate_scores(first, first, threshold)
    scored = {(keys[i], keys[j]): score for (i, j), score in found.items() if i < j}
    return _choose(grouped, scored, per_article, per_claim)


def same_text(title: str | None, other: str | None) -> bool:
    """Whether two articles are versions of one text: their folded titles are equal.

    >>> same_text("Open and closed models are on different exponentials",
    ...           "Open and Closed Models Are on Different Exponentials!")
    True
    >>> same_text("", "")
    False
    """
    fold = [" ".join(re.findall(r"\w+", (t or "").lower())) for t in (title, other)]
    return bool(fold[0]) and fold[0] == fold[1]


def align(claims: list[tuple[str, str]], other: list[tuple[str, str]], threshold: float | None = None
          ) -> list[tuple[str, str, float]]:
    """Restatements between two versions of one text, each given as its claims'
    ``(key, quote)`` in article order: every claim of the version with fewer distinct
    claims (the first on a tie) that the other does not hold verbatim takes its best
    match among the other's claims, if the similarity reaches ``threshold`` (unset: the
    module's ``ALIGN_THRESHOLD`` at the time of the call).  Returns ``(key, partner, similarity)``."""
    threshold = ALIGN_THRESHOLD if threshold is None else threshold
    quotes = [dict(claims), dict(other)]
    short, long_ = (0, 1) if len(quotes[0]) <= len(quotes[1]) else (1, 0)
    own = [k for k in quotes[short] if k not in quotes[long_]]
    rest = [k for k in quotes[long_] if k not in quotes[short]]
    if not own or not rest:
        return []
    matrix = similarity_matrix([quotes[short][k] for k in own], [quotes[long_][k] for k in rest])
    found = []
    for i, key in enumerate(own):
        j = int(matrix[i].argmax())  # the first of equal best: the earlier claim
        if matrix[i][j] >= threshold:
            found.append((key, rest[j], float(min(matrix[i][j], 100.0))))
    return found


def restatement_union(*groups: Iterable[tuple[str, str, float]]) -> tuple[Restatement, ...]:
    """One restatement per unordered pair of claim keys, with the highest score (0..100) found."""
    best: dict[tuple[str, str], float] = {}
    for group in groups:
        for a, b, score in group:
            pair = (a, b) if a < b else (b, a)
            best[pair] = max(best.get(pair, 0.0), score)
    return tuple(Restatement(a, b, round(score / 100.0, 3)) for (a, b), score in sorted(best.items()))


def aligned(extractions: tuple[Extraction, ...], threshold: float | None = None) -> list[tuple[str, str, float]]:
    """:func:`align` over every two versions of one text among ``extractions``."""
    found = []
    for n, first in enumerate(extractions):
        for second in extractions[n + 1:]:
            if same_text(first.article.title, second.article.title):
                found += align([(claim_key(c.span.quote), c.span.quote) for c in first.claims],
                               [(claim_key(c.span.quote), c.span.quote) for c in second.claims], threshold)
    return found


def _linked(extractions: tuple[Extraction, ...], grouped, restated: tuple[Restatement, ...]) -> LinkedCorpus:
    return LinkedCorpus(
        extractions=extractions,
        entities=merge_entities(extractions),
        restatements=restated,
        claim_camps={k: consensus_camp((c.camp, c.camp_confidence) for _, c in v) for k, v in grouped.items()},
        claim_texts={k: v[0][1].span.quote for k, v in grouped.items()},
        claim_sources={k: len({a for a, _ in v}) for k, v in grouped.items()},
    )


def link(extractions: list[Extraction] | tuple[Extraction, ...]) -> LinkedCorpus:
    """Link the per-article extractions of a corpus."""
    extractions = tuple(sorted(extractions, key=lambda e: e.article.id))
    grouped = _claims_by_key(extractions)
    near = [(r.source, r.target, r.similarity * 100.0) for r in restatements(grouped)]
    return _linked(extractions, grouped, restatement_union(near, aligned(extractions)))
