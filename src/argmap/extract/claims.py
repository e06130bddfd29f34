"""Claims: the assertions that carry the argument, each with its camp.

A sentence is a candidate; a sentence that joins two assertions ("X, but Y")
becomes two claims.  Candidates without a finite verb (headings, tag lists),
questions, analogies and sentences with no sign of the debate are dropped.
Every camp decision is in :mod:`argmap.extract.camps`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from ..errors import ModelError
from ..model import Claim, Mention, Span
from .camps import camp_of_entity, entity_camps_of, model_camps, rule_camps
from .decide import UnitDecision, feature_text, load_classifier
from .lexicon import lexicon, phrase_regex
from ..corpus.markup import block_kind, display_text, line_around
from .quantities import find_quantities
from .segment import Paragraph, text_of

__all__ = ["Unit", "claim_units", "decide_units", "find_claims", "signposting"]

_FINITE = {"VBZ", "VBP", "VBD", "MD"}
_SUBORDINATE_START = {"because", "that", "to", "whether", "although", "though", "since", "as"}
_NOT_A_CLAIM = re.compile(r"^\s*(it['’]s like|like |imagine|for example|e\.g\.|you could|what is|how |why |"
                          r"when was|can i|do you|click|learn more)", re.I)


@dataclass(frozen=True)
class Unit:
    """A candidate claim: a sentence or a clause of one."""

    start: int
    end: int
    paragraph: int
    sentence: int
    link_to_previous: str | None = None  # contrasts | forward | backward, for clause splits
    cue: str | None = None


_BULLET = re.compile(r"[-•*]\s+|\d{1,2}[.)]\s+")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n\"“”'—–":
        start += 1
    bullet = _BULLET.match(text, start, end)
    if bullet:
        start = bullet.end()
    while end > start and text[end - 1] in " \t\n,;:—–-":
        end -= 1
    return start, end


def _has_finite_verb(doc: Doc, start: int, end: int) -> bool:
    """A finite verb, or a verbal root (an imperative: "Conversely, leverage open models for ...")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    if any(t.tag_ in _FINITE for t in span):
        return True
    # The tagger sometimes tags a present-tense verb VB ("OpenAI and Anthropic still
    # dominate"); an imperative has a VB root too.  A verbal root makes a clause.
    return any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in span)


def _has_subject_and_verb(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in span) and any(t.tag_ in _FINITE for t in span)


_ASIDE_DASH = re.compile(r"\s[—–]\s|—")


def _inside_aside(text: str, start: int, end: int, position: int) -> bool:
    """Is ``position`` between two dashes of one sentence ("labs — just A and B, but C — will")?"""
    dashes = [m.start() for m in _ASIDE_DASH.finditer(text, start, end)]
    before = sum(1 for d in dashes if d < position)
    after = sum(1 for d in dashes if d > position)
    return before % 2 == 1 and after >= 1


def _pronoun_subject(doc: Doc, start: int, end: int) -> bool:
    """A clause whose subject is "it"/"they" goes on about the same thing: not a new claim."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    subjects = [t for t in span if t.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and subjects[0].lower_ in ("it", "they", "he", "she")


def _clause_splits(doc: Doc, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """Where a sentence splits into two assertions: (end of the first, start of the
    second, link type, cue)."""
    text = text_of(doc)
    links = lexicon().cues["clause_links"]
    pattern = re.compile("|".join(re.escape(k) for k in sorted(links, key=len, reverse=True)))
    splits = []
    for m in pattern.finditer(text, start, end):
        cut = m.start() + 1  # after the comma or semicolon
        rest_start = m.end()
        left, right = _strip(text, start, m.start()), _strip(text, cut, end)
        words_after = text[rest_start:end].split()
        if not words_after or words_after[0].lower().strip(",") in _SUBORDINATE_START:
            continue
        if len(text[left[0]:left[1]].split()) < 4 or len(text[right[0]:right[1]].split()) < 4:
            continue
        if not (_has_subject_and_verb(doc, *left) and _has_finite_verb(doc, *right)):
            continue
        if _inside_aside(text, start, end, m.start()) or _pronoun_subject(doc, *right):
            continue
        # The second claim starts after the connective ("but", "so"), keeping a
        # preposition that belongs to it (", as in the near term ..." → "in the near term ...").
        second = rest_start - 2 if m.group(0).endswith(" in") else rest_start
        splits.append((m.start(), second, links[m.group(0)], m.group(0).strip(" ,;")))
    return splits


def claim_units(doc: Doc, paras: list[Paragraph], is_offtopic) -> list[Unit]:
    """Sentences and clauses of the on-topic text, in order."""
    units: list[Unit] = []
    para_iter = iter(paras)
    para = next(para_iter, None)
    for s_index, sent in enumerate(doc.sents):
        start, end = _strip(text_of(doc), sent.start_char, sent.end_char)
        if end <= start or is_offtopic(start, end):
            continue
        while para is not None and para.end <= start:
            para = next(para_iter, None)
        p_index = para.index if para is not None else 0
        pieces, a, link, cue = [], start, None, None
        for first_end, second_start, next_link, next_cue in _clause_splits(doc, start, end):
            pieces.append((a, first_end, link, cue))
            a, link, cue = second_start, next_link, next_cue
        pieces.append((a, end, link, cue))
        for a, b, link, cue in pieces:
            a, b = _strip(text_of(doc), a, b)
            if b > a:
                units.append(Unit(a, b, p_index, s_index, link, cue))
    return units


def _is_claimworthy(doc: Doc, unit: Unit, signals: re.Pattern, mentions_in) -> bool:
    text = text_of(doc)[unit.start:unit.end]
    if len(text.split()) < 5 or text.rstrip().endswith("?"):
        return False
    if _NOT_A_CLAIM.match(text):
        return False
    if not _has_finite_verb(doc, unit.start, unit.end):
        return False
    return bool(signals.search(text) or mentions_in(unit.start, unit.end))


def _rule_claimworthy(doc: Doc, unit: Unit, text: str, kind: str, signals: re.Pattern, mentions_in,
                      transitions: list[re.Pattern]) -> bool:
    # Headings and Q&A question lines are never claims (GUIDELINES rule 3); quoted text
    # of others is not the author's claim unless the article adopts it (rule 2).
    if kind in ("heading", "question", "quote", "fragment") or signposting(text):
        return False
    # A sentence of under eight words is rarely an argument's step, and one that carries an
    # inline link mostly reports what a source said or did (background). On the tune
    # articles 8 in 51 and 13 in 73 such rule claims were gold claims.
    if len(display_text(text).split()) < _MIN_CLAIM_WORDS or _INLINE_LINK.search(text):
        return False
    return _is_claimworthy(doc, unit, signals, mentions_in) and not any(t.match(text) for t in transitions)


_MIN_CLAIM_WORDS = 8
_INLINE_LINK = re.compile(r"\]\((?:https?:|/|#)")


@lru_cache(maxsize=1)
def _signpost_patterns() -> list[re.Pattern]:
    return [re.compile(p, re.I) for p in lexicon().cues.get("signpost_patterns", [])]


def signposting(text: str) -> bool:
    """The author steering the reader ("we'll get to that", "let's dig into …")."""
    text = " ".join(text.split())  # transcripts double their spaces ("we’ll get  to this")
    return any(p.search(text) for p in _signpost_patterns())


_FIRST_PERSON = re.compile(r"\b(I|I['’]m|I['’]ve|I['’]d|my|we|we['’]re|we['’]ll|our|us)\b")
_QUOTED_OPEN = re.compile(r"^\W{0,3}[\"“‘]")
_NUMBER = re.compile(r"\d")
# Reported speech: the claim may be someone else's (GUIDELINES rule 2).
_REPORTED = re.compile(r"\b(said|says|told|according to|argued|argues|wrote|writes|claimed|claims|stated|"
                       r"announced|noted|explained|asked)\b", re.I)
# A comparison or a race between sides: the mark of a `both` claim (GUIDELINES rule 4).
_COMPARISON = re.compile(r"\b(than|versus|vs\.?|gap|lead|leads|ahead|behind|catch(es|ing)? up|rivals?|"
                         r"compete|competition|match(es|ing)?|parity|on par)\b", re.I)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def _quoted_share(text: str) -> float:
    return sum(len(m.group(0)) for m in _QUOTED.finditer(text)) / max(1, len(text))


def _signals(doc: Doc, units: list[Unit], mentions_in, rule_claims: list[bool], rule_camps: list[str | None],
             prevailing: str | None, future: re.Pattern) -> list[dict]:
    """The rule signals of every unit, as the classifier's feature tokens read them."""
    text = text_of(doc)
    found = []
    for i, unit in enumerate(units):
        quote = text[unit.start:unit.end]
        words = len(quote.split())
        first_in_para = i == 0 or units[i - 1].paragraph != unit.paragraph
        found.append({
            "kind": block_kind(line_around(text, unit.start, unit.end)),
            "rule_claim": rule_claims[i],
            "rule_camp": rule_camps[i],
            "prevcamp": rule_camps[i - 1] if i else None,
            "artcamp": prevailing,
            "pos": min(4, 5 * i // max(1, len(units))),
            "para_first": first_in_para,
            "clause": unit.link_to_previous is not None,
            "question": quote.rstrip().endswith("?"),
            "signpost": signposting(quote),
            "quoted": bool(_QUOTED_OPEN.match(quote)),
            "first_person": bool(_FIRST_PERSON.search(quote)),
            "entity": bool(mentions_in(unit.start, unit.end)),
            "number": bool(_NUMBER.search(quote)),
            "future": bool(future.search(quote)),
            "len": "short" if words < 8 else "long" if words > 35 else "mid",
            "reported": bool(_REPORTED.search(quote)),
            "comparison": bool(_COMPARISON.search(quote)),
            "link": "](" in quote,
            "mostly_quoted": _quoted_share(quote) > 0.5,
        })
    return found


def decide_units(doc: Doc, paras: list[Paragraph], units: list[Unit], mentions: list[Mention],
                 decider: str = "rules") -> list[UnitDecision]:
    """Claim or not, and camp, for every unit: by the rules (``decider="rules"``), by the
    shipped models (``"model"``), or claims by the rules and camps by the camp model
    (``"camp-model"``)."""
    camped = camp_of_entity()
    cues = lexicon().cues
    signal_words = [p for levels in cues["camp_cues"].values() for ps in levels.values() for p in ps]
    # The claim signals keep the modals of possibility and the verbs of predicting: "open
    # models could win" is a claim even when it is no forecast.
    future_words = (cues["future_cues"] + cues["event_modals"]
                    + cues["prediction_verbs"])
    signals = phrase_regex(signal_words + cues["both_cues"] + future_words + cues["stance_cues"])
    future = phrase_regex(future_words)
    transitions = [re.compile(p, re.I) for p in cues["transition_patterns"]]
    text = text_of(doc)

    def mentions_in(start: int, end: int) -> list[Mention]:
        return [m for m in mentions if start <= m.span.start and m.span.end <= end]

    # A named thing, or a concept that points at a camp, makes a sentence a candidate claim; a
    # technical term with no side ("inference", "compute") is as common in background as in
    # argument.
    def signal_mentions_in(start: int, end: int) -> list[Mention]:
        return [m for m in mentions_in(start, end) if m.entity.type != "Concept" or m.entity.key in camped]

    quotes = [text[u.start:u.end] for u in units]
    kinds = [block_kind(line_around(text, u.start, u.end)) for u in units]
    rule_claims = [_rule_claimworthy(doc, u, q, k, signals, signal_mentions_in, transitions)
                   for u, q, k in zip(units, quotes, kinds)]
    entity_camps = [entity_camps_of(mentions_in(u.start, u.end)) for u in units]
    ruled = rule_camps(doc, paras, units, quotes, entity_camps, rule_claims)
    features = [feature_text(display_text(q), {**sig, "fullcamp": full[0],
                                               "entopen": "open" in ec, "entclosed": "closed" in ec})
                for q, sig, full, ec in zip(quotes, _signals(doc, units, mentions_in, rule_claims, ruled.own,
                                                             ruled.prevailing, future), ruled.full, entity_camps)]

    unit_model = load_classifier("unit") if decider == "model" else None
    camp_model = load_classifier("camp") if decider in ("model", "camp-model") else None
    if (decider == "model" and unit_model is None) or (decider != "rules" and camp_model is None):
        raise ModelError(f"the {decider!r} decider needs the trained models, and none are shipped; "
                         "run `argmap train` or set ARGMAP_DECIDER=rules")
    if unit_model:
        unit_scores = unit_model.scores(features)
        claim_scores = [s.get("claim", 0.0) for s in unit_scores]
        offtopic = [max(s, key=s.get) == "offtopic" for s in unit_scores]
    else:
        claim_scores = [1.0 if ok else 0.0 for ok in rule_claims]
        offtopic = [False] * len(units)
    threshold = unit_model.threshold if unit_model else 0.5
    is_claim = [score >= threshold and len(q.split()) >= 4 and k not in ("heading", "question")
                for score, q, k in zip(claim_scores, quotes, kinds)]
    offtopic = [off and not ok for off, ok in zip(offtopic, is_claim)]

    camps = model_camps(camp_model, features) if camp_model else ruled.full
    return [UnitDecision(ok, round(score, 4), camp, confidence, feats, kind, off, rule)
            for ok, score, (camp, confidence), feats, kind, off, rule in
            zip(is_claim, claim_scores, camps, features, kinds, offtopic, ruled.full)]


def find_claims(doc: Doc, units: list[Unit], decisions: list[UnitDecision], mentions: list[Mention]) -> list[Claim]:
    """The units decided to be claims, as records."""
    claims: list[Claim] = []
    for unit, decision in zip(units, decisions):
        if not decision.is_claim:
            continue
        text = text_of(doc)[unit.start:unit.end]
        keys = tuple(dict.fromkeys(m.entity.key for m in mentions
                                   if unit.start <= m.span.start and m.span.end <= unit.end))
        claims.append(Claim(Span(unit.start, unit.end, text), decision.camp, decision.camp_confidence,
                            unit.paragraph, entities=keys, quantities=tuple(find_quantities(text, unit.start))))
    return claims
