"""Concepts the gazetteer does not list, discovered in the article itself.

A concept is a recurring lower-case noun phrase of two or three words ("synthetic
data", "export controls") that the article uses at least ``min_count`` times in its
on-topic text, at least once as a subject or object, whose head noun is not on the
stop list (``concept_stop_heads`` in ``cues.yaml``: "people", "way", "lot", …).  The
thresholds were chosen on the tune articles only (at three uses, about 6 in 10 such
phrases are concepts of the gold).  Discovery is per article, so adding an article never
changes the mentions of another; the link stage joins equal concepts across articles
by key.  Each use is a mention with exact offsets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Entity, Mention, Span
from .lexicon import entity_key, lexicon
from .segment import text_of

__all__ = ["discover_concepts"]

_ROLES = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "appos"}
_WORD = re.compile(r"^[a-z][a-z-]*$")
_SKIPPED_POS = {"DET", "PRON", "NUM", "PUNCT", "ADV", "PART"}


@lru_cache(maxsize=1)
def _stop_lists() -> tuple[frozenset, frozenset, int]:
    cues = lexicon().cues
    return (frozenset(cues["concept_stop_heads"]), frozenset(cues["concept_stop_modifiers"]),
            int(cues.get("concept_min_count", 3)))


def _phrase(chunk) -> tuple[int, int] | None:
    """The concept part of a noun chunk: its words from the first content word to the head."""
    stop_heads, stop_modifiers, _ = _stop_lists()
    words = [t for t in chunk if t.pos_ not in _SKIPPED_POS and not t.is_stop]
    while words and words[0].lower_ in stop_modifiers:
        words = words[1:]
    if not 2 <= len(words) <= 3 or words[-1].i != chunk.root.i or words[-1].i - words[0].i != len(words) - 1:
        return None
    # Lower-case words (a capital only to open a sentence): a capitalised phrase is a name.
    if any(t.ent_type_ or not _WORD.match(t.lower_) or not (t.text[0].islower() or t.is_sent_start)
           for t in words) or words[-1].lower_ in stop_heads:
        return None
    return words[0].idx, words[-1].idx + len(words[-1])


def discover_concepts(doc: Doc, is_offtopic, taken: list[Mention]) -> list[Mention]:
    """Mentions of the article's recurring concepts outside off-topic text and outside
    ``taken`` (the mentions already found)."""
    text = text_of(doc)
    _, _, min_count = _stop_lists()
    occupied = [(m.span.start, m.span.end) for m in taken]
    uses, roles = defaultdict(list), defaultdict(set)
    for chunk in doc.noun_chunks:
        found = _phrase(chunk)
        if found is None or is_offtopic(*found):
            continue
        start, end = found
        if any(a < end and start < b for a, b in occupied):
            continue
        name = " ".join(text[start:end].split()).lower()
        uses[name].append((start, end))
        roles[name].add(chunk.root.dep_)
    known = {m.entity.key for m in taken}
    mentions = []
    for name, spans in uses.items():
        key = entity_key(name)
        if len(spans) < min_count or not roles[name] & _ROLES or key in known:
            continue
        entity = Entity(key, name, "Concept", (), None, "discovered")
        mentions += [Mention(Span(a, b, text[a:b]), entity) for a, b in spans]
    return sorted(mentions, key=lambda m: m.span.start)
