"""Relations between the claims of one article, and its key claims.

Rules, in order, for each claim and the claim before it (cue lists in ``cues.yaml``):

* Clause splits carry their link ("X, but Y": Y contrasts X; "X, so Y": X supports Y).
* A contrast marker ("But", "However", "At the same time", "Conversely", ...)
  opening a claim contrasts it with the claim before (also across one paragraph break).
* A closing summary of evidence ("Every indication is ...") supports its paragraph's
  first claim, the thesis.
* A consequence marker ("Therefore", "As a result", "That's why", ...) opening a claim:
  the claim before supports it.
* A demonstrative pointing back at actors ("These labs will ...") elaborates: it
  supports the claim before.  A demonstrative that gives a reason ("This is the right
  call because ...", "This fork could be driven by ...") explains the claim before: it
  supports it too.  Any other demonstrative summary ("This creates ...", "These low
  prices ...") concludes: the claim before (and, for "This is ...", the one before that)
  supports it.
* A reason marker ("Because", "For instance", "Indeed", ...) opening a claim: it supports
  the one before.
* A present-tense observation followed by a prediction on the same side (open or closed)
  supports it.
* Two neighbouring claims of one paragraph that each name an opposite camp contrast,
  unless one says its own side falls short ("Open models can't match ..."): that one
  supports the other.

A claim opened by an anaphoric pronoun ("It's a gold rush", "Their incentive is ...")
carries on the claim before it; a contrast or a summary that follows answers that
whole stretch, so it links to the claim the pronoun points back to.

Key claims are ranked by centrality over these relations, position and cue words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import networkx as nx

from ..model import Claim, Relation
from .claims import Unit
from .lexicon import lexicon, phrase_regex

__all__ = ["find_relations", "rank_claims"]

# "This is ...", "This creates ...": a demonstrative pronoun summing up what came before.
_summing_pronoun = re.compile(r"^\W*(this|that)\s+(is|was|creates|means|shows|proves|makes|sets|leads)\b", re.I)

# "It's a gold rush", "Their incentive is ...": a pronoun subject carries on the claim before.
_continuing_pronoun = re.compile(r"^\W*(it|its|it['’]s|they|they['’]re|their|them|he|she|his|her)\b", re.I)
# ... but an expletive "it" ("It is likely that ...", "It seems ...") points at nothing.
_expletive_it = re.compile(r"^\W*it((\s+is|\s+was|['’]s)\s+(\w+\s+){0,2}?(that|to|whether)|\s+(seems|appears))\b",
                           re.I)

# classify_camp gives a camp read off the claim's own cues a confidence of at least 0.55;
# one borrowed from the paragraph, a neighbour or the article gets 0.45 or less.
_OWN_CAMP = 0.5

_KEY_CUES = re.compile(r"\b(the key is|the core of|the real|the defining|the central|the largest debate|"
                       r"the endgame|the bottom line|in short|the point is|the crux|the entire narrative|"
                       r"the main|this is the first|the true)\b", re.I)


@dataclass(frozen=True)
class _Cues:
    contrast: re.Pattern
    reason_opener: re.Pattern
    consequence: re.Pattern
    conclusion: re.Pattern
    reason: re.Pattern
    anaphor: re.Pattern
    thesis_support: re.Pattern
    shortfall: re.Pattern


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    cues = lexicon().cues
    anaphor = re.compile(r"^\W*(these|those|this|that|such)\s+(\w+\W+){0,2}?(" +
                         "|".join(re.escape(n) for n in cues["anaphor_nouns"]) + r")\b", re.I)
    return _Cues(phrase_regex(cues["contrast_openers"]), phrase_regex(cues["support_openers"]),
                 phrase_regex(cues["consequence_openers"]), phrase_regex(cues["conclusion_openers"]),
                 phrase_regex(cues["reason_markers"]), anaphor, phrase_regex(cues["thesis_support_openers"]),
                 phrase_regex(cues["shortfall_cues"]))


def _opens_with(regex: re.Pattern, text: str) -> str | None:
    m = regex.search(text[:60])
    return m.group(0) if m and m.start() <= 1 else None


class _Pairs:
    """The claims of one article with their units, for the rules that link a claim to the one before."""

    def __init__(self, text: str, claims: list[Claim], units: list[Unit], future):
        unit_at = {(u.start, u.end): u for u in units}
        self.text, self.claims, self.future = text, claims, future
        self.units = [unit_at.get((c.span.start, c.span.end)) for c in claims]
        self.thesis: dict[int, int] = {}  # paragraph → index of its first claim
        for i, u in enumerate(self.units):
            if u is not None:
                self.thesis.setdefault(u.paragraph, i)

    def body(self, i: int) -> str:
        return self.text[self.claims[i].span.start:self.claims[i].span.end]

    def same_paragraph(self, i: int, j: int) -> bool:
        return self.units[i] is not None and self.units[j] is not None and \
            self.units[i].paragraph == self.units[j].paragraph

    def is_future(self, i: int) -> bool:
        return (self.claims[i].span.start, self.claims[i].span.end) in self.future

    def head(self, i: int) -> int:
        """The claim that claim ``i`` carries on, when it opens with an anaphoric pronoun; else ``i``."""
        body = self.body(i)
        if i > 0 and self.same_paragraph(i, i - 1) and _continuing_pronoun.match(body) \
                and not _expletive_it.match(body):
            return i - 1
        return i

    def link(self, source: int, target: int, kind: str, cue: str | None) -> Relation:
        return Relation(self.claims[source].span, self.claims[target].span, kind, cue)


def _clause_split(pairs: _Pairs, i: int) -> list[Relation] | None:
    unit = pairs.units[i]
    if unit.sentence != pairs.units[i - 1].sentence or not unit.link_to_previous:
        return None
    if unit.link_to_previous == "contrasts":
        return [pairs.link(i, i - 1, "contrasts", unit.cue)]
    if unit.link_to_previous == "forward":
        return [pairs.link(i - 1, i, "supports", unit.cue)]
    return [pairs.link(i, i - 1, "supports", unit.cue)]


def _contrast_opener(pairs: _Pairs, i: int) -> list[Relation] | None:
    cue = _opens_with(_cues().contrast, pairs.body(i))
    if not cue or pairs.units[i].paragraph - pairs.units[i - 1].paragraph > 1:
        return None
    return [pairs.link(i, pairs.head(i - 1), "contrasts", cue)]


def _thesis_summary(pairs: _Pairs, i: int) -> list[Relation] | None:
    cue = _opens_with(_cues().thesis_support, pairs.body(i))
    thesis = pairs.thesis.get(pairs.units[i].paragraph)
    if not cue or thesis is None or thesis == i:
        return None
    return [pairs.link(i, thesis, "supports", cue)]


def _consequence_opener(pairs: _Pairs, i: int) -> list[Relation] | None:
    cue = _opens_with(_cues().consequence, pairs.body(i))
    if not cue or not pairs.same_paragraph(i, i - 1):
        return None
    return [pairs.link(i - 1, i, "supports", cue)]


def _demonstrative(pairs: _Pairs, i: int) -> list[Relation] | None:
    cues, body = _cues(), pairs.body(i)
    cue = _opens_with(cues.conclusion, body)
    if not cue or not pairs.same_paragraph(i, i - 1):
        return None
    if cues.anaphor.match(body) or cues.reason.search(body):
        # "These labs will realize ...": more about the same actors; "This is right because
        # ...": a reason.  Either way the claim backs the one before.
        return [pairs.link(i, i - 1, "supports", cue)]
    # "This creates a sticky user base": what came before is the evidence.
    source = pairs.head(i - 1)
    relations = [pairs.link(source, i, "supports", cue)]
    earlier = i - 2
    if source == i - 1 and earlier >= 0 and pairs.same_paragraph(earlier, i) and _summing_pronoun.match(body):
        # "This is the first proof": a pronoun sums up the claim before that too.
        relations.append(pairs.link(earlier, i, "supports", cue))
    return relations


def _reason_opener(pairs: _Pairs, i: int) -> list[Relation] | None:
    cue = _opens_with(_cues().reason_opener, pairs.body(i))
    if not cue or not pairs.same_paragraph(i, i - 1):
        return None
    return [pairs.link(i, i - 1, "supports", cue)]


def _prediction(pairs: _Pairs, i: int) -> list[Relation] | None:
    claim, prev = pairs.claims[i], pairs.claims[i - 1]
    if not (pairs.same_paragraph(i, i - 1) and pairs.is_future(i) and not pairs.is_future(i - 1)):
        return None
    if claim.camp != prev.camp or claim.camp == "both":
        return None
    # A present-tense observation followed by a prediction on the same side.
    return [pairs.link(i - 1, i, "supports", None)]


def _opposite_camps(pairs: _Pairs, i: int) -> list[Relation] | None:
    claim, prev = pairs.claims[i], pairs.claims[i - 1]
    if not pairs.same_paragraph(i, i - 1) or {claim.camp, prev.camp} != {"open", "closed"}:
        return None
    if min(claim.camp_confidence, prev.camp_confidence) < _OWN_CAMP:
        return None  # a borrowed camp is a guess, not a stance to set against another
    shortfall = _cues().shortfall
    if shortfall.search(pairs.body(i)):
        # "Open-source models can't match that level": conceding the rival's weakness backs the claim.
        return [pairs.link(i, i - 1, "supports", None)]
    if shortfall.search(pairs.body(i - 1)):
        return [pairs.link(i - 1, i, "supports", None)]
    return [pairs.link(i, i - 1, "contrasts", None)]


_RULES = (_clause_split, _contrast_opener, _thesis_summary, _consequence_opener, _demonstrative, _reason_opener,
          _prediction, _opposite_camps)


def find_relations(text: str, claims: list[Claim], units: list[Unit], future: set[tuple[int, int]] = frozenset()
                   ) -> list[Relation]:
    """``future``: the spans of claims that are forecasts (evidence → prediction is support)."""
    pairs = _Pairs(text, claims, units, future)
    relations: list[Relation] = []
    for i in range(1, len(claims)):
        if pairs.units[i] is None or pairs.units[i - 1] is None:
            continue
        for rule in _RULES:
            found = rule(pairs, i)
            if found is not None:
                relations += found
                break
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
