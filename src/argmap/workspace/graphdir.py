"""The graphs folder: its layout, lock, journal, caches and the assembled TriG file.

``argmap build`` and ``argmap add``/``remove`` keep, besides the public files, what
an incremental update needs::

    graphs/
      argmap.trig          the whole dataset (articles + links), read by every other command
      argmap.html          the page
      articles/<id>.trig   one article's named graph; first line "# argmap-graph <id> <key>"
      links.trig           the id:graph/links named graph (N-Triples lines in one block, argmap.workspace.linksfile)
      cache/<id>.json      the article's extraction, keyed by its content and the extractor
      state.sqlite         linking state, links items, the page's map data and what argmap.trig was
                           assembled from, with counts for `argmap list` (argmap.workspace.statedb)
      .argmap.lock         held by any process that changes the folder or the corpus
      .argmap.journal      present while a change is under way (see argmap.workspace.update)

``argmap.trig`` is the concatenation of the article files (sorted by id) and
``links.trig``: TriG allows ``@prefix`` directives between graph blocks, and the
graphs have no blank nodes, so the concatenation parses to exactly the dataset
:func:`argmap.graph.to_dataset` builds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import json
import os
import types
import typing
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..corpus.articles import read_corpus, render_article
from ..errors import GraphError
from ..fsutil import atomic_concat, atomic_write_text
from ..model import Article, Extraction
from ..settings import HTML_NAME, TRIG_NAME

__all__ = [
    "GraphDir",
    "ArticleInfo",
    "article_hash",
    "read_assembled",
    "list_articles",
    "pending",
    "locked",
    "extraction_key",
    "rendered",
    "graph_key",
    "key_rules",
    "link_fingerprint",
    "graph_fingerprint",
    "encode_extraction",
    "decode_extraction",
    "load_extraction",
    "store_extraction",
    "article_trig",
    "trig_key",
    "assemble",
    "remove_file",
]

# The argmap package (data/, extract/, model.py, ...): the files the cache keys hash are
# named relative to it.
_PACKAGE = Path(__file__).resolve().parents[1]

# The files each key depends on (globs relative to the package; a test checks that each
# one matches a file, so a module that moves cannot silently drop out of its key).
EXTRACTOR_SOURCES = ("extract/*.py", "corpus/markup.py", "data/cues.yaml", "data/gazetteer.yaml", "model.py",
                     "data/models/*/*.json", "data/models/*/*/model")
GRAPH_SOURCES = ("graph/dataset.py", "graph/vocab.py", "corpus/markup.py", "model.py")
LINK_SOURCES = ("link/rules.py", "model.py", "data/cues.yaml")


@dataclasses.dataclass(frozen=True)
class GraphDir:
    """Paths inside a graphs folder.

    >>> GraphDir(Path("graphs")).article("x").as_posix()
    'graphs/articles/x.trig'
    """

    root: Path

    @property
    def trig(self) -> Path:
        return self.root / TRIG_NAME

    @property
    def html(self) -> Path:
        return self.root / HTML_NAME

    @property
    def links(self) -> Path:
        return self.root / "links.trig"

    @property
    def state(self) -> Path:
        return self.root / "state.sqlite"

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def lock(self) -> Path:
        return self.root / ".argmap.lock"

    @property
    def journal(self) -> Path:
        return self.root / ".argmap.journal"

    def article(self, article_id: str) -> Path:
        return self.articles / f"{article_id}.trig"

    def cached(self, article_id: str) -> Path:
        return self.cache / f"{article_id}.json"


@contextlib.contextmanager
def locked(gd: GraphDir, timeout: float = 600.0):
    """Hold ``<graphs>/.argmap.lock`` (an OS file lock: released if the process dies)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(gd.lock), timeout=timeout)
    try:
        gd.root.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise GraphError(f"another argmap process is changing {gd.root} (lock {gd.lock}); "
                         f"try again when it has finished") from None
    except OSError as exc:
        raise GraphError(f"cannot lock {gd.lock}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


# ---------------------------------------------------------------- cache keys

def _hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _sources(*patterns: str) -> list[bytes]:
    # By content alone, not by path: moving a module to another package keeps the keys.
    found = []
    for pattern in patterns:
        for path in sorted(_PACKAGE.glob(pattern)):
            found.append(path.read_bytes())
    return found


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@lru_cache(maxsize=None)
def _extractor_fingerprint(model: str) -> str:
    # Everything an extraction depends on besides the article: the rule code, its
    # data files, the record types, spaCy and the pipeline.  The lead tunes the rules
    # without always bumping EXTRACTOR_VERSION, so the code itself is hashed.
    from ..graph.dataset import EXTRACTOR_VERSION

    from ..settings import decider_setting

    return _hash(EXTRACTOR_VERSION, model, decider_setting(), _version("spacy"), _version(model),
                 *_sources(*EXTRACTOR_SOURCES))


@lru_cache(maxsize=1)
def graph_fingerprint() -> str:
    """Identifies the code that turns extractions into triples."""
    return _hash(*_sources(*GRAPH_SOURCES))


@lru_cache(maxsize=1)
def link_fingerprint() -> str:
    """Identifies the linking rules the similarity cache was computed with."""
    return _hash(*_sources(*LINK_SOURCES))


@lru_cache(maxsize=8192)
def rendered(article: Article) -> str:
    """:func:`argmap.corpus.render_article`, remembered (keys are asked for often)."""
    return render_article(article)


def extraction_key(article: Article, model: str) -> str:
    """The key of an article's cached extraction: its whole file + the extractor."""
    return _hash(_extractor_fingerprint(model), rendered(article))


def key_rules(model: str) -> str:
    """Everything the keys depend on besides the article (kept with keys remembered)."""
    return _hash(_extractor_fingerprint(model), graph_fingerprint(), model)


def graph_key(article: Article, model: str) -> str:
    """The key of an article's named-graph file: its extraction + graph.py + its file name."""
    return _hash(extraction_key(article, model), graph_fingerprint(), article.file, model)


# ---------------------------------------------------------------- extraction cache

def encode_extraction(extraction: Extraction) -> dict:
    """JSON-ready dict of an extraction, without its article (the corpus holds that)."""
    return {f.name: _encode(getattr(extraction, f.name)) for f in dataclasses.fields(extraction)
            if f.name != "article"}


def decode_extraction(data: dict, article: Article) -> Extraction:
    """Inverse of :func:`encode_extraction`.

    >>> e = Extraction(Article("a", "T", "Open models win."))
    >>> decode_extraction(json.loads(json.dumps(encode_extraction(e))), e.article) == e
    True
    """
    return _decode(Extraction, {**data, "article": None}, article)


def _encode(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _decoder(tp):
    """A function from JSON data to a value of type ``tp`` (built once per type)."""
    if tp is Article:
        return lambda value, article: article
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(t for t in typing.get_args(tp) if t is not type(None)))
        return lambda value, article: None if value is None else inner(value, article)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        return lambda value, article: tuple(item(v, article) for v in value)
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if tp is float:
        return lambda value, article: float(value)
    if tp is _dt.date:
        return lambda value, article: _dt.date.fromisoformat(value)
    return lambda value, article: value


@lru_cache(maxsize=None)
def _dataclass_decoder(cls):
    hints = typing.get_type_hints(cls)
    plan = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]

    def decode(value, article):
        return cls(**{name: field(value[name], article) for name, field in plan if name in value})

    return decode


def _decode(tp, value, article: Article | None = None):
    return _decoder(tp)(value, article)


def load_extraction(gd: GraphDir, article: Article, key: str) -> Extraction | None:
    """The cached extraction of ``article`` if it was made with ``key``, else None."""
    try:
        data = json.loads(gd.cached(article.id).read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return decode_extraction(data["extraction"], article)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, stale or damaged: extract again


def store_extraction(gd: GraphDir, extraction: Extraction, key: str) -> None:
    payload = {"key": key, "id": extraction.article.id, "extraction": encode_extraction(extraction)}
    atomic_write_text(gd.cached(extraction.article.id), json.dumps(payload, ensure_ascii=False))


# ---------------------------------------------------------------- TriG files

def _trig(graph_name, triples) -> str:
    # pyoxigraph's serializer: rdflib's pretty TriG writer cost a quarter of a build.
    from ..graph.oxterms import ox, quads
    from ..graph.vocab import PREFIXES

    module = ox()
    return module.serialize(quads(triples, graph_name), format=module.RdfFormat.TRIG,
                            prefixes=PREFIXES).decode("utf-8")


def article_trig(article_id: str, key: str, graph) -> str:
    """One article's named graph (from :func:`argmap.graph.article_graph`) as TriG,
    headed by a comment naming its key."""
    from ..graph.dataset import graph_iri

    return f"# argmap-graph {article_id} {key}\n" + _trig(graph_iri(article_id), graph)


def trig_key(path: Path) -> str | None:
    """The key in the first line of an article graph file (None if missing)."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    parts = first.split()
    return parts[3] if len(parts) == 4 and parts[:2] == ["#", "argmap-graph"] else None


def assemble(gd: GraphDir, article_ids: list[str]) -> None:
    """Write ``argmap.trig`` atomically: the article graphs in id order, then the links
    graph, separated by blank lines (the files are copied by the kernel)."""
    parts: list = []
    for article_id in sorted(article_ids):
        parts += [gd.article(article_id), b"\n"]
    atomic_concat(gd.trig, parts + [gd.links])


def remove_file(path: Path) -> bool:
    """Delete a file durably; False if it was not there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)  # the unlink is durable once the directory is on disk
    finally:
        os.close(fd)
    return True


# ---------------------------------------------------------------- read-only views

def article_hash(article: Article) -> str:
    # Every field of the article (its file is rendered from them), hashed without
    # rendering: cheap enough for the whole corpus at every change.
    return hashlib.sha256(json.dumps(dataclasses.astuple(article), default=str).encode("utf-8")).hexdigest()


def read_assembled(gd: GraphDir) -> tuple[str | None, dict[str, dict]]:
    """The articles argmap.trig was last assembled from, as the state database records
    them: (key rules, {id: {hash, keys, claims, forecasts}})."""
    from . import statedb  # statedb reads this module's hashing helpers

    return statedb.read_assembled(gd.state)


@dataclasses.dataclass(frozen=True)
class ArticleInfo:
    """One row of ``argmap list``; counts are None until the article is in the graph."""

    id: str
    title: str
    date: _dt.date | None
    file: str
    claims: int | None
    forecasts: int | None


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
    _, assembled = read_assembled(GraphDir(Path(graphs_dir)))
    rows = []
    for article in read_corpus(corpus_dir):
        entry = assembled.get(article.id, {})
        fresh = entry.get("hash") == article_hash(article)
        rows.append(ArticleInfo(article.id, article.title, article.date, article.file,
                                entry.get("claims") if fresh else None, entry.get("forecasts") if fresh else None))
    return rows
