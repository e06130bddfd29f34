"""The corpus stage: article files in a folder (read, parse, write), the inputs that
become articles (files, saved HTML pages, URLs) and the markup of their text.

Modules: :mod:`.articles` (the corpus folder), :mod:`.sources` (ingesting an input),
:mod:`.fetch` (fetching a URL), :mod:`.markup` (Markdown blocks and display text).
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "articles": ("read_corpus", "read_article", "parse_article", "render_article", "write_article", "history_path",
                 "keep_history", "article_path", "parse_date", "slugify", "FIELDS"),
    "sources": ("DEFAULT_MAX_BYTES", "FORMATS", "read_source", "decode", "detect_format", "parse_source", "ingest",
                "article_id_for"),
    "fetch": ("Page", "fetch_page", "is_url", "check_url"),
    "markup": ("display_text", "block_kind", "line_around", "BLOCK_KINDS"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
