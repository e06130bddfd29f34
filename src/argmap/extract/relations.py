"""Relations between the claims of one article, and its key claims.

Rules, in order, for each claim and the claim before it (cue lists in ``cues.yaml``):

* Clause splits carry their link ("X, but Y": Y contrasts X; "X, so Y": X supports Y).
* A contrast marker ("But", "However", "At the same time", "Conversely", ...)
  opening a claim contrasts it with the claim before (also across one paragraph break).
* A closing summary of evidence ("Every indication is ...") supports its paragraph's
  first claim, the thesis.
* A demonstrative pointing back at actors ("These labs will ...") elaborates: it
  supports the claim before.  A demonstrative summary ("This creates ...", "These low
  prices ...") concludes: the claim before (and, for "This is ...", the one before that)
  supports it, unless it gives its own reason ("because", "driven by").
* A causal marker ("because", "this is why", ...) opening a claim: it supports the one before.
* A present-tense observation followed by a prediction on the same side supports it.
* Two neighbouring claims of one paragraph from opposite camps contrast.

Key claims are ranked by centrality over these relations, position and cue words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import networkx as nx

from ..model import Claim, Relation
from .claims import Unit
from .lexicon import lexicon, phrase_regex

__all__ = ["find_relations", "rank_claims"]

# "This is ...", "This creates ...": a demonstrative pronoun summing up what came before.
_summing_pronoun = re.compile(r"^\W*(this|that)\s+(is|was|creates|means|shows|proves|makes|sets|leads)\b", re.I)

_KEY_CUES = re.compile(r"\b(the key is|the core of|the real|the defining|the central|the largest debate|"
                       r"the endgame|the bottom line|in short|the point is|the crux|the entire narrative|"
                       r"the main|this is the first|the true)\b", re.I)


@lru_cache(maxsize=1)
def _openers():
    cues = lexicon().cues
    anaphor = re.compile(r"^\W*(these|those|this|that|such)\s+(\w+\W+){0,2}?(" +
                         "|".join(re.escape(n) for n in cues["anaphor_nouns"]) + r")\b", re.I)
    return (phrase_regex(cues["contrast_openers"]), phrase_regex(cues["support_openers"]),
            phrase_regex(cues["conclusion_openers"]), phrase_regex(cues["reason_markers"]), anaphor,
            phrase_regex(cues["thesis_support_openers"]))


def _opens_with(regex: re.Pattern, text: str) -> str | None:
    m = regex.search(text[:60])
    return m.group(0) if m and m.start() <= 1 else None


def find_relations(text: str, claims: list[Claim], units: list[Unit], future: set[tuple[int, int]] = frozenset()
                   ) -> list[Relation]:
    """``future``: the spans of claims that are forecasts (evidence → prediction is support)."""
    contrast, support, conclusion, reason, anaphor, thesis_support = _openers()
    unit_at = {(u.start, u.end): u for u in units}
    first_of_paragraph: dict[int, Claim] = {}
    for c in claims:
        u = unit_at.get((c.span.start, c.span.end))
        if u is not None:
            first_of_paragraph.setdefault(u.paragraph, c)
    relations: list[Relation] = []
    for index, (prev, claim) in enumerate(zip(claims, claims[1:])):
        unit = unit_at.get((claim.span.start, claim.span.end))
        prev_unit = unit_at.get((prev.span.start, prev.span.end))
        if unit is None or prev_unit is None:
            continue
        same_sentence = unit.sentence == prev_unit.sentence
        if same_sentence and unit.link_to_previous:
            if unit.link_to_previous == "contrasts":
                relations.append(Relation(claim.span, prev.span, "contrasts", unit.cue))
            elif unit.link_to_previous == "forward":
                relations.append(Relation(prev.span, claim.span, "supports", unit.cue))
            else:
                relations.append(Relation(claim.span, prev.span, "supports", unit.cue))
            continue
        body = text[claim.span.start:claim.span.end]
        near = unit.paragraph - prev_unit.paragraph <= 1
        cue = _opens_with(contrast, body)
        if cue and near:
            relations.append(Relation(claim.span, prev.span, "contrasts", cue))
            continue
        same_paragraph = unit.paragraph == prev_unit.paragraph
        cue = _opens_with(thesis_support, body)
        thesis = first_of_paragraph.get(unit.paragraph)
        if cue and thesis is not None and thesis is not claim:
            relations.append(Relation(claim.span, thesis.span, "supports", cue))
            continue
        cue = _opens_with(conclusion, body)
        if cue and same_paragraph and anaphor.match(body):
            # "These labs will realize ...": more about the same actors, a reason for the claim before.
            relations.append(Relation(claim.span, prev.span, "supports", cue))
            continue
        if cue and same_paragraph and not reason.search(body):
            # "This creates a sticky user base": the claim before is the evidence; a
            # pronoun ("This is the first proof") sums up the one before that too.
            relations.append(Relation(prev.span, claim.span, "supports", cue))
            earlier = claims[index - 1] if index > 0 else None
            earlier_unit = earlier and unit_at.get((earlier.span.start, earlier.span.end))
            if earlier_unit and earlier_unit.paragraph == unit.paragraph and _summing_pronoun.match(body):
                relations.append(Relation(earlier.span, claim.span, "supports", cue))
            continue
        cue = _opens_with(support, body)
        if cue and same_paragraph:
            relations.append(Relation(claim.span, prev.span, "supports", cue))
            continue
        is_future = (claim.span.start, claim.span.end) in future
        was_future = (prev.span.start, prev.span.end) in future
        if same_paragraph and is_future and not was_future and claim.camp == prev.camp:
            # A present-tense observation followed by a prediction on the same side.
            relations.append(Relation(prev.span, claim.span, "supports", None))
            continue
        if unit.paragraph == prev_unit.paragraph and {claim.camp, prev.camp} == {"open", "closed"}:
            relations.append(Relation(claim.span, prev.span, "contrasts", None))
    return relations


def rank_claims(text: str, claims: list[Claim], relations: list[Relation], share: float = 0.4) -> list[Claim]:
    """Salience 0..1 for each claim; the top ``share`` of an article are its key claims."""
    if not claims:
        return []
    graph = nx.Graph()
    graph.add_nodes_from(range(len(claims)))
    index = {(c.span.start, c.span.end): i for i, c in enumerate(claims)}
    for r in relations:
        a, b = index.get((r.source.start, r.source.end)), index.get((r.target.start, r.target.end))
        if a is not None and b is not None:
            graph.add_edge(a, b)
    centrality = nx.degree_centrality(graph) if len(claims) > 1 else {0: 0.0}
    first_in_paragraph = set()
    seen = set()
    for i, c in enumerate(claims):
        if c.paragraph not in seen:
            seen.add(c.paragraph)
            first_in_paragraph.add(i)
    scores = []
    for i, c in enumerate(claims):
        quote = text[c.span.start:c.span.end]
        score = 0.35 * min(1.0, centrality.get(i, 0.0) * 3)
        score += 0.25 * (1.0 if i in first_in_paragraph else 0.0)
        score += 0.15 * (1.0 - i / len(claims))
        score += 0.35 * (1.0 if _KEY_CUES.search(quote) else 0.0)
        score += 0.1 * min(1.0, len(c.entities) / 3)
        scores.append(round(min(1.0, score), 3))
    cutoff = sorted(scores, reverse=True)[max(0, int(len(scores) * share) - 1)]
    return [replace(c, salience=s, key=s >= cutoff and s > 0.3) for c, s in zip(claims, scores)]
