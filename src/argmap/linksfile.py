"""The links graph file (``<graphs>/links.trig``), updated item by item.

The links graph is a union of independent items — one description per entity, one
per claim (text, consensus camp, source count), an ``isKey`` flag per key claim, and
one relation per restatement — and :func:`argmap.graph.links_graph` gives each item
its own triples.  It grows with the corpus (restatements grow with claims x
articles), so a change does not rebuild it: the items of the new linked corpus are
compared with those the file was written from (``links-items.json``), the triples of
the removed items are taken out, those of the added items put in, and the sorted
N-Triples lines are written back inside one graph block.  Only the changed items go
through rdflib.  Anything unexpected (missing or mismatched files, other rules) falls
back to writing the whole graph.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .fsutil import atomic_write_text
from .model import Article, Claim, Entity, Extraction, LinkedCorpus, Restatement, Span, claim_key

__all__ = ["link_items", "item_lines", "claim_lines", "LinksUpdate", "update_links", "write_links", "read_lines"]


def _claim_items(linked: LinkedCorpus, keys: Iterable[str], keyed: set[str]) -> set[str]:
    found = set()
    for key in keys:
        camp, confidence = linked.claim_camps[key]
        text = linked.claim_texts[key]
        found.add(json.dumps(["c", key, text, camp, confidence, linked.claim_sources.get(key, 1)]))
        if key in keyed:
            found.add(json.dumps(["k", key, text]))
    return found


def _keyed(linked: LinkedCorpus) -> set[str]:
    return {claim_key(c.span.quote) for e in linked.extractions for c in e.claims if c.key}


def link_items(linked: LinkedCorpus) -> set[str]:
    """The items of a linked corpus, each a JSON string (its identity and its data)."""
    found = {json.dumps(["e", dataclasses.asdict(e)], sort_keys=True) for e in linked.entities}
    found |= _claim_items(linked, linked.claim_texts, _keyed(linked))
    found |= {json.dumps(["r", r.source, r.target, r.similarity]) for r in linked.restatements}
    return found


def claim_lines(linked: LinkedCorpus, keys: Iterable[str]) -> set[str]:
    """The N-Triples lines describing some claims in the links graph."""
    return item_lines(_claim_items(linked, [k for k in keys if k in linked.claim_texts], _keyed(linked)))


def _linked(items: Iterable[str]) -> LinkedCorpus:
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


def _nt(graph) -> set[str]:
    return {line for line in graph.serialize(format="nt").split("\n") if line.strip()}


def item_lines(items: Iterable[str]) -> set[str]:
    """The N-Triples lines of some items."""
    from .graph import links_graph

    items = list(items)
    return _nt(links_graph(_linked(items))) if items else set()


@dataclasses.dataclass(frozen=True)
class LinksUpdate:
    """The new content of links.trig and what changed."""

    lines: frozenset[str]
    items: frozenset[str]
    added: frozenset[str]  # the lines of the new and changed items (whole descriptions): what to validate
    incremental: bool


def _digest(sorted_lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted_lines).encode("utf-8")).hexdigest()


def read_lines(path: Path) -> tuple[str | None, set[str]] | None:
    """(digest, lines) of a links.trig written by :func:`write_links`; None if unusable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    head, _, rest = text.partition("\n")
    parts = head.split()
    if len(parts) != 4 or parts[:3] != ["#", "argmap-graph", "links"]:
        return None
    opening, _, body = rest.partition("\n")
    if not opening.endswith("{") or not body.endswith("}\n"):
        return None
    return parts[3], {line for line in body[:-2].split("\n") if line.strip()}


def update_links(linked: LinkedCorpus, links_path: Path, items_path: Path, rules: str, *,
                 reuse: bool = True) -> LinksUpdate:
    """The links graph of ``linked``, computed from the previous file where it can be
    (``reuse=False``: from scratch)."""
    new_items = link_items(linked)
    previous = read_lines(links_path) if reuse else None
    try:
        state = json.loads(Path(items_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = None
    # Both files are written atomically and name the digest of the lines, so equal
    # digests mean the items describe exactly these lines.
    if (previous is not None and isinstance(state, dict) and state.get("rules") == rules
            and state.get("digest") == previous[0]):
        old_items = set(state.get("items", []))
        removed, added_items = old_items - new_items, new_items - old_items
        # Items never share triples, so taking out the removed items' lines and then
        # putting in the added ones (a changed item is both) gives the new graph.
        lines = (previous[1] - item_lines(removed))
        added = item_lines(added_items)
        return LinksUpdate(frozenset(lines | added), frozenset(new_items), frozenset(added), True)
    from .graph import links_graph

    lines = _nt(links_graph(linked))
    return LinksUpdate(frozenset(lines), frozenset(new_items), frozenset(lines), False)


def write_links(update: LinksUpdate, links_path: Path, items_path: Path, rules: str) -> None:
    """Write links.trig and the item list it was made from (both name the same digest)."""
    from .vocab import LINKS_GRAPH

    lines = sorted(update.lines)
    digest = _digest(lines)
    atomic_write_text(Path(items_path), json.dumps({"rules": rules, "digest": digest, "items": sorted(update.items)},
                                                   ensure_ascii=False))
    body = "".join(line + "\n" for line in lines)
    atomic_write_text(Path(links_path), f"# argmap-graph links {digest}\n{LINKS_GRAPH.n3()} {{\n{body}}}\n")
