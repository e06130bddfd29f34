"""Linking kept up to date article by article, for ``argmap add``/``remove``/``sync``.

:func:`argmap.link.link` links a whole corpus at once.  Here the same result lives in
the state database (:mod:`argmap.workspace.statedb`) and a delta — articles out, articles in —
redoes only what it can change:

* ``appearances`` (each claim of each article) and ``variants`` (each entity
  description an article uses, with its mention count) give the description of
  the claims and entities the delta touches: text, consensus camp, sources and key
  flag; the merged entity;
* a claim whose scoring input (text and entities of its first appearance) changed
  is scored against every current claim: the one pass over the corpus, in C.  Pairs
  that reach the threshold are kept in ``pairs`` (from both ends);
* each claim's partners (``picks``: its best per article, then the best overall,
  :func:`argmap.link.best_partners`) are chosen again only where the delta can change
  them: the touched claims, the claims that had picked one of them, and the claims
  for which a touched claim now scores at least as well as their weakest pick (or
  that have room for more picks).  The others keep theirs: taking out a candidate
  that is not a pick, or adding one below the weakest of a full set of picks, leaves
  every pick among the best of its article and the best overall.  Choosing walks a
  claim's candidates best first and stops at its last pick;
* two versions of one text (the same title) are aligned claim by claim
  (:func:`argmap.link.align`) when either comes in; the pairs are kept in ``aligned``
  by article pair and go with either article;
* restatements are the picked pairs and the aligned ones.  The links items (:mod:`argmap.workspace.linksfile`) of
  everything touched are compared with the stored ones: the result is the items
  that went and came.

The result equals :func:`argmap.link.link` over the recorded articles
(tests/test_update.py checks it on random sequences of changes).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Entity, Extraction, Restatement, claim_key
from . import rules as _link
from .items import claim_items, entity_item, restatement_item

__all__ = ["LinkDelta", "members", "apply", "all_items", "claim_items_of", "totals"]

_SEP = "\x1f"  # joins entity keys and article ids (neither can contain it)
# A claim's candidates (?1): the claims it is paired with, their score and sources.
_NEIGHBOURS = ("SELECT n.other, n.score, c.sources FROM pairs AS n JOIN claims AS c ON c.key = n.other "
               "WHERE n.claim = ?1")
# A claim's candidates best first (ties: the higher key first, as argmap.link ranks them).
_CANDIDATES = "SELECT other, score FROM pairs WHERE claim = ? ORDER BY score DESC, other DESC"
# The claims for which ?1 is a candidate at least as good as their weakest pick, or that
# have room for more picks (?2 is the most a claim keeps).
_OUTRANKED = _NEIGHBOURS + (" AND (c.npicks < ?2 OR n.score > c.min_score "
                            "OR (n.score = c.min_score AND ?1 > c.min_partner))")


@dataclass(frozen=True)
class LinkDelta:
    """The links items that went (old versions of changed items too) and came."""

    removed: frozenset[str]
    added: frozenset[str]


@dataclass(frozen=True)
class _Claim:
    quote: str
    entities: str  # sorted entity keys joined by _SEP: with the quote, what the score depends on
    sources: tuple[str, ...]
    camp: tuple[str, float]
    keyed: bool


def _split(text: str | None) -> list[str]:
    return text.split(_SEP) if text else []


def members(conn: sqlite3.Connection) -> dict[str, str]:
    """Article id → extraction key of the articles the state describes."""
    return dict(conn.execute("SELECT id, key FROM articles"))


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    articles, claims, forecasts = conn.execute(
        "SELECT count(*), coalesce(sum(claims), 0), coalesce(sum(forecasts), 0) FROM articles").fetchone()
    restated = conn.execute("SELECT count(*) FROM items WHERE name >= 'r:' AND name < 'r;'").fetchone()[0]
    return {"articles": articles, "claims": claims, "forecasts": forecasts, "restatements": restated}


def all_items(conn: sqlite3.Connection) -> set[str]:
    return {item for (item,) in conn.execute("SELECT item FROM items")}


def claim_items_of(conn: sqlite3.Connection, keys: Iterable[str]) -> set[str]:
    """The items describing these claims (text, camp, key flag)."""
    found = set()
    for key in keys:
        found.update(item for (item,) in conn.execute("SELECT item FROM items WHERE name IN (?, ?)",
                                                      (f"c:{key}", f"k:{key}")))
    return found


# ---------------------------------------------------------------- the delta

def apply(conn: sqlite3.Connection, removed: Iterable[str], added: Iterable[tuple[Extraction, str]]) -> LinkDelta:
    """Take the ``removed`` article ids out of the state and put the ``added``
    (extraction, extraction key) in, inside the caller's transaction."""
    claims, entities = set(), set()
    realigned: set[tuple[str, str]] = set()
    for article_id in removed:
        realigned |= _unalign(conn, article_id)
        claims.update(k for (k,) in conn.execute("SELECT claim FROM appearances WHERE article = ?", (article_id,)))
        entities.update(k for (k,) in conn.execute("SELECT entity FROM variants WHERE article = ?", (article_id,)))
        for table, column in (("appearances", "article"), ("variants", "article"), ("articles", "id")):
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (article_id,))  # noqa: S608
    for extraction, key in added:
        found_claims, found_entities = _insert(conn, extraction, key)
        claims |= found_claims
        entities |= found_entities
    aligned_pairs: set[tuple[str, str]] = set()  # article pairs aligned by this delta
    for extraction, _ in added:
        realigned |= _align(conn, extraction.article.id, aligned_pairs)
    items: dict[str, str | None] = {}
    pairs = _relink(conn, claims, items)
    for pair in realigned:
        pairs.setdefault(pair, _picked(conn, *pair))
    for (a, b), picked in pairs.items():
        scores = [s for s in (picked, _aligned_score(conn, a, b)) if s is not None]
        score = max(scores) if scores else None
        items[f"r:{a}|{b}"] = None if score is None else restatement_item(
            Restatement(a, b, round(min(score, 100.0) / 100.0, 3)))
    for key in entities:
        items[f"e:{key}"] = _entity(conn, key)
    return _store_items(conn, items)


def _insert(conn: sqlite3.Connection, extraction: Extraction, key: str) -> tuple[set[str], set[str]]:
    article_id = extraction.article.id
    rows = [(claim_key(c.span.quote), article_id, pos, c.span.quote, c.camp, c.camp_confidence, int(c.key),
             _SEP.join(c.entities)) for pos, c in enumerate(extraction.claims)]
    conn.executemany("INSERT INTO appearances VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    # An article's mentions, as its distinct entity descriptions in order of first use, counted.
    counts: dict[Entity, int] = {}
    for mention in extraction.mentions:
        counts[mention.entity] = counts.get(mention.entity, 0) + 1
    conn.executemany("INSERT INTO variants VALUES (?, ?, ?, ?, ?)",
                     [(e.key, article_id, pos, json.dumps(dataclasses.asdict(e), sort_keys=True), n)
                      for pos, (e, n) in enumerate(counts.items())])
    conn.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?)",
                 (article_id, key, len(extraction.claims), len(extraction.forecasts), extraction.article.title))
    return {r[0] for r in rows}, {e.key for e in counts}


def _unalign(conn: sqlite3.Connection, article_id: str) -> set[tuple[str, str]]:
    """Drop the alignments of an article that goes; the claim pairs they held."""
    rows = conn.execute("SELECT claim, other FROM aligned WHERE a = ?1 OR b = ?1", (article_id,)).fetchall()
    conn.execute("DELETE FROM aligned WHERE a = ?1 OR b = ?1", (article_id,))
    return {_pair(a, b) for a, b in rows}


def _align(conn: sqlite3.Connection, article_id: str, done: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Align a new article with every recorded version of the same text; ``done`` holds
    the article pairs this delta has aligned (two new versions are aligned once).  A new
    article has no alignments yet: an article that is replaced goes out first.  Returns
    the claim pairs found."""
    def claims_of(article: str) -> list[tuple[str, str]]:
        return conn.execute("SELECT claim, quote FROM appearances WHERE article = ? ORDER BY pos",
                            (article,)).fetchall()

    (title,) = conn.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()
    found = set()
    for other, other_title in conn.execute("SELECT id, title FROM articles WHERE id != ?", (article_id,)).fetchall():
        a, b = sorted((article_id, other))
        if (a, b) in done or not _link.same_text(title, other_title):
            continue
        done.add((a, b))
        rows = [(a, b, *found_pair) for found_pair in _link.align(claims_of(a), claims_of(b))]
        conn.executemany("INSERT OR REPLACE INTO aligned VALUES (?, ?, ?, ?, ?)", rows)
        found |= {_pair(r[2], r[3]) for r in rows}
    return found


def _aligned_score(conn: sqlite3.Connection, a: str, b: str) -> float | None:
    row = conn.execute("SELECT max(score) FROM aligned WHERE (claim = ?1 AND other = ?2) "
                       "OR (claim = ?2 AND other = ?1)", (a, b)).fetchone()
    return row[0]


def _describe(conn: sqlite3.Connection, key: str) -> _Claim | None:
    rows = conn.execute("SELECT article, quote, camp, confidence, is_key, entities FROM appearances "
                        "WHERE claim = ? ORDER BY article, pos", (key,)).fetchall()
    if not rows:
        return None
    _, quote, _, _, _, ents = rows[0]
    return _Claim(quote, _SEP.join(sorted(set(_split(ents)))), tuple(sorted({r[0] for r in rows})),
                  _link.consensus_camp((r[2], r[3]) for r in rows), any(r[4] for r in rows))


def _relink(conn: sqlite3.Connection, touched: set[str], items: dict[str, str | None]
            ) -> dict[tuple[str, str], float | None]:
    """Describe, score and choose partners again for what touching these claims changes;
    fill ``items`` with the claims' items; return the pairs whose restatement may have
    changed, with the new score (None: no longer a restatement)."""
    old = {row[0]: row for key in touched
           for row in conn.execute("SELECT key, quote, entities FROM claims WHERE key = ?", (key,))}
    info = {key: found for key in touched if (found := _describe(conn, key)) is not None}
    gone = [key for key in touched if key not in info and key in old]
    rescored = sorted(k for k, c in info.items() if k not in old or (old[k][1], old[k][2]) != (c.quote, c.entities))
    for key in gone:
        conn.execute("DELETE FROM claims WHERE key = ?", (key,))
    for key in gone + rescored:
        others = [(o, key) for (o,) in conn.execute("SELECT other FROM pairs WHERE claim = ?", (key,))]
        conn.executemany("DELETE FROM pairs WHERE claim = ? AND other = ?", others)
        conn.execute("DELETE FROM pairs WHERE claim = ?", (key,))
    for key, c in info.items():
        camp, confidence = c.camp
        described = claim_items(key, c.quote, camp, confidence, len(c.sources), c.keyed)
        items[f"c:{key}"] = described[0]
        items[f"k:{key}"] = described[1] if c.keyed else None
        if key in old:
            conn.execute("UPDATE claims SET sources = ? WHERE key = ?", (_SEP.join(c.sources), key))
        else:
            conn.execute("INSERT INTO claims VALUES (?, ?, NULL, NULL, ?, 0, NULL, NULL)",
                         (key, c.quote, _SEP.join(c.sources)))
    for key in gone:
        items[f"c:{key}"] = items[f"k:{key}"] = None
    for key in rescored:
        conn.execute("UPDATE claims SET quote = ?, words = ?, entities = ? WHERE key = ?",
                     (info[key].quote, _link.content_words(info[key].quote), info[key].entities, key))
    _score(conn, rescored)
    choose = _to_choose(conn, touched, info)
    changed: set[tuple[str, str]] = set()
    for key in choose | set(gone):
        changed.update(_pair(key, p) for (p,) in conn.execute("SELECT partner FROM picks WHERE claim = ?", (key,)))
        conn.execute("DELETE FROM picks WHERE claim = ?", (key,))
    sources: dict[str, list[str]] = {}
    for key in sorted(choose):
        changed.update(_pair(key, p) for p in _choose(conn, key, sources))
    return {pair: _picked(conn, *pair) for pair in changed}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _score(conn: sqlite3.Connection, new: list[str], chunk: int = 256) -> None:
    """Score the claims ``new`` against every current claim; keep the pairs that reach the threshold."""
    if not new:
        return
    rows = conn.execute("SELECT key, words, entities FROM claims ORDER BY key").fetchall()
    keys = [r[0] for r in rows]
    words = [r[1] for r in rows]
    ents = [frozenset(_split(r[2])) for r in rows]
    at = {k: i for i, k in enumerate(keys)}
    for start in range(0, len(new), chunk):  # in chunks: the matrices are len(chunk) x all claims
        part = [at[k] for k in new[start:start + chunk]]
        found = _link.candidate_scores([words[i] for i in part], [ents[i] for i in part], words, ents,
                                       _link.RESTATE_THRESHOLD)
        both_ways = {}
        for (i, j), score in found.items():
            a, b = keys[part[i]], keys[j]
            if a != b:
                both_ways[(a, b)] = both_ways[(b, a)] = score
        conn.executemany("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)",
                         [(a, b, s) for (a, b), s in both_ways.items()])


def _to_choose(conn: sqlite3.Connection, touched: set[str], info: dict[str, _Claim]) -> set[str]:
    """The claims whose picks the change can alter (see the module docstring)."""
    choose = set(info)
    for key in touched:
        choose.update(c for (c,) in conn.execute("SELECT claim FROM picks WHERE partner = ?", (key,)))
    choose = {key for key in choose if key in info or conn.execute(
        "SELECT 1 FROM claims WHERE key = ?", (key,)).fetchone()}
    total = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    if len(choose) == total:
        return choose
    cap = _link.RESTATES_PER_CLAIM
    for key, claim in info.items():
        for other, _, sources in conn.execute(_OUTRANKED, (key, cap)):
            if other not in choose and not set(claim.sources).intersection(_split(sources)):
                choose.add(other)
    return choose


def _choose(conn: sqlite3.Connection, key: str, sources: dict[str, list[str]]) -> list[str]:
    """Choose and store a claim's partners: :func:`argmap.link.best_partners` over its
    candidates in articles it does not share, walked best first.  ``sources`` caches
    the claims' articles (looked up only for the candidates walked)."""
    own = set(_sources(conn, key, sources))
    per_article, cap = _link.RESTATES_PER_ARTICLE, _link.RESTATES_PER_CLAIM
    seen: dict[str, int] = defaultdict(int)
    picks: list[tuple[str, float]] = []
    if cap > 0:
        for other, score in conn.execute(_CANDIDATES, (key,)):
            articles = _sources(conn, other, sources)
            if own.intersection(articles):
                continue
            # A candidate is among the best `per_article` of one of its articles if fewer
            # candidates came before it there (they are walked best first).
            kept = any(seen[a] < per_article for a in articles)
            for a in articles:
                seen[a] += 1
            if kept:
                picks.append((other, score))
                if len(picks) == cap:
                    break
    conn.executemany("INSERT INTO picks VALUES (?, ?, ?)", [(key, p, s) for p, s in picks])
    weakest = picks[-1] if picks else (None, None)
    conn.execute("UPDATE claims SET npicks = ?, min_score = ?, min_partner = ? WHERE key = ?",
                 (len(picks), weakest[1], weakest[0], key))
    return [p for p, _ in picks]


def _sources(conn: sqlite3.Connection, key: str, cache: dict[str, list[str]]) -> list[str]:
    if key not in cache:
        cache[key] = _split(conn.execute("SELECT sources FROM claims WHERE key = ?", (key,)).fetchone()[0])
    return cache[key]


def _picked(conn: sqlite3.Connection, a: str, b: str) -> float | None:
    for claim, partner in ((a, b), (b, a)):
        row = conn.execute("SELECT score FROM picks WHERE claim = ? AND partner = ?", (claim, partner)).fetchone()
        if row:
            return row[0]
    return None


def _entity(conn: sqlite3.Connection, key: str) -> str | None:
    rows = conn.execute("SELECT data, count FROM variants WHERE entity = ? ORDER BY article, pos", (key,)).fetchall()
    if not rows:
        return None
    variants = []
    for data, count in rows:
        fields = json.loads(data)
        variants.append((Entity(**{**fields, "aliases": tuple(fields["aliases"])}), count))
    return entity_item(_link.merge_variants(variants))


def _store_items(conn: sqlite3.Connection, items: dict[str, str | None]) -> LinkDelta:
    removed, added = set(), set()
    for name, new in items.items():
        row = conn.execute("SELECT item FROM items WHERE name = ?", (name,)).fetchone()
        old = row[0] if row else None
        if old == new:
            continue
        if old is not None:
            removed.add(old)
        if new is None:
            conn.execute("DELETE FROM items WHERE name = ?", (name,))
        else:
            conn.execute("INSERT OR REPLACE INTO items VALUES (?, ?)", (name, new))
            added.add(new)
    return LinkDelta(frozenset(removed), frozenset(added))
