"""The update state: one SQLite database, ``<graphs>/state.sqlite``.

It holds what lets a change cost what the change touches rather than what the
corpus holds: the linking state (:mod:`argmap.link.state`) and the page's map data
(:mod:`argmap.workspace.mapstate`).  Both are functions of the set of articles (with their
keys) they record, so a database that is behind or ahead of the corpus — a change
died half way, articles were edited by hand — is brought in line by the same delta
as any change.  A change runs in one transaction, opened before anything is
computed and committed only once the result is validated: a failed change leaves
the file as it was.  A database made by other code (``rules``: its tables may differ)
or that cannot be read is replaced by an empty one, which the next change fills.
"""

from __future__ import annotations

import contextlib
import sqlite3
from functools import lru_cache
from pathlib import Path

__all__ = ["connect", "get_meta", "set_meta", "rules", "reset", "record_assembled", "read_assembled", "assembled"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
-- argmap.link.state
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, key TEXT, claims INT, forecasts INT, title TEXT)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS appearances (claim TEXT, article TEXT, pos INT, quote TEXT, camp TEXT,
    confidence REAL, is_key INT, entities TEXT, PRIMARY KEY (claim, article, pos)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS appearances_article ON appearances (article);
CREATE TABLE IF NOT EXISTS variants (entity TEXT, article TEXT, pos INT, data TEXT, count INT,
    PRIMARY KEY (entity, article, pos)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS variants_article ON variants (article);
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, quote TEXT, words TEXT, entities TEXT, sources TEXT,
    npicks INT, min_score REAL, min_partner TEXT) WITHOUT ROWID;
-- Each scored pair twice, once from each end: a claim's candidates are one range, and
-- a new claim's rows are written together (an index on the other end would scatter them).
CREATE TABLE IF NOT EXISTS pairs (claim TEXT, other TEXT, score REAL, PRIMARY KEY (claim, other)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS picks (claim TEXT, partner TEXT, score REAL, PRIMARY KEY (claim, partner)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS picks_partner ON picks (partner);
-- Restatements between two versions of one text (argmap.link.align), by article pair.
CREATE TABLE IF NOT EXISTS aligned (a TEXT, b TEXT, claim TEXT, other TEXT, score REAL,
    PRIMARY KEY (a, b, claim, other)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aligned_b ON aligned (b);
CREATE INDEX IF NOT EXISTS aligned_claim ON aligned (claim, other);
CREATE TABLE IF NOT EXISTS items (name TEXT PRIMARY KEY, item TEXT) WITHOUT ROWID;
-- argmap.workspace.mapstate
CREATE TABLE IF NOT EXISTS map_sources (source TEXT PRIMARY KEY, key TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS node_facts (node TEXT, source TEXT, type TEXT, data TEXT,
    PRIMARY KEY (node, source, type)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_facts_source ON node_facts (source);
CREATE TABLE IF NOT EXISTS edge_facts (u TEXT, v TEXT, kind TEXT, source TEXT, tag TEXT, data TEXT,
    PRIMARY KEY (u, v, kind, source, tag)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_facts_source ON edge_facts (source);
CREATE INDEX IF NOT EXISTS edge_facts_v ON edge_facts (v);
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, kind TEXT, camp TEXT, attrs TEXT, importance REAL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_rank ON nodes (importance DESC, id);
CREATE TABLE IF NOT EXISTS edges (u TEXT, v TEXT, kind TEXT, attrs TEXT, PRIMARY KEY (u, v, kind)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_v ON edges (v, kind);
CREATE TABLE IF NOT EXISTS positions (id TEXT PRIMARY KEY, x REAL, y REAL, camp TEXT, footprint TEXT) WITHOUT ROWID;
-- The articles argmap.trig was last assembled from, with the keys of their files and their
-- counts (argmap list); written after the assembly, in a transaction of its own.
CREATE TABLE IF NOT EXISTS assembled (id TEXT PRIMARY KEY, hash TEXT, extraction_key TEXT, graph_key TEXT,
    claims INT, forecasts INT) WITHOUT ROWID;
"""

_TABLES = ("meta", "articles", "appearances", "variants", "claims", "pairs", "picks", "aligned", "items", "map_sources",
           "node_facts", "edge_facts", "nodes", "edges", "positions", "assembled")


# The code the state is made by (globs relative to the argmap package, as in graphdir).
STATE_SOURCES = ("workspace/statedb.py", "link/state.py", "link/items.py", "workspace/linksfile.py", "view/mapfacts.py",
                 "workspace/mapstate.py")


@lru_cache(maxsize=1)
def rules() -> str:
    """Identifies the code the state was made by (linking, items, graphs, the map)."""
    from .graphdir import _hash, _sources, graph_fingerprint, link_fingerprint

    return _hash(link_fingerprint(), graph_fingerprint(),
                 *_sources(*STATE_SOURCES))


def _open(path: Path) -> sqlite3.Connection:
    # Transactions are opened and closed by hand (BEGIN IMMEDIATE ... COMMIT/ROLLBACK).
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=60)
    conn.execute("PRAGMA synchronous = FULL")
    # Big enough that a change never spills pages to the file before it commits.
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def _remove(path: Path) -> None:
    for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()


def connect(path: Path, *, renew: bool = True) -> sqlite3.Connection | None:
    """Open the state database.  One made by other code (its tables may differ) or that
    cannot be read is replaced by an empty one — it only ever holds what can be made
    again from the corpus, and a change fills it — or, with ``renew=False``, not
    opened (None)."""
    path = Path(path)
    try:
        conn = _open(path)
        made_by = conn.execute("SELECT value FROM meta WHERE name = 'rules'").fetchone()
        if made_by is not None and made_by[0] == rules():
            return conn
        conn.close()
    except sqlite3.DatabaseError:  # not a database, or no meta table yet
        pass
    if not renew:
        return None
    _remove(path)
    conn = _open(path)
    conn.executescript(_SCHEMA)
    set_meta(conn, "rules", rules())
    return conn


def get_meta(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))


def reset(conn: sqlite3.Connection) -> None:
    """Empty every table (inside the caller's transaction)."""
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    set_meta(conn, "rules", rules())


def record_assembled(conn: sqlite3.Connection, entries: dict[str, tuple[str, str, str]], key_rules: str) -> None:
    """Record that argmap.trig now holds exactly these articles: id → (hash of its fields,
    extraction key, graph key), with ``key_rules`` (the extractor and model the keys were
    made with).  The counts come from the linking state of the same articles."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM assembled")
        counts = {row[0]: row[1:] for row in conn.execute("SELECT id, claims, forecasts FROM articles")}
        conn.executemany("INSERT INTO assembled VALUES (?, ?, ?, ?, ?, ?)",
                         [(id_, *entry, *counts.get(id_, (None, None))) for id_, entry in entries.items()])
        set_meta(conn, "assembled_keys", key_rules)
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def read_assembled(path: Path) -> tuple[str | None, dict[str, dict]]:
    """What :func:`record_assembled` recorded: (key rules, {id: {hash, keys, claims,
    forecasts}}); nothing for a database that is missing or made by other code."""
    if not Path(path).exists():
        return None, {}
    conn = connect(path, renew=False)
    if conn is None:
        return None, {}
    try:
        return assembled(conn)
    finally:
        conn.close()


def assembled(conn: sqlite3.Connection) -> tuple[str | None, dict[str, dict]]:
    """:func:`read_assembled` on an open database."""
    rows = conn.execute("SELECT id, hash, extraction_key, graph_key, claims, forecasts FROM assembled").fetchall()
    return get_meta(conn, "assembled_keys"), {
        id_: {"hash": hash_, "keys": (ekey, gkey), "claims": claims, "forecasts": forecasts}
        for id_, hash_, ekey, gkey, claims, forecasts in rows}
