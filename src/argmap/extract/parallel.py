"""Extraction on every core: worker processes forked from the one that loaded spaCy.

spaCy's own ``nlp.pipe(n_process=N)`` cannot carry argmap's results: it sends each
Doc back through ``Doc.to_bytes``, whose msgpack drops (or refuses) the records the
components leave in ``doc._``, and each of its workers loads the pipeline again.
Here the parent loads the pipeline once; forked workers share it copy-on-write and
send back :class:`~argmap.model.Extraction` records, which pickle.  Results come
back in input order, one article at a time, so a progress bar moves with them.

Where ``fork`` is not available (Windows, or macOS's default), or for one article
or one job, extraction runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator

from ..model import Article, Extraction

__all__ = ["available_jobs", "extract_in_parallel"]

# The pipeline a forked worker inherits; set in the parent just before the fork.
_NLP = None


def available_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _extract_one(article: Article) -> Extraction:
    from . import extract_one

    return extract_one(article, _NLP)


def extract_in_parallel(articles: Iterable[Article], nlp, jobs: int | None = None) -> Iterator[Extraction]:
    """Extract ``articles`` with ``jobs`` processes (default: the cores available);
    yields in input order."""
    from . import extract

    global _NLP
    articles = list(articles)
    jobs = min(jobs or available_jobs(), len(articles))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from extract(articles, nlp)
        return
    _NLP = nlp
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            # chunksize 1: a worker takes the next article when it is free, so a long
            # article does not hold up a batch of short ones.
            yield from pool.imap(_extract_one, articles, chunksize=1)
    finally:
        _NLP = None
