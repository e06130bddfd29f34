"""Exceptions raised by argmap.

Every error a user can cause derives from :class:`ArgmapError`; the CLI turns
each into a one-line message and a non-zero exit, never a traceback::

    ArgmapError
    ├── CorpusError            a corpus file or folder is unusable
    │   ├── ArticleFormatError   bad front matter, empty/binary/oversized text, bad date
    │   ├── ArticleEncodingError text is not UTF-8 (names the encoding it looks like)
    │   ├── ArticleExistsError   a write would overwrite another article, or an add
    │   │                        collides with one (same id or url) without --replace
    │   ├── ArticleTooLongError  a text is longer than the pipeline takes (--max-chars)
    │   └── FetchError           a web page cannot be fetched (unreachable, 4xx/5xx, not HTML)
    ├── ModelError             the spaCy pipeline cannot be loaded
    ├── GraphError             the graph is missing, unreadable or fails validation
    ├── QueryError             a SPARQL query is unknown, malformed or has bad parameters
    ├── ViewError              a map view (--focus, --source, --bridges) matches nothing
    └── GoldError              a gold annotation file is unreadable
"""

from __future__ import annotations

__all__ = [
    "ArgmapError",
    "CorpusError",
    "ArticleFormatError",
    "ArticleEncodingError",
    "ArticleExistsError",
    "ArticleTooLongError",
    "FetchError",
    "ModelError",
    "GraphError",
    "QueryError",
    "ViewError",
    "GoldError",
]


class ArgmapError(Exception):
    """Base class of every error argmap reports to a user."""


class CorpusError(ArgmapError):
    """A corpus file or folder cannot be used."""


class ArticleFormatError(CorpusError):
    """An article's front matter or text is malformed."""


class ArticleEncodingError(CorpusError):
    """An article's bytes are not UTF-8."""


class ArticleExistsError(CorpusError):
    """Writing an article would overwrite a different one."""


class ArticleTooLongError(CorpusError):
    """An article's text is longer than the spaCy pipeline processes (its max_length)."""


class FetchError(CorpusError):
    """A web page cannot be fetched or is not an HTML page."""


class ModelError(ArgmapError):
    """The spaCy pipeline cannot be loaded."""


class GraphError(ArgmapError):
    """The RDF graph is missing, unreadable or invalid."""


class QueryError(ArgmapError):
    """A SPARQL query is unknown, malformed or badly parameterised."""


class ViewError(ArgmapError):
    """A view cannot be made: the focus, source or selection matches nothing."""


class GoldError(ArgmapError):
    """A gold annotation file cannot be read."""
