"""Orchestrate the stages: corpus → extract → link → graph, and write the result.

``build`` is a plain function from a corpus folder to the written files; the
CLI wraps it with a progress bar (passed in as ``progress``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..corpus.articles import read_corpus
from ..errors import ArticleTooLongError
from ..graph.dataset import article_graph
from ..model import Article, Extraction, LinkedCorpus
from ..settings import DEFAULT_MAX_CHARS, DEFAULT_MODEL

__all__ = ["BuildResult", "build", "extract_corpus", "check_lengths", "pipeline_for"]



@dataclass(frozen=True)
class BuildResult:
    linked: LinkedCorpus
    trig_path: Path
    triples: int
    # The page, when it was written too (argmap.Workspace.build; build() writes none).
    page_path: Path | None = None
    page_notice: str | None = None

    @cached_property
    def dataset(self):
        """The written graph as an rdflib Dataset, read when first asked for."""
        from ..graph.dataset import read_dataset

        return read_dataset(self.trig_path)


def check_lengths(articles: Iterable[Article], max_chars: int = DEFAULT_MAX_CHARS) -> None:
    """Refuse, before any work, an article longer than the pipeline will take.

    >>> check_lengths([Article("a", "T", "x" * 11, "a.md")], max_chars=10)
    Traceback (most recent call last):
    ...
    argmap.errors.ArticleTooLongError: a.md: 11 characters is over the limit of 10 the spaCy pipeline takes (--max-chars): split the article, or raise --max-chars (about 1 GB of memory per 100,000 characters)
    """
    for article in articles:
        if len(article.body) > max_chars:
            raise ArticleTooLongError(
                f"{article.file}: {len(article.body):,} characters is over the limit of {max_chars:,} the spaCy "
                f"pipeline takes (--max-chars): split the article, or raise --max-chars (about 1 GB of memory "
                f"per 100,000 characters)")


def pipeline_for(articles: list[Article], model: str, nlp=None, max_chars: int = DEFAULT_MAX_CHARS):
    """The pipeline to extract ``articles`` with (``nlp``, else ``model`` loaded), once
    :func:`check_lengths` passed; its ``max_length`` is raised to ``max_chars``."""
    from ..extract import load_pipeline

    check_lengths(articles, max_chars)
    nlp = nlp if nlp is not None else load_pipeline(model)
    nlp.max_length = max(nlp.max_length, max_chars)
    return nlp


def extract_corpus(articles, model: str, progress: Callable[[Iterable], Iterable] | None = None,
                   max_chars: int = DEFAULT_MAX_CHARS, jobs: int | None = None, nlp=None) -> Iterator[Extraction]:
    """Run the extractor over articles with ``jobs`` processes (default: the cores
    available), optionally wrapped in a progress iterator; yields in input order.
    ``nlp`` is a loaded pipeline; without it ``model`` is loaded."""
    from ..extract.parallel import extract_in_parallel

    nlp = pipeline_for(articles, model, nlp, max_chars)
    stream = extract_in_parallel(articles, nlp, jobs)
    if progress is not None:
        stream = progress(stream)
    return stream


def build(corpus_dir: Path, graphs_dir: Path, model: str = DEFAULT_MODEL,
          progress: Callable[[Iterable], Iterable] | None = None, max_chars: int = DEFAULT_MAX_CHARS,
          jobs: int | None = None, nlp=None) -> BuildResult:
    """Extract and link the whole corpus and write ``<graphs_dir>/argmap.trig`` atomically,
    extracting with ``jobs`` processes (default: the cores available) and ``nlp`` (a loaded
    pipeline; without it ``model`` is loaded)."""
    # Under the lock shared with `argmap add`/`remove`; validated before anything is
    # written; the per-article graphs and caches later adds start from are written
    # too, and argmap.trig is assembled from them (argmap.workspace.update.write_build).
    # Each article graph is made once, and checked in Oxigraph.
    from .graphdir import GraphDir, locked
    from ..graph.oxterms import quads
    from .update import write_build
    from ..graph.validate import check_store, graphs_store
    from ..graph.vocab import LINKS_GRAPH

    with locked(GraphDir(Path(graphs_dir))):
        articles = read_corpus(corpus_dir)
        extractions, graphs = [], {}
        # Each article's graph is made as its extraction arrives, while the workers
        # extract the next ones.
        for extraction in extract_corpus(articles, model, progress, max_chars, jobs, nlp):
            extractions.append(extraction)
            graphs[extraction.article.id] = article_graph(extraction, model)
        store = graphs_store(graphs)

        def check(links) -> None:
            store.extend(quads(links, LINKS_GRAPH))
            check_store(store, "the built graph")

        path, linked = write_build(corpus_dir, graphs_dir, articles, extractions, model, graphs, check)
        # Distinct triples of the union, as len() of the rdflib Dataset counts them.
        [row] = store.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
    return BuildResult(linked, path, int(row["n"].value))
