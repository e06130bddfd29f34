"""Load the extractor's data files (gazetteer and cue lexicons) once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

from ..errors import ArgmapError
from ..model import ENTITY_TYPES, Entity

__all__ = ["Lexicon", "lexicon", "phrase_regex", "entity_key"]


def entity_key(label: str) -> str:
    """The key (and IRI slug) of an entity: its label, lower-cased and hyphenated.

    >>> entity_key("Fireworks AI")
    'fireworks-ai'
    """
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "entity"


def phrase_regex(phrases: list[str]) -> re.Pattern:
    """One case-insensitive regex matching any phrase on word boundaries, longest first.
    Contractions ("'ll", "’ll") match right after a word, as they are written.

    >>> bool(phrase_regex(["’ll", "will"]).search("they’ll win"))
    True
    >>> bool(phrase_regex(["will"]).search("goodwill"))
    False
    """
    parts = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    words = "|".join(re.escape(p) for p in parts if p[:1] not in "'’") or r"(?!x)x"
    clitics = "|".join(re.escape(p) for p in parts if p[:1] in "'’") or r"(?!x)x"
    return re.compile(rf"(?<![\w'’-])(?:{words})(?![\w-])|(?<=\w)(?:{clitics})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class GazetteerEntry:
    entity: Entity
    camp: str | None
    case_sensitive: bool
    noun_only: bool = False  # "compute" is a concept as a noun only ("demand for compute", not "to compute")


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[GazetteerEntry, ...]
    model_families: tuple[str, ...]
    cues: dict
    product_shapes: tuple[str, ...] = ()

    def by_key(self) -> dict[str, GazetteerEntry]:
        return {e.entity.key: e for e in self.entries}


def _read_yaml(name: str) -> dict:
    try:
        return yaml.safe_load((files("argmap") / "data" / name).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ArgmapError(f"data file {name} is malformed: {exc}") from None


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    """The gazetteer and cue lexicons shipped in ``argmap/data``."""
    gazetteer = _read_yaml("gazetteer.yaml")
    entries = []
    for raw in gazetteer.get("entities", []):
        if raw.get("type") not in ENTITY_TYPES:
            raise ArgmapError(f"gazetteer entry {raw.get('label')!r} has unknown type {raw.get('type')!r}")
        wikidata = raw.get("wikidata")
        entity = Entity(
            key=entity_key(raw["label"]),
            label=raw["label"],
            type=raw["type"],
            aliases=tuple(str(a) for a in raw.get("aliases", []) or []),
            same_as=f"http://www.wikidata.org/entity/{wikidata}" if wikidata else None,
        )
        entries.append(GazetteerEntry(entity, raw.get("camp"), bool(raw.get("case_sensitive")),
                                      bool(raw.get("noun_only"))))
    return Lexicon(tuple(entries), tuple(gazetteer.get("model_families", [])), _read_yaml("cues.yaml"),
                   tuple(gazetteer.get("product_shapes", [])))
