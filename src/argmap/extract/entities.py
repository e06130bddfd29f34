"""Entity mentions: gazetteer matches, versioned model names, spaCy NER and the
article's recurring concepts (:mod:`.concepts`), canonicalised so that one real
thing is one node across all articles."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span as SpacySpan

from ..corpus.markup import display_text
from ..model import Entity, Mention, Span
from .concepts import discover_concepts
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
_LEADING = re.compile(r"^(the|a|an|these|those|this|that)\s+|^[~≈]?\d*[KkMmBb]?\s+(?=[A-Z])", re.IGNORECASE)
# Markdown around or inside a name: a link's target, emphasis, code, brackets.
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)?|https?://\S+")
_MARKUP_EDGE = "*_[]`~\\"
# A name with letters and digits run together is a product or model (H100, GPT-4o, Kimi K3).
_VERSIONED = re.compile(r"(?:^|[\s-])[A-Za-z]{1,12}-?\d+(?:\.\d+)*[A-Za-z]{0,3}(?:$|[\s-])")
# A name's last word is capitalised or a version: "AI/ML companies" is a description.
_LOWER_TAIL = re.compile(r"\s[a-z][a-z-]*$")
_PLURAL_OF_VERSION = re.compile(r"(?<=\d)s$")
_NOT_A_NAME = re.compile(r"^Q[1-4]\b|^\W")
_POSSESSIVE = re.compile(r"(['’]s|['’])$")


def _trim(doc: Doc, span: SpacySpan) -> tuple[int, int]:
    """Character offsets of the entity without a leading article, count ("10K H100s"),
    trailing possessive or Markdown: the name ends where a link target begins, and a name
    inside a link target is none (``start == end``)."""
    start, end = span.start_char, span.end_char
    text = text_of(doc)
    link = _LINK_TARGET.search(text, start, end)
    if link:
        end = link.start()
    if _inside_link_target(text, start):
        return start, start
    while start < end and text[start] in _MARKUP_EDGE:
        start += 1
    # Matched on the name itself: "^" of a pattern matches at the start of the string only,
    # whatever ``pos`` says.
    lead = _LEADING.match(text[start:end])
    if lead and end - start > lead.end():
        start += lead.end()
    tail = _POSSESSIVE.search(text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _coordinated_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of an NER span that joins several ("Lambda and Nebius", "Figma/Photoshop",
    "H100s/H800s/A100", "MiniMax’s M3"), each with its exact offsets; a span of one name is itself.  "&"
    joins the words of one name ("Procter & Gamble", "AT&T"), and so does "and" when the
    two sides are the same word ("Johnson and Johnson") or one is not capitalised."""
    parts, a = [], start
    for m in _JOINER.finditer(text, start, end):
        parts.append((a, m.start()))
        a = m.end()
    parts.append((a, end))
    if len(parts) > 1 and all(text[p:q][:1].isupper() or text[p:q][:1].isdigit() for p, q in parts if q > p) \
            and len({text[p:q] for p, q in parts}) == len(parts):
        return [(p, q) for p, q in parts if q > p]
    return [(start, end)]


# "and", a slash, or a possessive between two names ("Huawei’s Ascend": the maker and its product).
_JOINER = re.compile(r"\s+and\s+|(?<=[\w)])/(?=[A-Z0-9])|['’]s\s+(?=[A-Z])")


def _inside_link_target(text: str, at: int) -> bool:
    opening = text.rfind("](", max(0, at - 300), at)
    return opening != -1 and ")" not in text[opening:at] and not text[opening + 2:at].isspace()


def _surface_index() -> dict[str, Entity]:
    index = {}
    for entry in lexicon().entries:
        for surface in (entry.entity.label, *entry.entity.aliases):
            index.setdefault(surface.lower(), entry.entity)
    return index


def _canonical_version(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _ner_entity(text: str, label: str, surfaces: dict[str, Entity]) -> Entity | None:
    # The name as a reader sees it: "DeepSeek-`R1`\-Zero" is DeepSeek-R1-Zero, "H100s" is H100.
    name = _PLURAL_OF_VERSION.sub("", display_text(text).strip())
    folded = name.lower()
    if folded in surfaces:
        return surfaces[folded]  # type correction: the gazetteer knows this thing
    if folded in _JUNK or len(name) < 2 or not re.search(r"[A-Za-z]", name) or name[0].isdigit():
        return None
    if name.islower() or name.isupper() and len(name) <= 2 or _NOT_A_NAME.search(name) or _LOWER_TAIL.search(name):
        return None
    etype = NER_TYPES.get(label)
    if etype is None:
        return None
    if _VERSIONED.search(name):
        etype = "Product"
    elif _ORG_SUFFIX.search(name):
        etype = "Organization"
    return Entity(entity_key(name), name, etype, (), None, "ner")


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
            if entry and entry.noun_only and ent.root.pos_ in ("VERB", "AUX"):
                entity = None
        elif ent.label_ == "ARGMAP_VERSION":
            label = _canonical_version(text)
            entity = Entity(entity_key(label), label, "Product", (), None, "pattern")
        else:
            for a, b in _coordinated_names(text_of(doc), start, end):
                part = text_of(doc)[a:b]
                entity = _ner_entity(part, ent.label_, surfaces)
                if entity is not None:
                    mentions.append(Mention(Span(a, b, part), entity))
            continue
        if entity is None:
            continue
        mentions.append(Mention(Span(start, end, text), entity))
    mentions = _without_common_words(text_of(doc), mentions)
    return sorted(mentions + discover_concepts(doc, is_offtopic, mentions), key=lambda m: m.span.start)


def _without_common_words(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop one-word NER names that the article also writes in lower case: "Share", "Price" or
    "Software" opening a line or a heading are words, not names."""
    lower = set(re.findall(r"\b[a-z][a-z-]+\b", _LINK_TARGET.sub(" ", text)))  # not in URLs ("semianalysis.com")
    return [m for m in mentions if not (m.entity.source == "ner" and " " not in m.entity.label
                                        and m.entity.label.lower() in lower and not m.entity.label.isupper())]
