"""argmap's spaCy pipeline components.  Each reads the article from
``doc._.argmap_article`` and writes its records to its own ``doc._`` attribute."""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from .claims import claim_units, decide_units, find_claims
from .entities import find_mentions
from .forecasts import find_forecasts
from .offtopic import OffTopicIndex, find_offtopic
from .relations import find_relations, rank_claims
from ..model import Article, OffTopic, Span
from ..settings import DECIDERS, DEFAULT_DECIDER
from .segment import paragraphs, text_of


def _article(doc: Doc) -> Article:
    """The article a Doc came from; a Doc made with plain ``nlp(text)`` gets an untitled one."""
    if doc._.argmap_article is None:
        doc._.argmap_article = Article(id="doc", title="", body=text_of(doc))
    return doc._.argmap_article


@Language.component("argmap_offtopic_v1", requires=["doc.sents", "doc.ents"],
                    assigns=["doc._.argmap_paragraphs", "doc._.argmap_offtopic"])
def offtopic_component(doc: Doc) -> Doc:
    doc._.argmap_paragraphs = paragraphs(text_of(doc))
    doc._.argmap_offtopic = find_offtopic(doc, _article(doc), doc._.argmap_paragraphs)
    return doc


@Language.component("argmap_entities_v1", requires=["doc.ents", "doc._.argmap_offtopic"],
                    assigns=["doc._.argmap_mentions"])
def entities_component(doc: Doc) -> Doc:
    doc._.argmap_mentions = find_mentions(doc, OffTopicIndex(doc._.argmap_offtopic))
    return doc


@Language.factory("argmap_claims_v1", default_config={"decider": DEFAULT_DECIDER},
                  requires=["doc.sents", "doc._.argmap_mentions"], assigns=["doc._.argmap_claims"])
def make_claims_component(nlp, name: str, decider: str):
    """``decider``: ``rules``, ``model`` (the trained classifiers shipped in data/models) or
    ``camp-model`` (the rules decide claims, the camp model camps)."""
    if decider not in DECIDERS:
        raise ValueError(f"decider must be one of {', '.join(DECIDERS)}, not {decider!r}")

    def claims_component(doc: Doc) -> Doc:
        units = claim_units(doc, doc._.argmap_paragraphs, OffTopicIndex(doc._.argmap_offtopic))
        # Discovered concepts are no evidence that a sentence argues: the claim rules and
        # models were built on names of the gazetteer and of NER.
        named = [m for m in doc._.argmap_mentions if m.entity.source != "discovered"]
        decisions = decide_units(doc, doc._.argmap_paragraphs, units, named, decider)
        # Units the unit model calls page chrome or unrelated join the off-topic spans;
        # they hold no claims, forecasts or mentions.
        dropped = [(u, d) for u, d in zip(units, decisions) if d.offtopic]
        if dropped:
            text = text_of(doc)
            doc._.argmap_offtopic = sorted([*doc._.argmap_offtopic, *(
                OffTopic(Span(u.start, u.end, text[u.start:u.end]), "unrelated material (unit model)")
                for u, _ in dropped)], key=lambda o: o.span.start)
            index = OffTopicIndex(doc._.argmap_offtopic)
            doc._.argmap_mentions = [m for m in doc._.argmap_mentions if not index(m.span.start, m.span.end)]
            kept = [(u, d) for u, d in zip(units, decisions) if not d.offtopic]
            units, decisions = [u for u, _ in kept], [d for _, d in kept]
        doc.user_data["argmap_units"] = units
        doc.user_data["argmap_decisions"] = decisions
        doc._.argmap_claims = find_claims(doc, units, decisions, doc._.argmap_mentions)
        return doc

    return claims_component


@Language.component("argmap_forecasts_v1", requires=["doc._.argmap_claims"], assigns=["doc._.argmap_forecasts"])
def forecasts_component(doc: Doc) -> Doc:
    doc._.argmap_forecasts = find_forecasts(doc, _article(doc), doc.user_data["argmap_units"],
                                            doc._.argmap_claims, doc._.argmap_mentions,
                                            doc.user_data.get("argmap_decisions"))
    return doc


@Language.component("argmap_relations_v1", requires=["doc._.argmap_claims", "doc._.argmap_forecasts"],
                    assigns=["doc._.argmap_relations", "doc._.argmap_claims"])
def relations_component(doc: Doc) -> Doc:
    claims = doc._.argmap_claims
    future = {(c.span.start, c.span.end) for c in claims
              if any(c.span.start <= f.span.start < c.span.end for f in doc._.argmap_forecasts)}
    relations = find_relations(text_of(doc), _with_rule_camps(claims, doc), doc.user_data["argmap_units"], future)
    doc._.argmap_relations = relations
    doc._.argmap_claims = rank_claims(text_of(doc), doc._.argmap_claims, relations)
    return doc


def _with_rule_camps(claims: list, doc: Doc) -> list:
    """The claims with the rules' camps, which the relation rules were made for (a camp model's
    probability is no measure of an own cue against a borrowed camp)."""
    units, decisions = doc.user_data["argmap_units"], doc.user_data.get("argmap_decisions") or []
    rule = {(u.start, u.end): d.rule_camp for u, d in zip(units, decisions) if d.rule_camp}
    return [replace(c, camp=rule[key][0], camp_confidence=rule[key][1]) if (key := (c.span.start, c.span.end)) in rule
            else c for c in claims]
