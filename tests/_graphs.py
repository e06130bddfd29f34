"""Helpers for tests that build small graphs by hand (no spaCy)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import yaml

from argmap.graph import to_dataset
from argmap.link import link
from argmap.model import (Article, Claim, Entity, Extraction, Forecast, Mention, Relation, Restatement, Span,
                          claim_key)

DATE = dt.date(2026, 6, 1)


def article(article_id: str, body: str, title: str | None = None, date: dt.date | None = DATE) -> Article:
    return Article(id=article_id, title=title or f"Title of {article_id}", body=body,
                   file=f"{article_id}.md", date=date)


def span(body: str, quote: str) -> Span:
    start = body.index(quote)
    return Span.of(body, start, start + len(quote))


def claim(body: str, quote: str, camp: str = "open", key: bool = False) -> Claim:
    return Claim(span(body, quote), camp, 0.9, key=key)


def forecast(body: str, quote: str, camp: str = "open", confidence: str = "likely",
             horizon: tuple[int, int] | None = None) -> Forecast:
    start, end = horizon or (None, None)
    return Forecast(span(body, quote), camp, confidence, horizon_start=start, horizon_end=end)


def relation(body: str, source: str, target: str, kind: str) -> Relation:
    return Relation(span(body, source), span(body, target), kind)


def entity(label: str, type_: str = "Organization", aliases: tuple[str, ...] = (), key: str | None = None) -> Entity:
    return Entity(key or label.lower().replace(" ", "-"), label, type_, aliases)


def mention(body: str, quote: str, ent: Entity) -> Mention:
    return Mention(span(body, quote), ent)


def dataset(*extractions: Extraction, restates: tuple[tuple[str, str], ...] = ()):
    """The RDF dataset of the extractions; ``restates`` joins claim texts by arg:restates exactly."""
    linked = link(list(extractions))
    linked = dataclasses.replace(linked, restatements=tuple(
        Restatement(claim_key(a), claim_key(b), 0.9) for a, b in restates))
    return to_dataset(linked)


def write_gold(folder: Path, stem: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.gold.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
