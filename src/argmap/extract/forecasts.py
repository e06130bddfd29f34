"""Forecasts: statements about the future, with confidence, horizon, subjects
and predicted quantities.

A claim unit is a forecast when it holds a future cue (will, 'll, going to,
expect, eventually, in N years, may/might/could, ... from ``cues.yaml``).
A dash-delimited aside with its own hedge ("— and likely Google soon —") and a
hedged participial tail (", potentially forming an oligopoly ...") are
forecasts of their own, so one sentence may hold two.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Article, Claim, Forecast, Mention, Span
from .claims import Unit, classify_camp, signposting
from .decide import UnitDecision
from .horizon import Horizon, find_horizon
from .segment import text_of
from .lexicon import lexicon, phrase_regex
from .quantities import find_quantities

__all__ = ["find_forecasts", "confidence_of"]

_ASIDE = re.compile(r"\s[—–]\s?([^—–]{8,}?)\s?[—–]\s|—([^—\n]{8,}?)—")
_HEDGED_TAIL = re.compile(r",\s+(potentially|possibly|likely|probably|perhaps|eventually)\s+\w+ing\b", re.I)
_SUMMARISER = re.compile(r"^\s*(all\s+(of\s+)?)?(these|this|those|such)\s+(effects|changes|trends|shifts|"
                         r"dynamics|developments|forces|things)\b|^\s*all of (this|these)\b", re.I)
_PRESENT_ANCHOR = re.compile(r"\b(today|right now|currently|at present|early|in)\s+(20\d\d)\b|\btoday\b", re.I)
_POSSIBLE_MODALS = {"may", "might", "could", "can"}
_POSSIBLE_ADVERBS = re.compile(r"\b(potentially|possibly|perhaps|maybe)\b", re.I)


@lru_cache(maxsize=1)
def _regexes():
    cues = lexicon().cues
    return (phrase_regex(cues["future_cues"]), phrase_regex(cues["confidence"]["likely"]),
            phrase_regex(cues["confidence"]["certain"]))


def _masked(text: str, offset: int, exclude: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in exclude:
        for i in range(max(a, offset), min(b, offset + len(text))):
            chars[i - offset] = " "
    return "".join(chars)


def confidence_of(doc: Doc, start: int, end: int, exclude: list[tuple[int, int]] = ()) -> tuple[str, str | None]:
    """``possible`` / ``likely`` / ``certain`` and the cue it was read from (``exclude``: asides)."""
    text = _masked(text_of(doc)[start:end], start, list(exclude))
    _, likely, certain = _regexes()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        for token in span:
            if any(a <= token.idx < b for a, b in exclude):
                continue
            if token.tag_ == "MD" and token.lower_ in _POSSIBLE_MODALS and (
                    token.head.dep_ == "ROOT" or token.head.head.i == token.head.i or
                    not (span.start <= token.head.head.i < span.end)):
                return "possible", token.text
    m = _POSSIBLE_ADVERBS.search(text)
    if m:
        return "possible", m.group(0)
    m = likely.search(text)
    if m:
        return "likely", m.group(0)
    m = certain.search(text)
    return "certain", (m.group(0) if m else None)


def _is_future_modal(token) -> bool:
    # The tagger sometimes calls a clitic "’ll" VBP; the clitic is a future marker whatever its tag.
    if token.lower_ in ("'ll", "’ll"):
        return True
    if token.tag_ == "MD" and token.lower_ in ("will", "shall", "wo"):
        return True
    # "can" on the main verb states what may come ("It can also be driven by demand");
    # in a relative clause ("labs that can play") or negated ("can't match") it states an ability.
    return (token.lower_ == "can" and token.dep_ == "aux" and token.head.dep_ == "ROOT"
            and not any(child.dep_ == "neg" for child in token.head.children))


def _is_future(doc: Doc, start: int, end: int) -> bool:
    text = text_of(doc)[start:end]
    if text.rstrip().endswith("?"):
        return False
    future, _, _ = _regexes()
    if future.search(text):
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(_is_future_modal(t) for t in span)


def _pieces(doc: Doc, unit: Unit) -> list[tuple[int, int, tuple]]:
    """The forecast-sized pieces of a unit: the unit without its asides, each aside, a hedged tail."""
    text = text_of(doc)
    asides = []
    for m in _ASIDE.finditer(text, unit.start, unit.end):
        g = 1 if m.group(1) else 2
        asides.append((m.start(g), m.end(g)))
    pieces = [(a, b, ()) for a, b in asides if _is_future(doc, a, b)]
    main_end = unit.end
    tail = _HEDGED_TAIL.search(text, unit.start, unit.end)
    if tail:
        pieces.append((tail.start(1), unit.end, ()))
        main_end = tail.start()
    # The main clause is judged without its asides, so "— and likely Google soon —" does not
    # make the whole sentence a forecast.
    masked = list(text[unit.start:main_end])
    for a, b in asides:
        for i in range(max(a, unit.start), min(b, main_end)):
            masked[i - unit.start] = " "
    main_text = "".join(masked)
    future, _, _ = _regexes()
    span = doc.char_span(unit.start, main_end, alignment_mode="expand")
    modal = span is not None and any(
        _is_future_modal(t) and not any(a <= t.idx < b for a, b in asides) for t in span)
    if (future.search(main_text) or modal) and not main_text.rstrip().endswith("?"):
        pieces.insert(0, (unit.start, main_end, tuple(asides)))
    return sorted(set(pieces))


def find_forecasts(doc: Doc, article: Article, units: list[Unit], claims: list[Claim],
                   mentions: list[Mention], decisions: list[UnitDecision] | None = None) -> list[Forecast]:
    year = article.year
    claim_camps = [(c.span.start, c.span.end, c.camp) for c in claims]
    unit_camps = {(u.start, u.end): d.camp for u, d in zip(units, decisions or ())}
    kinds = [d.kind for d in decisions] if decisions else ["body"] * len(units)
    drafts = []  # (start, end, unit, horizon)
    for unit, kind in zip(units, kinds):
        # Headings and Q&A question lines are never forecasts (GUIDELINES rule 3), nor is
        # the author's signposting ("we'll get to that").
        if kind in ("heading", "question") or signposting(text_of(doc)[unit.start:unit.end]):
            continue
        if unit.start != unit.end and text_of(doc)[unit.start:unit.end].lower().startswith("if ") and \
                not _is_future(doc, unit.start, unit.end):
            continue
        for start, end, asides in _pieces(doc, unit):
            while end > start and text_of(doc)[end - 1] in " ,;:—–":
                end -= 1
            if len(text_of(doc)[start:end].split()) < 4:
                continue
            own_text = _masked(text_of(doc)[start:end], start, list(asides))
            drafts.append([start, end, unit, find_horizon(own_text, year), asides])
    _propagate_horizons(doc, drafts)
    forecasts = []
    for start, end, unit, horizon, asides in drafts:
        text = text_of(doc)[start:end]
        confidence, cue = confidence_of(doc, start, end, asides)
        inside = [m for m in mentions if start <= m.span.start and m.span.end <= end]
        camp = next((c for a, b, c in claim_camps if a <= start < b), None) or unit_camps.get((unit.start, unit.end))
        if camp is None:
            entity_camps = [e.camp for m in inside for e in lexicon().entries if e.entity.key == m.entity.key and e.camp]
            camp, _ = classify_camp(text, entity_camps, None, None)
        forecasts.append(Forecast(
            span=Span(start, end, text), camp=camp, confidence=confidence, confidence_cue=cue,
            horizon_start=horizon.start if horizon else None, horizon_end=horizon.end if horizon else None,
            horizon_phrase=horizon.phrase if horizon else None,
            subjects=tuple(dict.fromkeys(m.entity.key for m in inside)),
            quantities=tuple(find_quantities(text, start)),
        ))
    return forecasts


def _propagate_horizons(doc: Doc, drafts: list[list]) -> None:
    """A summarising sentence ("All of these effects will be visible in 5-10 years") gives its
    stated horizon to the forecasts of the two sentences before it in the same paragraph."""
    for i, (start, end, unit, horizon, _) in enumerate(drafts):
        if not (horizon and horizon.stated and _SUMMARISER.match(text_of(doc)[unit.start:unit.end])):
            continue
        for j in range(i - 1, -1, -1):
            other = drafts[j]
            o_unit: Unit = other[2]
            if o_unit.paragraph != unit.paragraph or unit.sentence - o_unit.sentence > 2:
                break
            if other[3] is None and not _PRESENT_ANCHOR.search(text_of(doc)[other[0]:other[1]]):
                other[3] = Horizon(horizon.start, horizon.end, horizon.phrase, True)
