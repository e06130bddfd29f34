"""Gold annotations: load ``<stem>.gold.yaml`` files and turn their quotes into spans.

The file format is described in the project's gold ``FORMAT.md``: an
``article`` header, then ``entities``, ``forecasts``, ``claims``,
``relations``, ``duplicates`` and ``offtopic``, every quote an exact
substring of the article body.  :func:`load_gold` reads one file into a
frozen :class:`Gold`; :func:`locate` finds a quote in a body (or raises
:class:`~argmap.errors.GoldError` naming file and quote) and
:func:`offtopic_regions` derives the off-topic character ranges the scorer uses.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..corpus.articles import parse_date
from ..errors import ArgmapError, GoldError

__all__ = ["Gold", "GoldEntity", "GoldClaim", "GoldForecast", "GoldRelation", "GoldDuplicate",
           "load_gold", "parse_gold", "locate", "offtopic_regions", "file_stem"]


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldClaim:
    quote: str
    camp: str | None = None
    key: bool = False


@dataclass(frozen=True)
class GoldForecast:
    quote: str
    camp: str | None = None
    confidence: str | None = None
    horizon: tuple[int, int] | None = None  # (start, end) calendar years; None: no time stated
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldRelation:
    source: str  # quote ("from")
    target: str  # quote ("to")
    type: str    # supports | contrasts


@dataclass(frozen=True)
class GoldDuplicate:
    quote: str
    other_file: str
    other_quote: str


@dataclass(frozen=True)
class Gold:
    """One gold file: the article it annotates and what the graph should hold."""

    path: str
    file: str
    title: str = ""
    date: _dt.date | None = None
    entities: tuple[GoldEntity, ...] = ()
    claims: tuple[GoldClaim, ...] = ()
    forecasts: tuple[GoldForecast, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    duplicates: tuple[GoldDuplicate, ...] = ()
    offtopic: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return Path(self.path).name


def file_stem(name: str) -> str:
    """The stem used to match gold and corpus files.

    >>> file_stem("001_x.txt") == file_stem("corpus/001_x.md")
    True
    """
    return Path(str(name)).stem


def _items(data: dict, key: str, where: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise GoldError(f"{where}: '{key}' must be a list")
    for item in value:
        if not isinstance(item, dict):
            raise GoldError(f"{where}: every item of '{key}' must be a mapping")
    return value


def _text(item: dict, key: str, where: str, section: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise GoldError(f"{where}: an item of '{section}' needs a text '{key}'")
    return value


def _horizon(value, where: str) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return int(value["start"]), int(value["end"])
    except (TypeError, KeyError, ValueError):
        raise GoldError(f"{where}: a forecast horizon must be null or {{start: YEAR, end: YEAR}}") from None


def parse_gold(text: str, path: str = "<gold>") -> Gold:
    """Parse the YAML text of a gold file.

    >>> g = parse_gold("article: {file: 001_x.txt}\\nclaims:\\n- {quote: Open wins., camp: open}\\n")
    >>> (g.file, g.claims[0].camp, g.claims[0].key)
    ('001_x.txt', 'open', False)
    """
    where = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GoldError(f"{where}: unreadable YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or not isinstance(data.get("article"), dict):
        raise GoldError(f"{where}: a gold file is a mapping with an 'article' section")
    head = data["article"]
    if not head.get("file") and not head.get("title"):
        raise GoldError(f"{where}: 'article' needs a 'file' (or a 'title' and 'date')")
    try:
        date = parse_date(head.get("date"))
    except ArgmapError as exc:
        raise GoldError(f"{where}: {exc}") from None
    entities = tuple(
        GoldEntity(_text(e, "name", where, "entities"), str(e.get("type") or ""),
                   tuple(str(a) for a in (e.get("aliases") or ())))
        for e in _items(data, "entities", where))
    claims = tuple(GoldClaim(_text(c, "quote", where, "claims"), c.get("camp"), bool(c.get("key")))
                   for c in _items(data, "claims", where))
    forecasts = tuple(
        GoldForecast(_text(f, "quote", where, "forecasts"), f.get("camp"), f.get("confidence"),
                     _horizon(f.get("horizon"), where), tuple(str(s) for s in (f.get("subject") or ())))
        for f in _items(data, "forecasts", where))
    relations = tuple(
        GoldRelation(_text(r, "from", where, "relations"), _text(r, "to", where, "relations"),
                     _text(r, "type", where, "relations"))
        for r in _items(data, "relations", where))
    duplicates = tuple(
        GoldDuplicate(_text(d, "quote", where, "duplicates"), _text(d, "other_file", where, "duplicates"),
                      _text(d, "other_quote", where, "duplicates"))
        for d in _items(data, "duplicates", where))
    offtopic = tuple(_text(o, "quote", where, "offtopic") for o in _items(data, "offtopic", where))
    return Gold(where, str(head.get("file") or ""), str(head.get("title") or ""), date,
                entities, claims, forecasts, relations, duplicates, offtopic)


def load_gold(path: Path) -> Gold:
    """Read one ``<stem>.gold.yaml`` file; :class:`GoldError` if it is unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read gold file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_gold(text, str(path))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def locate(body: str, quote: str, gold: Gold | str = "<gold>", article: str = "") -> tuple[int, int]:
    """The span of ``quote`` in ``body`` (first occurrence), or :class:`GoldError`.

    >>> locate("Open wins. Closed loses.", "Closed loses.")
    (11, 24)
    """
    start = body.find(quote)
    if start < 0:
        name = gold.name if isinstance(gold, Gold) else gold
        raise GoldError(f"{name}: quote not found in {article or 'the article body'}: {_short(quote)!r}")
    return start, start + len(quote)


def offtopic_regions(body: str, gold: Gold) -> list[tuple[int, int]]:
    """Sorted, merged character ranges that the gold marks off-topic.

    An off-topic quote that opens a line (starts at its first non-space
    character) covers that line and the following ones, up to the next line
    that holds the located start of a gold claim or forecast; a quote inside a
    line (or opening a line that itself holds a gold claim or forecast) covers
    only itself.

    >>> body = "Claim one.\\nTopics\\n- a\\n- b\\nClaim two. Share this.\\nFooter"
    >>> g = Gold("g", "x", claims=(GoldClaim("Claim one."), GoldClaim("Claim two.")),
    ...          offtopic=("Topics", "Share this.", "Footer"))
    >>> [body[s:e] for s, e in offtopic_regions(body, g)]
    ['Topics\\n- a\\n- b\\n', 'Share this.', 'Footer']
    """
    starts = sorted(locate(body, q, gold)[0] for q in [c.quote for c in gold.claims]
                    + [f.quote for f in gold.forecasts])
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
    held = {body.rfind("\n", 0, s) + 1 for s in starts}  # lines holding a gold claim/forecast
    regions = []
    for quote in gold.offtopic:
        start, end = locate(body, quote, gold)
        line = body.rfind("\n", 0, start) + 1
        opens = body[line:start].strip() == ""
        if opens and line not in held:
            following = [ls for ls in line_starts if ls > line and ls in held]
            end = max(end, following[0] if following else len(body))
            start = line
        regions.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
