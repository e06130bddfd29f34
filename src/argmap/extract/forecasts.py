"""Forecasts: statements about the future, with confidence, horizon, subjects
and predicted quantities.

A claim unit is a forecast when it holds a future cue (will, 'll, going to,
expect, eventually, temporary, ... from ``cues.yaml``) or a modal of possibility
(can/could/may/might) whose verb names a future event ("could catch up", "may
turn out"); can/could/may with any other verb states a present ability or
possibility ("you can run it on a laptop"), which is no forecast (GUIDELINES rule 6).
A dash-delimited aside with its own hedge ("— and likely Google soon —") and a
hedged participial tail (", potentially forming an oligopoly ...") are
forecasts of their own, so one sentence may hold two.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Article, Claim, Forecast, Mention, Span
from .camps import classify_camp, entity_camps_of
from .claims import Unit, signposting
from .decide import UnitDecision
from .horizon import find_horizon
from ..corpus.markup import line_around
from .segment import text_of
from .lexicon import lexicon, phrase_regex
from .quantities import find_quantities

__all__ = ["find_forecasts", "confidence_of"]

_ASIDE = re.compile(r"\s[—–]\s?([^—–]{8,}?)\s?[—–]\s|—([^—\n]{8,}?)—")
_HEDGED_TAIL = re.compile(r",\s+(potentially|possibly|likely|probably|perhaps|eventually)\s+\w+ing\b", re.I)
_SUMMARISER = re.compile(r"^\s*(all\s+(of\s+)?)?(these|this|those|such)\s+(effects|changes|trends|shifts|"
                         r"dynamics|developments|forces|things)\b|^\s*all of (this|these)\b", re.I)
# A sentence that opens by pointing back at the one before ("Part of this family", "These
# models", "It").
_REFERS_BACK = re.compile(r"^\W*((part|some|most|all|each|one|many) of )?(this|these|those|that|it|its|they|their|such)\b|"
                          r"^\W*\w+( \w+){0,4} (this|these|those) \w+", re.I)
_LIST_ITEM = re.compile(r"^\s*([-•*+]|\d{1,2}[.)])\s+")
_PRESENT_ANCHOR = re.compile(r"\b(today|right now|currently|at present|early|in)\s+(20\d\d)\b|\btoday\b", re.I)


@lru_cache(maxsize=1)
def _future_regex() -> re.Pattern:
    cues = lexicon().cues
    return phrase_regex(cues["future_cues"] + cues["future_change_words"])


@lru_cache(maxsize=1)
def _confidence_regexes():
    levels = lexicon().cues["confidence"]
    modals = _possibility_modals()
    return (phrase_regex([w for w in levels["possible"] if w not in modals]),
            phrase_regex(levels["likely"]), phrase_regex(levels["certain"]))


@lru_cache(maxsize=1)
def _possibility_modals() -> frozenset:
    return frozenset(lexicon().cues["possibility_modals"])


@lru_cache(maxsize=1)
def _future_events() -> tuple[frozenset, frozenset]:
    cues = lexicon().cues
    # "take a hit" is kept as "take hit": a verb and the head noun of its object.
    events = {" ".join(w for w in v.lower().split() if w not in ("a", "an", "the")) for v in cues["future_event_verbs"]}
    return frozenset(cues["event_modals"]), frozenset(events)


def _masked(text: str, offset: int, exclude: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in exclude:
        for i in range(max(a, offset), min(b, offset + len(text))):
            chars[i - offset] = " "
    return "".join(chars)


def confidence_of(doc: Doc, start: int, end: int, exclude: list[tuple[int, int]] = ()) -> tuple[str, str | None]:
    """``possible`` / ``likely`` / ``certain`` and the cue it was read from (``exclude``: asides).

    GUIDELINES rule 7: the strongest hedge of the clause that carries the prediction wins,
    in any of its clauses.  After "but", the clause that predicts carries it ("may help in the
    short term, but in the long run it will backfire" is certain); asides are no part of it.
    Conditions and quantifiers are no hedges, and with no cue at all a forecast is certain.
    """
    start = _carrier_start(doc, start, end, exclude)
    exclude = list(exclude) + _side_clauses(doc, start, end, exclude)
    text = _masked(text_of(doc)[start:end], start, exclude)
    possible, likely, certain = _confidence_regexes()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        for token in span:
            if any(a <= token.idx < b for a, b in exclude) or token.tag_ != "MD":
                continue
            # "can" is a hedge only on the main verb; elsewhere it states an ability.
            modals = _possibility_modals()
            if token.lower_ in modals - {"can"} or token.lower_ == "can" and token.head.dep_ == "ROOT":
                return "possible", token.text
    for level, pattern in (("possible", possible), ("likely", likely), ("certain", certain)):
        m = pattern.search(text)
        if m:
            return level, m.group(0)
    return "certain", None


_CONDITION_MARKS = {"if", "unless", "than"}
_WH_TAGS = {"WP", "WDT", "WRB", "WP$"}


def _side_clauses(doc: Doc, start: int, end: int, exclude) -> list[tuple[int, int]]:
    """Character ranges of the clauses whose hedges do not hedge the prediction (GUIDELINES
    rule 7): a condition ("if we predict the demand, we'll be profitable"), a comparison
    ("faster than I think it ever has"), an embedded question ("how AI should be handled")
    and a relative clause; each only when the future cue lies outside it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    text = text_of(doc)
    cues = [start + m.start() for m in _future_regex().finditer(_masked(text[start:end], start, list(exclude)))]
    cues += [t.idx for t in span if _is_future_modal(t)]
    found = []
    for token in span:
        if token.pos_ not in ("VERB", "AUX") or token.dep_ == "ROOT":
            continue
        children = list(token.children)
        side = (token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in children)
                or token.dep_ == "relcl"
                or token.dep_ in ("ccomp", "pcomp", "pobj", "xcomp", "advcl")
                and any(t.tag_ in _WH_TAGS and t.i < token.i for t in token.subtree))
        if not side:
            continue
        sub = list(token.subtree)
        a, b = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        if any(not a <= c < b for c in cues):
            found.append((a, b))
    return found


_BUT = re.compile(r"[,;—–]\s*but\s+|\s+but\s+in\s+the\s+", re.I)


def _carrier_start(doc: Doc, start: int, end: int, exclude) -> int:
    """Where the clause that carries the prediction begins: after the last "but" when what
    follows it refers to the future on its own."""
    text = text_of(doc)
    last = None
    for m in _BUT.finditer(text, start, end):
        last = m
    if last is None:
        return start
    future = _future_regex()
    tail = _masked(text[last.start():end], last.start(), list(exclude))
    return last.start() if future.search(tail) else start


def _is_future_modal(token) -> bool:
    # The tagger sometimes calls a clitic "’ll" VBP; the clitic is a future marker whatever its tag.
    if token.lower_ in ("'ll", "’ll"):
        return True
    if token.tag_ == "MD" and token.lower_ in ("will", "shall", "wo"):
        return True
    return _possibility_of_an_event(token)


def _possibility_of_an_event(token) -> bool:
    """can/could/may/might governing a verb that names a change or outcome still to come
    ("others may catch up", "the gap could widen"), and not a past counterfactual ("could
    have seen")."""
    modals, events = _future_events()
    if token.tag_ != "MD" or token.lower_ not in modals:
        return False
    verb = token.head
    children = list(verb.children)
    if any(c.dep_ == "aux" and c.lower_ in ("have", "'ve", "’ve") for c in children):
        return False
    return _names_an_event(verb, events) or any(
        _names_an_event(c, events) for c in children if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VB")


def _names_an_event(verb, events: frozenset) -> bool:
    # After a modal (or "let", "make") the verb is in its base form, so its text is its lemma:
    # the pipeline runs without spaCy's lemmatizer, for speed.  "take a serious hit" is
    # matched as "take hit" (objects by their head noun).
    lemma = verb.lower_
    phrases = {lemma} | {f"{lemma} {c.lower_}" for c in verb.children if c.dep_ in ("prt", "dobj")}
    return bool(phrases & events)


def _is_future(doc: Doc, start: int, end: int) -> bool:
    text = text_of(doc)[start:end]
    return not text.rstrip().endswith("?") and _refers_to_future(doc, start, end, text)


def _refers_to_future(doc: Doc, start: int, end: int, text: str, skip: list[tuple[int, int]] = ()) -> bool:
    """A future cue of ``text`` (= the document from ``start``, asides ``skip`` blanked) that is
    not inside an unhedged embedded question ("predicting what will happen next")."""
    future = _future_regex()
    # "It remains to be seen whether it will scale" and "it is unclear if it will" do predict,
    # with a hedge (GUIDELINES rule 7: possible); a bare "what will happen next" does not.
    hedged = bool(_confidence_regexes()[0].search(text))
    for m in future.finditer(text):
        token = _token_at(doc, start + m.start())
        if token is not None and any(_future_in_the_past(t) for t in (token, *token.ancestors)):
            continue
        if token is None or hedged or not _in_embedded_question(token):
            return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(
        _is_future_modal(t) and (hedged or not _in_embedded_question(t)) and not any(a <= t.idx < b for a, b in skip)
        for t in span)


def _future_in_the_past(token) -> bool:
    """"was going to", "were gonna": a future seen from the past ("getting there first wasn't
    going to matter in the long run"), which predicts nothing now; so is every future cue
    of its clause."""
    if token.lower_ not in ("going", "gon"):
        return False
    return any(c.dep_ == "aux" and c.tag_ == "VBD" for c in token.children)


def _token_at(doc: Doc, offset: int):
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


_QUESTION_MARKS = {"if", "whether"}


def _in_embedded_question(token) -> bool:
    """Whether the clause of ``token`` (a future word) is an indirect question: marked by
    if/whether ("I wonder whether it will scale") or opened by a wh-word as a subject or
    complement ("predicting what will happen", "which one will matter"); such a clause asks
    about the future without predicting it, unless a hedge says how open the answer is
    ("it remains to be seen whether …", handled by the caller)."""
    verb = token.head if token.dep_ in ("aux", "auxpass") else token
    if verb.dep_ == "aux":
        verb = verb.head
    children = list(verb.children)
    if verb.dep_ != "ROOT" and any(c.dep_ == "mark" and c.lower_ in _QUESTION_MARKS for c in children):
        # "if" also opens conditions, but a condition's verb takes no "will" in English; a
        # main clause after a concessive "whether A or B," is no question.
        return True
    if verb.dep_ not in ("ccomp", "csubj", "pcomp", "pobj", "dobj", "xcomp", "advcl", "acl"):
        return False
    for child in children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "advmod", "attr") and any(
                t.tag_ in ("WP", "WDT", "WRB") and t.lower_ != "that" for t in child.subtree):
            return True
    return False


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
    if _refers_to_future(doc, unit.start, main_end, main_text, asides) and not main_text.rstrip().endswith("?"):
        pieces.insert(0, (unit.start, main_end, tuple(asides)))
    return sorted(set(pieces))


def find_forecasts(doc: Doc, article: Article, units: list[Unit], claims: list[Claim],
                   mentions: list[Mention], decisions: list[UnitDecision] | None = None) -> list[Forecast]:
    year = article.date.year if article.date else None  # never today's year for an undated text
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
            drafts.append([start, end, unit, find_horizon(own_text, year), asides, None])
    _carry_scopes(doc, drafts)
    forecasts = []
    for start, end, unit, horizon, asides, scope_hedge in drafts:
        text = text_of(doc)[start:end]
        confidence, cue = confidence_of(doc, start, end, asides)
        if confidence == "certain" and scope_hedge:
            confidence, cue = scope_hedge
        inside = [m for m in mentions if start <= m.span.start and m.span.end <= end]
        camp = next((c for a, b, c in claim_camps if a <= start < b), None) or unit_camps.get((unit.start, unit.end))
        if camp is None:
            camp, _ = classify_camp(text, entity_camps_of(inside), None, None)
        forecasts.append(Forecast(
            span=Span(start, end, text), camp=camp, confidence=confidence, confidence_cue=cue,
            horizon_start=horizon.start if horizon else None, horizon_end=horizon.end if horizon else None,
            horizon_phrase=horizon.phrase if horizon else None,
            subjects=tuple(dict.fromkeys(m.entity.key for m in inside)),
            quantities=tuple(find_quantities(text, start)),
        ))
    return forecasts


def _ends_with_colon(text: str, end: int) -> bool:
    """Whether the sentence ending near ``end`` ends with a colon (a unit may leave it out)."""
    line_end = text.find("\n", end)
    rest = text[end:line_end if line_end != -1 else len(text)]
    return text[:end].rstrip().endswith(":") or rest.strip() == ":"


def _carry_scopes(doc: Doc, drafts: list[list]) -> None:
    """A time stated in a sentence that scopes others carries over to their forecasts
    (GUIDELINES rule 8): a summarising sentence ("All of these effects will be visible in
    5-10 years") gives its horizon to the forecasts of the two sentences before it in the
    same paragraph, and a lead-in ("where we will be in three years is threefold:") to
    the forecasts of the list that follows it.  A lead-in's hedge ("My bet is that …:") scopes
    the list too: it hedges the items that have no hedge of their own (rule 7)."""
    text = text_of(doc)
    for i, (start, end, unit, horizon, asides, _) in enumerate(drafts):
        if not _ends_with_colon(text, unit.end):
            continue
        hedge = confidence_of(doc, start, end, asides)
        for other in drafts[i + 1:]:
            o_unit: Unit = other[2]
            if o_unit.paragraph == unit.paragraph:
                continue
            if not _LIST_ITEM.match(line_around(text, o_unit.start, o_unit.end)):
                break
            if other[3] is None and horizon and horizon.stated:
                other[3] = horizon
            if hedge[0] != "certain":
                other[5] = hedge
    # A time that opens a sentence ("At the end of 2023, we will train a family of models")
    # sets the scene for the rest of the sentence and for the next sentences that refer back
    # to it ("Part of this family will be open-sourced"), one after another.
    for i, (start, end, unit, horizon, *_) in enumerate(drafts):
        if not (horizon and horizon.stated and 0 <= text[start:end].lower().find(horizon.phrase.lower()) < 25):
            continue
        last = unit.sentence
        for other in drafts[i + 1:]:
            o_unit = other[2]
            if o_unit.sentence == unit.sentence:  # the sentence's other clauses
                if other[3] is None:
                    other[3] = horizon
                continue
            if o_unit.sentence - last > 1 or other[3] is not None or \
                    not _REFERS_BACK.match(text[o_unit.start:o_unit.end]):
                break
            other[3] = horizon
            last = o_unit.sentence
    for i, (start, end, unit, horizon, *_) in enumerate(drafts):
        if not (horizon and horizon.stated and _SUMMARISER.match(text[unit.start:unit.end])):
            continue
        for j in range(i - 1, -1, -1):
            other = drafts[j]
            o_unit: Unit = other[2]
            if o_unit.paragraph != unit.paragraph or unit.sentence - o_unit.sentence > 2:
                break
            if other[3] is None and not _PRESENT_ANCHOR.search(text_of(doc)[other[0]:other[1]]):
                other[3] = horizon
