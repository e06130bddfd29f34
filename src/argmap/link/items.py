"""The items of a linked corpus: one per entity, one per claim (text, consensus camp,
source count), an ``isKey`` flag per key claim, and one per restatement, each a JSON
string holding its identity and its data.

The state database keeps linking item by item (:mod:`argmap.link.state`), and the links
file is patched item by item (:mod:`argmap.workspace.linksfile`);
:func:`argmap.graph.links_graph` gives each item its own triples.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from ..model import Article, Claim, Entity, Extraction, LinkedCorpus, Restatement, Span, claim_key

__all__ = ["entity_item", "claim_items", "restatement_item", "link_items", "linked_from_items"]


def entity_item(entity: Entity) -> str:
    return json.dumps(["e", dataclasses.asdict(entity)], sort_keys=True)


def claim_items(key: str, text: str, camp: str, confidence: float, sources: int, keyed: bool) -> list[str]:
    found = [json.dumps(["c", key, text, camp, confidence, sources])]
    if keyed:
        found.append(json.dumps(["k", key, text]))
    return found


def restatement_item(r: Restatement) -> str:
    return json.dumps(["r", r.source, r.target, r.similarity])


def link_items(linked: LinkedCorpus) -> set[str]:
    """The items of a linked corpus, each a JSON string (its identity and its data)."""
    keyed = {claim_key(c.span.quote) for e in linked.extractions for c in e.claims if c.key}
    found = {entity_item(e) for e in linked.entities}
    for key, text in linked.claim_texts.items():
        camp, confidence = linked.claim_camps[key]
        found.update(claim_items(key, text, camp, confidence, linked.claim_sources.get(key, 1), key in keyed))
    found |= {restatement_item(r) for r in linked.restatements}
    return found


def linked_from_items(items: Iterable[str]) -> LinkedCorpus:
    """A linked corpus holding just these items, for :func:`argmap.graph.links_graph`."""
    entities, texts, camps, sources, keyed, restated = [], {}, {}, {}, [], []
    for item in items:
        kind, *data = json.loads(item)
        if kind == "e":
            fields = data[0]
            entities.append(Entity(**{**fields, "aliases": tuple(fields["aliases"])}))
        elif kind == "c":
            key, text, camp, confidence, count = data
            texts[key], camps[key], sources[key] = text, (camp, confidence), count
        elif kind == "k":
            # links_graph flags the claims marked key in the extractions: one such claim per
            # item, whose text (the claim's canonical text) has the item's key.
            key, quote = data
            keyed.append(Claim(Span(0, len(quote), quote), "both", 0.0, key=True))
        elif kind == "r":
            restated.append(Restatement(*data))
    extractions = (Extraction(Article("-", "-", "-"), claims=tuple(keyed)),) if keyed else ()
    return LinkedCorpus(extractions, tuple(entities), tuple(restated), camps, texts, sources)
