"""The extract stage: spaCy plus argmap's rule components, one article at a time.

>>> from argmap.model import Article
>>> nlp = load_pipeline()                                  # doctest: +SKIP
>>> [e] = extract([Article("a", "T", "Open models will win by 2030.")], nlp)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from ..model import Article, Extraction
from .pipeline import load_pipeline, register_extensions

__all__ = ["load_pipeline", "extract", "extract_one", "to_extraction"]


def to_extraction(doc, article: Article) -> Extraction:
    """Collect the records the components left on a processed Doc."""
    return Extraction(
        article=article,
        mentions=tuple(doc._.argmap_mentions or ()),
        claims=tuple(doc._.argmap_claims or ()),
        forecasts=tuple(doc._.argmap_forecasts or ()),
        relations=tuple(doc._.argmap_relations or ()),
        offtopic=tuple(doc._.argmap_offtopic or ()),
    )


def extract(articles: Iterable[Article], nlp: Language, batch_size: int = 64) -> Iterator[Extraction]:
    """Extract every article, streaming through ``nlp.pipe``; yields in input order."""
    register_extensions()
    articles = list(articles)

    def docs():
        for article in articles:
            doc = nlp.make_doc(article.body)
            doc._.argmap_article = article  # the components read date and id from here
            yield doc

    for doc, article in zip(nlp.pipe(docs(), batch_size=batch_size), articles):
        yield to_extraction(doc, article)


def extract_one(article: Article, nlp: Language) -> Extraction:
    """Extract one article."""
    return next(extract([article], nlp))
