"""Grow and shrink the corpus: add, remove, list and sync, without a full rebuild.

Each change reads the corpus, decides what the corpus will hold afterwards, and
brings the graphs folder to exactly what ``argmap build`` would write for it
(:mod:`argmap.workspace.graphdir` describes the files).  A change costs what it touches, not
what the corpus holds: spaCy runs only on new or changed articles (the others'
extractions stay in their cache, unread); linking is brought up to date by a delta
in the state database (:mod:`argmap.link.state`: the new claims are scored against
the others, and only the partner choices they can change are redone); the links
graph is patched line by line (:mod:`argmap.workspace.linksfile`); only the changed article
graphs and the new links lines are validated; the page's map data is patched the
same way and only new nodes are placed (:mod:`argmap.workspace.mapstate`).  What is left
that grows with the corpus is reading the corpus folder, scoring the new claims
against all claims, and byte-level copying: ``argmap.trig`` is the concatenation
of the article graphs and the links graph.

Write order and crash recovery
------------------------------
Everything runs under ``<graphs>/.argmap.lock``, so changes are serialised.  Within
a change:

1. everything is computed and validated (SHACL), the state database's changes
   inside a transaction that is not yet committed — a bad input or an invalid graph
   stops here, with nothing written but extraction caches (which are keyed by
   content and so never wrong);
2. the journal ``<graphs>/.argmap.journal`` is written;
3. the internal artefacts are written: the changed ``articles/<id>.trig``, the
   state database (commit), ``links.trig`` (nothing reads them but argmap's updates);
4. **commit**: the corpus file is written (or deleted) — one atomic rename (unlink);
5. ``argmap.trig`` (assembled from the artefacts), then the state database records what
   it was assembled from (its own transaction), then the page;
6. the journal is removed, then stale cache and graph files are deleted.

Every file write is atomic (temporary file, fsync, rename).  If the process dies
before step 4 the corpus and ``argmap.trig`` are untouched: the change did not
happen.  If it dies after step 4 the change happened and ``argmap.trig`` may still
be the old one; the journal says so.  Recovery is the same function as every
change: the next ``add``, ``remove``, ``sync`` or ``build`` takes the lock, and
brings the artefacts in line with the corpus as it is — each article graph file
names the key (content + extractor) it was made from, so stale ones are rebuilt,
orphans are deleted and ``argmap.trig`` is assembled again; the state database
records the articles (and keys) it describes, so it is brought to the corpus by the
same delta as a change, and ``links.trig`` names the digest of its lines, so a file
the state does not describe is written again whole.  The same rules pick up
articles edited, added or deleted by hand in the corpus folder.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..corpus.articles import history_path, keep_history, read_corpus, render_article, write_article
from ..errors import ArticleExistsError, CorpusError, GraphError
from ..fsutil import atomic_write_text
from ..link import state as linkstate
from ..model import Article, Extraction, LinkedCorpus
from ..settings import DEFAULT_MAX_CHARS, DEFAULT_MODEL, HTML_NAME, TRIG_NAME
from . import artefacts, mapstate, statedb
from .graphdir import (ArticleInfo, GraphDir, article_trig, assemble, extraction_key, graph_key, list_articles, locked,
                       pending, remove_file, store_extraction, trig_key)
from .linksfile import write_links

__all__ = ["Outcome", "Update", "ArticleInfo", "plan_add", "add", "remove", "sync",
           "list_articles", "pending", "write_build", "write_page"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Outcome:
    """What a change did to one article.

    ``status`` is ``added``, ``replaced``, ``unchanged`` (the same article is already
    there), ``duplicate`` (the same text is there under another id: nothing done) or
    ``removed``; ``other`` names the article it matched; ``kept`` is where the text a
    replacement replaced is kept (``<corpus>/.history/``, relative to the corpus folder).
    """

    status: str
    article: Article
    other: str | None = None
    kept: str | None = None

    @property
    def changes(self) -> bool:
        return self.status in ("added", "replaced", "removed")

    def describe(self) -> str:
        a = self.article
        if self.status == "unchanged":
            return f"{a.id}: already in the corpus, unchanged (content hash {a.content_hash[:12]})"
        if self.status == "duplicate":
            return f"{a.id}: the same text is already in the corpus as {self.other} (content hash " \
                   f"{a.content_hash[:12]}); nothing added"
        if self.status == "replaced":
            return f"{a.id}: replaced by the new version ({a.file}; the old one is kept in {self.kept})"
        return f"{a.id}: {self.status} ({a.file})"


@dataclass(frozen=True)
class Update:
    """The result of an add, remove or sync."""

    outcomes: tuple[Outcome, ...]
    # Counts of the corpus afterwards (articles, claims, forecasts, restatements); None
    # when nothing had to be written.
    totals: dict[str, int] | None = None
    extracted: tuple[str, ...] = ()  # article ids that went through spaCy
    rewritten: tuple[str, ...] = ()  # article ids whose graph file was written
    recovered: dict | None = None  # the journal of an interrupted change this one finished
    trig_path: Path | None = None
    page_path: Path | None = None
    links_incremental: bool = False  # the links graph was patched, not rebuilt

    @property
    def changed(self) -> bool:
        return self.totals is not None


# ---------------------------------------------------------------- planning (pure)

def plan_add(current: Sequence[Article], incoming: Article, *, replace: bool = False) -> Outcome:
    """Decide what adding ``incoming`` to ``current`` does (nothing is written).

    An article with the same id, or the same url, is the same article: identical
    → ``unchanged``; different → ``replaced`` (keeping the existing id and file) if
    ``replace``, else :class:`ArticleExistsError`.  Otherwise the same body under
    another id is a ``duplicate``; else ``added``.

    >>> old = Article("a", "T", "Body.\\n", "a.md", url="https://x.org/1")
    >>> new = dataclasses.replace(old, id="b", file="b.md", body="New body.\\n")
    >>> plan_add([old], new, replace=True).status
    'replaced'
    >>> plan_add([old], new)
    Traceback (most recent call last):
    ...
    argmap.errors.ArticleExistsError: b: the corpus has this url (https://x.org/1) as article a (a.md): pass --replace to replace it
    """
    same_id = next((a for a in current if a.id == incoming.id), None)
    same_url = next((a for a in current if incoming.url and a.url == incoming.url), None)
    if same_id and same_url and same_id.id != same_url.id:
        raise ArticleExistsError(f"{incoming.id}: the id belongs to {same_id.file} but the url {incoming.url} to "
                                 f"{same_url.file}; give one of them")
    if same_id and incoming.url and same_id.url and same_id.url != incoming.url:
        raise ArticleExistsError(f"the id {incoming.id!r} is taken by {same_id.file} (url {same_id.url}); "
                                 f"give the new article another id")
    target = same_id or same_url
    if target is not None:
        candidate = dataclasses.replace(incoming, id=target.id, file=target.file)
        if render_article(candidate) == render_article(target):
            return Outcome("unchanged", target, target.id)
        if not replace:
            what = "id" if same_id else f"url ({incoming.url})"
            raise ArticleExistsError(f"{incoming.id}: the corpus has this {what} as article {target.id} "
                                     f"({target.file}): pass --replace to replace it")
        return Outcome("replaced", candidate, target.id, str(Path(".history") / history_path(target).name))
    same_body = next((a for a in current if a.content_hash == incoming.content_hash), None)
    if same_body is not None:
        return Outcome("duplicate", incoming, same_body.id)
    clash = next((a for a in current if a.file == incoming.file), None)
    if clash is not None:
        raise ArticleExistsError(f"{incoming.file} already holds article {clash.id!r}")
    return Outcome("added", incoming)


def _apply(current: list[Article], outcome: Outcome) -> list[Article]:
    if outcome.status in ("added", "replaced"):
        current = [a for a in current if a.id != outcome.article.id] + [outcome.article]
    elif outcome.status == "removed":
        current = [a for a in current if a.id != outcome.article.id]
    return sorted(current, key=lambda a: a.id)


# ---------------------------------------------------------------- public operations

def add(corpus_dir: Path, graphs_dir: Path, articles: Iterable[Article], *, model: str = DEFAULT_MODEL, nlp=None,
        page: bool = True, progress: Progress | None = None, lock_timeout: float = 600.0, replace: bool = False,
        max_chars: int = DEFAULT_MAX_CHARS, jobs: int | None = None) -> Update:
    """Add articles to the corpus and bring the graphs up to date.

    An article with the id or url of one in the corpus replaces it only with
    ``replace`` (see :func:`plan_add`); the replaced file is kept in
    ``<corpus>/.history/`` (:func:`argmap.corpus.keep_history`).  ``nlp`` is a
    loaded pipeline (:func:`argmap.extract.load_pipeline`); without it one is loaded
    if an article has to be extracted.  Texts longer than ``max_chars`` are refused.
    """
    corpus_dir, gd = Path(corpus_dir), GraphDir(Path(graphs_dir))
    articles = list(articles)
    with locked(gd, lock_timeout):
        corpus_dir.mkdir(parents=True, exist_ok=True)
        journal = pending(gd.root)
        current = read_corpus(corpus_dir)
        outcomes, replaced = [], {}
        for incoming in articles:
            outcome = plan_add(current, incoming, replace=replace)
            if outcome.status == "replaced":
                replaced.setdefault(outcome.article.id, next(a for a in current if a.id == outcome.other))
            outcomes.append(outcome)
            current = _apply(current, outcome)
        commits = [_writer(corpus_dir, o, replaced.get(o.article.id)) for o in outcomes if o.changes]
        ids = [o.article.id for o in outcomes if o.changes]
        return _refresh(corpus_dir, gd, current, commits, outcomes, op="add", ids=ids, journal=journal,
                        model=model, nlp=nlp, page=page, progress=progress, max_chars=max_chars, jobs=jobs)


def remove(corpus_dir: Path, graphs_dir: Path, ids: Iterable[str], *, model: str = DEFAULT_MODEL, nlp=None,
           page: bool = True, progress: Progress | None = None, lock_timeout: float = 600.0,
           max_chars: int = DEFAULT_MAX_CHARS, jobs: int | None = None) -> Update:
    """Remove articles (by id, or by file name) from the corpus and the graphs."""
    corpus_dir, gd = Path(corpus_dir), GraphDir(Path(graphs_dir))
    with locked(gd, lock_timeout):
        journal = pending(gd.root)
        current = read_corpus(corpus_dir)
        outcomes = []
        for wanted in ids:
            found = next((a for a in current if wanted in (a.id, a.file)), None)
            if found is None:
                raise CorpusError(f"no article {wanted!r} in {corpus_dir} (see 'argmap list')")
            outcomes.append(Outcome("removed", found))
            current = _apply(current, outcomes[-1])
        commits = [_deleter(corpus_dir, o.article) for o in outcomes]
        return _refresh(corpus_dir, gd, current, commits, outcomes, op="remove", ids=[o.article.id for o in outcomes],
                        journal=journal, model=model, nlp=nlp, page=page, progress=progress, max_chars=max_chars,
                        jobs=jobs)


def sync(corpus_dir: Path, graphs_dir: Path, *, model: str = DEFAULT_MODEL, nlp=None, page: bool = True,
         progress: Progress | None = None, lock_timeout: float = 600.0, max_chars: int = DEFAULT_MAX_CHARS,
         jobs: int | None = None) -> Update:
    """Bring the graphs in line with the corpus as it is: finish an interrupted change,
    pick up articles edited by hand.  Only what is stale is redone."""
    corpus_dir, gd = Path(corpus_dir), GraphDir(Path(graphs_dir))
    with locked(gd, lock_timeout):
        journal = pending(gd.root)
        current = read_corpus(corpus_dir)
        return _refresh(corpus_dir, gd, current, [], [], op="sync", ids=[], journal=journal, model=model, nlp=nlp,
                        page=page, progress=progress, max_chars=max_chars, jobs=jobs)


# ---------------------------------------------------------------- the one refresh

def _writer(corpus_dir: Path, outcome: Outcome, old: Article | None = None) -> Callable[[], None]:
    def commit() -> None:
        if old is not None:  # first keep the text being replaced
            keep_history(corpus_dir, old)
        write_article(corpus_dir, outcome.article, replace=old is not None)

    return commit


def _deleter(corpus_dir: Path, article: Article) -> Callable[[], None]:
    return lambda: remove_file(corpus_dir / article.file)


def _checkpoint(name: str) -> None:
    """Test hook: ``ARGMAP_TEST_PAUSE=<name>`` makes the process stop here for a while
    (after touching ``ARGMAP_TEST_SIGNAL``), so a test can kill it mid-change."""
    spec = os.environ.get("ARGMAP_TEST_PAUSE", "")
    point, _, seconds = spec.partition(":")
    if point != name:
        return
    signal = os.environ.get("ARGMAP_TEST_SIGNAL")
    if signal:
        Path(signal).write_text(name, encoding="utf-8")
    time.sleep(float(seconds or 60))


def _refresh(corpus_dir: Path, gd: GraphDir, after: list[Article], commits: list[Callable[[], None]],
             outcomes: list[Outcome], *, op: str, ids: list[str], journal: dict | None, model: str, nlp,
             page: bool, progress: Progress | None, max_chars: int = DEFAULT_MAX_CHARS,
             jobs: int | None = None) -> Update:
    note = progress or (lambda message: None)
    if not commits and journal is None and _up_to_date(gd, after, model):
        return Update(tuple(outcomes), trig_path=gd.trig)
    if journal is not None:
        note(f"finishing an interrupted {journal.get('op', 'change')} ({', '.join(journal.get('ids', [])) or '-'})")
    done, conn = 0, None
    try:
        conn = statedb.connect(gd.state)
        conn.execute("BEGIN IMMEDIATE")
        try:
            change = artefacts.prepare(conn, gd, after, model, nlp, note, max_chars, jobs)
            _write_journal(gd, op, ids)
            for article_id, text in change.trigs.items():
                atomic_write_text(gd.article(article_id), text)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:  # not committed: the database stays as it was
                conn.execute("ROLLBACK")
        incremental = artefacts.write_links_file(conn, gd, change)
        _checkpoint("before-commit")
        for commit in commits:
            commit()
            done += 1
        _checkpoint("after-commit")
        assemble(gd, [a.id for a in after])
        artefacts.record_assembled(conn, after, change.keys, model)
        page_path = _write_page(conn, gd) if page else None
        remove_file(gd.journal)
        _collect_garbage(gd, corpus_dir, {a.id for a in after})
        totals = linkstate.totals(conn)
    except (OSError, sqlite3.Error) as exc:
        if isinstance(exc, OSError):
            what = f"cannot write {exc.filename or 'a file'}: {exc.strerror or exc}"
        else:  # the disk is full, the file is read-only...
            what = f"cannot update {gd.state}: {exc}"
        state = ("nothing was changed" if not done else
                 f"{done} of {len(commits)} corpus change(s) were made: run 'argmap sync' to bring the graph up to date")
        raise GraphError(f"{what}; {state}") from None
    finally:
        if conn is not None:
            conn.close()
    return Update(tuple(outcomes), totals, tuple(change.extracted), tuple(change.trigs), journal, gd.trig, page_path,
                  incremental)


def _up_to_date(gd: GraphDir, after: list[Article], model: str) -> bool:
    """Nothing to do: every article graph is current and argmap.trig was assembled from them."""
    if not gd.trig.exists() or not gd.links.exists():
        return False
    # A state database made by other linking or graph code reads as empty.
    assembled = artefacts.read_assembled(gd)
    entries = assembled[1]
    if set(entries) != {a.id for a in after}:
        return False
    keys = artefacts.article_keys(after, model, assembled)
    return all(entries[a.id].get("hash") == artefacts.article_hash(a) and trig_key(gd.article(a.id)) == keys[a.id][1]
               for a in after)


def _write_journal(gd: GraphDir, op: str, ids: list[str]) -> None:
    entry = {"op": op, "ids": ids, "pid": os.getpid(), "started": _dt.datetime.now(_dt.timezone.utc).isoformat()}
    atomic_write_text(gd.journal, json.dumps(entry))


def _write_page(conn, gd: GraphDir) -> Path:
    from ..settings import DEFAULT_MAX_NODES

    return mapstate.write_page(conn, gd.html, DEFAULT_MAX_NODES)[0]


def write_page(graphs_dir: Path, *, lock_timeout: float = 600.0) -> tuple[Path, str | None]:
    """Write the page from the state an update or a build left (what ``argmap build``
    does after building); return its path and the notice of a cut, if any.  Without a
    usable state (made by other code), the page is made from argmap.trig."""
    from ..settings import DEFAULT_MAX_NODES

    gd = GraphDir(Path(graphs_dir))
    with locked(gd, lock_timeout):
        conn = statedb.connect(gd.state, renew=False)
        if conn is None:
            from ..graph.dataset import read_dataset
            from ..view.page import build_view, write_html

            view = build_view(read_dataset(gd.trig), max_nodes=DEFAULT_MAX_NODES)
            return write_html(view, gd.html), (view.notices[0] if view.notices else None)
        try:
            return mapstate.write_page(conn, gd.html, DEFAULT_MAX_NODES)
        finally:
            conn.close()


def _collect_garbage(gd: GraphDir, corpus_dir: Path, ids: set[str]) -> None:
    """Delete graph and cache files of articles no longer in the corpus, files of
    older versions, and the temporary files of writes a killed process left behind
    (we hold the lock)."""
    for folder, suffix in ((gd.articles, ".trig"), (gd.cache, ".json")):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".tmp-") or (path.name.endswith(suffix) and path.name[:-len(suffix)] not in ids):
                remove_file(path)
    for name in _RETIRED:
        remove_file(gd.root / name)
    for folder, names in ((gd.root, (TRIG_NAME, HTML_NAME, "links.trig",
                                     ".argmap.journal", *_RETIRED)), (corpus_dir, None)):
        for path in folder.glob(".tmp-*"):
            name = path.name[len(".tmp-"):].rsplit(".", 1)[0]
            if (names is None and name.endswith(".md")) or (names is not None and name in names):
                remove_file(path)


# Files earlier versions kept, now in the state database.
_RETIRED = ("links-items.json", "similarity.json", "manifest.json")


# ---------------------------------------------------------------- argmap build

def write_build(corpus_dir: Path, graphs_dir: Path, articles: list[Article], extractions: list[Extraction],
                model: str, graphs: dict, check: Callable[[object], None]) -> tuple[Path, LinkedCorpus]:
    """Link the corpus and write what ``argmap build`` made from scratch (``graphs``:
    the article graphs by id), filling every cache and the state database, so later
    changes start from it.  ``check`` is given the links graph before anything is
    written and raises to refuse it.  The caller holds the lock
    (:func:`argmap.workspace.graphdir.locked`).  Return the graph file and the linked corpus."""
    gd = GraphDir(Path(graphs_dir))
    by_id = {e.article.id: e for e in extractions}
    conn = statedb.connect(gd.state)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            lines, linked, links = artefacts.build_state(conn, articles, by_id, graphs, model)
            check(links)  # not yet committed: a refused graph leaves the state as it was
            _write_journal(gd, "build", [])
            for article in articles:
                store_extraction(gd, by_id[article.id], extraction_key(article, model))
                atomic_write_text(gd.article(article.id), article_trig(article.id, graph_key(article, model),
                                                                       graphs[article.id]))
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        write_links(lines, gd.links)
        assemble(gd, [a.id for a in articles])
        artefacts.record_assembled(conn, articles, {a.id: (extraction_key(a, model), graph_key(a, model))
                                                    for a in articles}, model)
    finally:
        conn.close()
    remove_file(gd.journal)
    _collect_garbage(gd, Path(corpus_dir), {a.id for a in articles})
    return gd.trig, linked
