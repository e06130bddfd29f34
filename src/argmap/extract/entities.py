"""Entity mentions: gazetteer matches, versioned model names and spaCy NER,
canonicalised so that one real thing is one node across all articles."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span as SpacySpan

from ..model import Entity, Mention, Span
from .segment import text_of
from .lexicon import entity_key, lexicon

__all__ = ["find_mentions", "NER_TYPES"]

# spaCy NER labels that become entities of the map, and their types.  Money,
# dates and quantities are not entities: forecasts keep them as typed values.
NER_TYPES = {"ORG": "Organization", "PERSON": "Person", "PRODUCT": "Product", "GPE": "Place", "LOC": "Place",
             "FAC": "Place"}

# Strings NER tags that are never entities of the map.
_JUNK = {"ai", "api", "apis", "ml", "ai/ml", "r&d", "cto", "ceo", "vp", "llm", "llms", "gpu", "gpus", "cpu",
         "cpus", "saas", "it", "we", "they", "you", "i", "us", "etc", "faq", "url", "rsi", "agi"}
_ORG_SUFFIX = re.compile(r"\b(AI|Labs?|Inc\.?|Corp\.?|Corporation|Technologies|Research|Intelligence|Systems|"
                         r"Institute|University|Foundation|Capital|Ventures|Group)$")
_LEADING = re.compile(r"^(the|a|an|these|those|this|that)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(['’]s|['’])$")


def _trim(doc: Doc, span: SpacySpan) -> tuple[int, int]:
    """Character offsets of the entity without a leading article or trailing possessive."""
    start, end = span.start_char, span.end_char
    text = text_of(doc)[start:end]
    lead = _LEADING.match(text)
    if lead and len(text) > lead.end():
        start += lead.end()
    tail = _POSSESSIVE.search(text_of(doc)[start:end])
    if tail and end - tail.start() < end - start:
        end = start + tail.start()
    while end > start and not text_of(doc)[end - 1].isalnum():
        end -= 1
    return start, end


def _surface_index() -> dict[str, Entity]:
    index = {}
    for entry in lexicon().entries:
        for surface in (entry.entity.label, *entry.entity.aliases):
            index.setdefault(surface.lower(), entry.entity)
    return index


def _canonical_version(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _ner_entity(text: str, label: str, surfaces: dict[str, Entity]) -> Entity | None:
    folded = text.lower()
    if folded in surfaces:
        return surfaces[folded]  # type correction: the gazetteer knows this thing
    if folded in _JUNK or len(text) < 2 or not re.search(r"[A-Za-z]", text) or text[0].isdigit():
        return None
    if text.islower() or text.isupper() and len(text) <= 2:
        return None
    etype = NER_TYPES.get(label)
    if etype is None:
        return None
    if _ORG_SUFFIX.search(text):
        etype = "Organization"
    return Entity(entity_key(text), text, etype, (), None, "ner")


def find_mentions(doc: Doc, is_offtopic) -> list[Mention]:
    """Mentions in on-topic text; ``is_offtopic(start, end)`` says what to skip."""
    gazetteer = {e.entity.key: e for e in lexicon().entries}
    surfaces = _surface_index()
    mentions = []
    for ent in doc.ents:
        start, end = _trim(doc, ent)
        if end <= start or is_offtopic(start, end):
            continue
        text = text_of(doc)[start:end]
        if ent.label_ == "ARGMAP":
            entry = gazetteer.get(ent.ent_id_)
            entity = entry.entity if entry else None
            # "Together", "Apple", "Tinker" are entities only with their exact casing.
            if entry and entry.case_sensitive and text not in (entity.label, *entity.aliases):
                entity = None
        elif ent.label_ == "ARGMAP_VERSION":
            label = _canonical_version(text)
            entity = Entity(entity_key(label), label, "Product", (), None, "pattern")
        else:
            entity = _ner_entity(text, ent.label_, surfaces)
        if entity is None:
            continue
        mentions.append(Mention(Span(start, end, text), entity))
    return mentions
