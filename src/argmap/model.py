"""The document model: frozen dataclasses passed from stage to stage.

``corpus`` produces :class:`Article`; ``extract`` turns each into an
:class:`Extraction`; ``link`` turns a list of extractions into a
:class:`LinkedCorpus`; ``graph`` turns that into RDF.  Every extracted record
carries a :class:`Span` whose ``quote`` is exactly ``article.body[start:end]``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field

__all__ = [
    "CAMPS",
    "CONFIDENCES",
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "Article",
    "Span",
    "Entity",
    "Mention",
    "Claim",
    "Quantity",
    "Forecast",
    "Relation",
    "OffTopic",
    "Extraction",
    "Restatement",
    "LinkedCorpus",
    "claim_key",
]

CAMPS = ("closed", "open", "both")
CONFIDENCES = ("certain", "likely", "possible")
ENTITY_TYPES = ("Organization", "Person", "Product", "Place", "Concept")
RELATION_TYPES = ("supports", "contrasts", "restates")


@dataclass(frozen=True)
class Article:
    """One corpus document: front matter plus the untouched body text."""

    id: str
    title: str
    body: str
    file: str = ""
    date: _dt.date | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    kind: str = "article"

    @property
    def content_hash(self) -> str:
        """SHA-256 of the body: the identity used to detect re-adds."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    @property
    def year(self) -> int:
        """The publication year, or this year when the date is unknown."""
        return (self.date or _dt.date.today()).year


@dataclass(frozen=True)
class Span:
    """A character range of an article body; ``quote == body[start:end]``."""

    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, body: str, start: int, end: int) -> "Span":
        """Build a span from offsets, taking the quote from the body.

        >>> Span.of("Open models win.", 0, 11)
        Span(start=0, end=11, quote='Open models')
        """
        return cls(start, end, body[start:end])

    def overlaps(self, other: "Span") -> int:
        """Number of characters shared with ``other``."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class Entity:
    """A canonical thing of the map: a lab, a product, a person, a concept."""

    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    same_as: str | None = None
    source: str = "gazetteer"  # gazetteer | ner | pattern | discovered


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in an article."""

    span: Span
    entity: Entity


@dataclass(frozen=True)
class Quantity:
    """A predicted amount, e.g. "$2-10T" is 2e12..1e13 USD."""

    span: Span
    min_value: float
    max_value: float
    unit: str = "USD"
    per: str | None = None  # "month", "year", ... for rates


@dataclass(frozen=True)
class Claim:
    """An assertion that carries the argument."""

    span: Span
    camp: str
    camp_confidence: float
    paragraph: int = 0
    key: bool = False
    salience: float = 0.0
    entities: tuple[str, ...] = ()  # entity keys mentioned in the span
    quantities: tuple["Quantity", ...] = ()  # amounts the claim states, as typed values


@dataclass(frozen=True)
class Forecast:
    """A statement about the future, with horizon and confidence."""

    span: Span
    camp: str
    confidence: str
    confidence_cue: str | None = None
    horizon_start: int | None = None
    horizon_end: int | None = None
    horizon_phrase: str | None = None
    subjects: tuple[str, ...] = ()  # entity keys
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A directed link between two claims of one article (by span)."""

    source: Span
    target: Span
    type: str  # supports | contrasts
    cue: str | None = None


@dataclass(frozen=True)
class OffTopic:
    """A stretch of the article that is not part of the argument."""

    span: Span
    reason: str


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()
    forecasts: tuple[Forecast, ...] = ()
    relations: tuple[Relation, ...] = ()
    offtopic: tuple[OffTopic, ...] = ()


@dataclass(frozen=True)
class Restatement:
    """Two distinct claims that say nearly the same thing."""

    source: str  # claim key
    target: str  # claim key
    similarity: float


@dataclass(frozen=True)
class LinkedCorpus:
    """The result of cross-article linking."""

    extractions: tuple[Extraction, ...]
    entities: tuple[Entity, ...] = ()
    restatements: tuple[Restatement, ...] = ()
    claim_camps: dict[str, tuple[str, float]] = field(default_factory=dict)
    claim_texts: dict[str, str] = field(default_factory=dict)
    claim_sources: dict[str, int] = field(default_factory=dict)


_FOLD = re.compile(r"[^a-z0-9]+")
_FOOTNOTE = re.compile(r"(?<=[a-z])\d+\b")


def claim_key(text: str) -> str:
    """A claim's identity: a hash of its text with case, punctuation and
    footnote markers folded, so a word-for-word repeat is the same claim.

    >>> claim_key("Open models win.") == claim_key("open models win")
    True
    >>> claim_key("coding agents1 have shown") == claim_key("coding agents have shown")
    True
    """
    folded = _FOLD.sub(" ", _FOOTNOTE.sub("", text.lower())).strip()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]
