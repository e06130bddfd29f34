"""Small articles cut from the bundled corpus, for update tests (fast to extract;
essay and transcript share sentences, so claims repeat and restate across them)."""

from __future__ import annotations

import re

from conftest import CORPUS

from argmap.corpus import read_corpus
from argmap.model import Article


def small_articles() -> list[Article]:
    pool = []
    for source in read_corpus(CORPUS):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", source.body) if 40 < len(s) < 300]
        for part, start in enumerate((3, 12)):
            article_id = f"t{source.id[:3]}-{part}"
            body = "\n".join(sentences[start:start + 5]) + "\n"
            pool.append(Article(article_id, f"Part {part} of the {source.kind}", body, f"{article_id}.md",
                                source.date, kind=source.kind))
    return pool
