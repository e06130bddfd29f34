"""One handle on a corpus folder and its graphs folder: :class:`Workspace`.

In the style of sqlite-utils' ``Database``: open it on two folders and call what the
command line does — ``build``, ``add``, ``remove``, ``sync``, ``articles``, ``validate``,
``view``, ``store`` — each a thin call of the stage functions, returning their typed
results (:class:`~argmap.workspace.build.BuildResult`, :class:`~argmap.workspace.update.Update`,
:class:`~argmap.workspace.graphdir.ArticleInfo`, :class:`~argmap.view.page.MapView`, ...).
Nothing here prints: progress goes to the callbacks given, as in the functions below it.

>>> ws = Workspace("corpus", "graphs", {"model": "en_core_web_sm", "jobs": 2})
>>> ws
Workspace('corpus', 'graphs')
>>> ws.settings["model"], ws.settings["page"], ws.trig.as_posix()
('en_core_web_sm', True, 'graphs/argmap.trig')
>>> Workspace("corpus", "graphs", {"modle": "x"})
Traceback (most recent call last):
...
TypeError: unknown Workspace setting(s): modle (known: jobs, lock_timeout, max_chars, model, nlp, page, store)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..model import Article
from ..settings import DEFAULT_MAX_CHARS, DEFAULT_MAX_NODES, DEFAULT_MODEL, DEFAULT_STORE, HTML_NAME, TRIG_NAME

if TYPE_CHECKING:  # the stages are imported when a method needs them (start-up stays light)
    from rdflib import Dataset

    from ..graph.validate import Violation
    from ..query.store import MemoryStore, OxigraphStore
    from ..view.page import MapView
    from .build import BuildResult
    from .graphdir import ArticleInfo
    from .update import Update

__all__ = ["Workspace", "DEFAULTS"]

# The settings a Workspace takes, with their defaults (those of the command line).
DEFAULTS: Mapping[str, object] = MappingProxyType({
    "model": DEFAULT_MODEL,  # the spaCy pipeline to load when an article is extracted
    "nlp": None,  # a pipeline already loaded (argmap.extract.load_pipeline): used instead of model
    "max_chars": DEFAULT_MAX_CHARS,  # articles longer than this are refused
    "jobs": None,  # processes extracting at once (None: the cores available)
    "page": True,  # build, add, remove and sync write graphs/argmap.html
    "store": DEFAULT_STORE,  # the query engine store() opens
    "lock_timeout": 600.0,  # seconds to wait for another argmap process changing the graphs
})

Source = str | os.PathLike | Article


class Workspace:
    """A corpus folder and the graphs folder built from it.

    ``settings`` (optional) overrides some of :data:`DEFAULTS`: ``model``, ``nlp``,
    ``max_chars``, ``jobs``, ``page``, ``store`` and ``lock_timeout``.
    """

    def __init__(self, corpus: str | os.PathLike = "corpus", graphs: str | os.PathLike = "graphs",
                 settings: Mapping[str, object] | None = None) -> None:
        unknown = sorted(set(settings or {}) - set(DEFAULTS))
        if unknown:
            raise TypeError(f"unknown Workspace setting(s): {', '.join(unknown)} (known: {', '.join(sorted(DEFAULTS))})")
        self.corpus = Path(corpus)
        self.graphs = Path(graphs)
        self.settings: Mapping[str, object] = MappingProxyType({**DEFAULTS, **(settings or {})})

    def __repr__(self) -> str:
        return f"Workspace({self.corpus.as_posix()!r}, {self.graphs.as_posix()!r})"

    @property
    def trig(self) -> Path:
        """``<graphs>/argmap.trig``: the built graph."""
        return self.graphs / TRIG_NAME

    @property
    def html(self) -> Path:
        """``<graphs>/argmap.html``: the page."""
        return self.graphs / HTML_NAME

    def _writer_options(self, page: bool | None) -> dict:
        s = self.settings
        return {"model": s["model"], "nlp": s["nlp"], "page": s["page"] if page is None else page,
                "lock_timeout": s["lock_timeout"], "max_chars": s["max_chars"], "jobs": s["jobs"]}

    # ------------------------------------------------------------ the corpus

    def read_corpus(self) -> list[Article]:
        """The articles of the corpus folder (:func:`argmap.corpus.read_corpus`)."""
        from ..corpus.articles import read_corpus

        return read_corpus(self.corpus)

    def articles(self) -> list[ArticleInfo]:
        """The corpus with each article's claim and forecast counts from the last update
        (``argmap list``): a list of :class:`~argmap.workspace.graphdir.ArticleInfo`."""
        from .graphdir import list_articles

        return list_articles(self.corpus, self.graphs)

    def pending(self) -> dict | None:
        """The journal of a change that was interrupted (finished by the next change or
        :meth:`sync`), else None."""
        from .graphdir import pending

        return pending(self.graphs)

    def ingest(self, source: str | os.PathLike, **options) -> Article:
        """The article an input makes (:func:`argmap.corpus.ingest`: a file, a saved HTML
        page, an http(s) URL, or ``-`` with ``stdin=``), refusing inputs inside the
        corpus or graphs folders.  Nothing is written."""
        from ..corpus.sources import ingest

        options.setdefault("protected", [self.corpus, self.graphs])
        return ingest(source, **options)

    # ------------------------------------------------------------ building and changing

    def build(self, progress: Callable[[Iterable], Iterable] | None = None, *, page: bool | None = None
              ) -> BuildResult:
        """Extract and link the whole corpus and write the graph (``argmap build``); then,
        unless ``page`` (default: the ``page`` setting) is false, write the page.
        ``progress`` wraps the stream of extractions (a progress bar).  Returns a
        :class:`~argmap.workspace.build.BuildResult` (with ``page_path`` and
        ``page_notice`` when the page was written)."""
        import dataclasses

        from .build import build

        s = self.settings
        result = build(self.corpus, self.graphs, s["model"], progress, s["max_chars"], s["jobs"], s["nlp"])
        if s["page"] if page is None else page:
            path, notice = self.write_page()
            result = dataclasses.replace(result, page_path=path, page_notice=notice)
        return result

    def add(self, *sources: Source, replace: bool = False, progress: Callable[[str], None] | None = None,
            page: bool | None = None) -> Update:
        """Add articles — :class:`~argmap.model.Article` objects, or inputs
        :meth:`ingest` reads (paths, URLs) — and bring the graphs up to date
        (``argmap add``).  Every input is read before anything is written.  Returns an
        :class:`~argmap.workspace.update.Update`."""
        from .update import add

        articles = [s if isinstance(s, Article) else self.ingest(s) for s in sources]
        return add(self.corpus, self.graphs, articles, replace=replace, progress=progress,
                   **self._writer_options(page))

    def remove(self, *ids: str, progress: Callable[[str], None] | None = None, page: bool | None = None) -> Update:
        """Remove articles (by id or file name) and what depended on them (``argmap remove``)."""
        from .update import remove

        return remove(self.corpus, self.graphs, ids, progress=progress, **self._writer_options(page))

    def sync(self, progress: Callable[[str], None] | None = None, page: bool | None = None) -> Update:
        """Bring the graphs in line with the corpus folder as it is (``argmap sync``)."""
        from .update import sync

        return sync(self.corpus, self.graphs, progress=progress, **self._writer_options(page))

    def write_page(self) -> tuple[Path, str | None]:
        """Write the page of the whole map from the state the last change left (keeping
        its layout); return its path and the notice of a cut, if any."""
        from .update import write_page

        return write_page(self.graphs, lock_timeout=self.settings["lock_timeout"])

    # ------------------------------------------------------------ reading the graph

    def dataset(self) -> Dataset:
        """The built graph as an rdflib Dataset."""
        from ..graph.dataset import read_dataset

        return read_dataset(self.trig)

    def validate(self, engine: str = "oxigraph") -> tuple[Violation, ...]:
        """The SHACL violations of the built graph (``argmap validate``); empty when it conforms."""
        from ..graph.validate import validate_trig

        return validate_trig(self.trig, engine)

    def store(self, store: str | None = None) -> MemoryStore | OxigraphStore:
        """The built graph opened for querying, as :func:`argmap.open` opens it (``store``
        defaults to the ``store`` setting).  Use it in a ``with`` block."""
        from ..query.store import open as open_store

        return open_store(self.graphs, store or self.settings["store"])

    def view(self, *, focus: str | None = None, camp: str | None = None, source: str | None = None,
             bridges: bool = False, depth: int = 1, max_nodes: int | None = DEFAULT_MAX_NODES) -> MapView:
        """The map the page draws, or part of it (``argmap view``'s options): a
        :class:`~argmap.view.page.MapView`.  :meth:`write_view` writes it."""
        from ..view.page import build_view

        return build_view(self.dataset(), focus=focus, camp=camp, source=source, bridges=bridges, depth=depth,
                          max_nodes=max_nodes)

    def write_view(self, view: MapView, path: str | os.PathLike | None = None) -> Path:
        """Write ``view`` (from :meth:`view`) as the page, by default ``<graphs>/argmap.html``."""
        from ..view.page import write_html

        return write_html(view, Path(path) if path is not None else self.html)

    def export(self, fmt: str, *, focus: str | None = None, camp: str | None = None, source: str | None = None,
               bridges: bool = False, depth: int = 1) -> str:
        """The map or the graph in an export format (``argmap export``: graphml, gexf,
        jsonld, turtle, trig, argdown, aif)."""
        from ..view.formats import export

        return export(self.dataset(), fmt, focus=focus, camp=camp, source=source, bridges=bridges, depth=depth)
