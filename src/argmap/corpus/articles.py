"""Read and write corpus articles: Markdown files with YAML front matter.

The body after the closing ``---`` line is stored and read back byte for byte,
so character offsets into it stay valid forever.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import yaml

from ..errors import ArticleExistsError, ArticleFormatError, CorpusError
from ..fsutil import atomic_write_bytes, atomic_write_text
from ..model import Article

__all__ = [
    "read_corpus",
    "read_article",
    "parse_article",
    "render_article",
    "write_article",
    "history_path",
    "keep_history",
    "article_path",
    "parse_date",
    "slugify",
    "FIELDS",
]

FIELDS = ("id", "title", "author", "publisher", "date", "url", "kind")
# An http(s) address that is also a valid IRI (it becomes the article's schema:url).
URL_PATTERN = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.I)
_FENCE = "---\n"
# libyaml's parser where PyYAML has it: the same safe constructor, several times faster
# (every change reads the whole corpus folder).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def slugify(text: str, limit: int = 48) -> str:
    """A file-safe lower-case slug.

    >>> slugify("Open and closed models are on different exponentials!")
    'open-and-closed-models-are-on-different-exponent'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "article"


def parse_date(value: object) -> _dt.date | None:
    """Accept a date, an ISO string (``2026-06-01``) or None.

    >>> parse_date("2026-06-01")
    datetime.date(2026, 6, 1)
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        import dateparser  # optional: trafilatura brings it in

        parsed = dateparser.parse(text, settings={"STRICT_PARSING": True})
    except Exception:  # pragma: no cover - dateparser is an optional helper
        parsed = None
    if parsed is None:
        raise ArticleFormatError(f"unparseable date {text!r}: use YYYY-MM-DD")
    return parsed.date()


def parse_article(text: str, file: str = "") -> Article:
    """Parse Markdown with YAML front matter into an :class:`Article`.

    >>> a = parse_article("---\\nid: x\\ntitle: T\\n---\\nBody text.\\n", "x.md")
    >>> (a.id, a.title, a.body)
    ('x', 'T', 'Body text.\\n')
    """
    where = file or "<text>"
    if not text.startswith(_FENCE):
        raise ArticleFormatError(f"{where}: missing front matter (the file must start with '---')")
    end = text.find("\n" + _FENCE, len(_FENCE) - 1)
    if end < 0:
        raise ArticleFormatError(f"{where}: front matter is not closed by a '---' line")
    header, body = text[len(_FENCE) : end + 1], text[end + 1 + len(_FENCE) :]
    try:
        meta = yaml.load(header, Loader=_LOADER) or {}
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date such as 2026-13-45
        raise ArticleFormatError(f"{where}: malformed front matter: {exc}".splitlines()[0]) from None
    if not isinstance(meta, dict):
        raise ArticleFormatError(f"{where}: front matter must be a mapping of fields")
    return article_from_meta(meta, body, file)


def article_from_meta(meta: dict, body: str, file: str = "") -> Article:
    """Validate front-matter fields and build the article."""
    where = file or "<text>"
    if not body.strip():
        raise ArticleFormatError(f"{where}: the article text is empty")
    unknown = sorted(str(k) for k in meta if k not in FIELDS)
    if unknown:
        raise ArticleFormatError(f"{where}: unknown front-matter field(s): {', '.join(unknown)}")
    for name in FIELDS:
        value = meta.get(name)
        if value is not None and not isinstance(value, (str, int, float, _dt.date)):
            raise ArticleFormatError(f"{where}: field {name!r} must be a single value")
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ArticleFormatError(f"{where}: front matter needs a 'title'")
    article_id = str(meta.get("id") or "").strip() or Path(file).stem
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}", article_id or ""):
        raise ArticleFormatError(f"{where}: id {article_id!r} must be letters, digits, '-', '_' or '.'")
    if article_id == "links":  # id:graph/links is the cross-article graph
        raise ArticleFormatError(f"{where}: the id 'links' is reserved")
    try:
        date = parse_date(meta.get("date"))
    except ArticleFormatError as exc:
        raise ArticleFormatError(f"{where}: {exc}") from None

    def text_or_none(name: str) -> str | None:
        value = meta.get(name)
        return None if value in (None, "") else str(value).strip()

    url = text_or_none("url")
    if url is not None and not URL_PATTERN.fullmatch(url):
        raise ArticleFormatError(f"{where}: url {url!r} is not an http(s) address (no spaces, quotes or <>)")

    return Article(
        id=article_id,
        title=title,
        body=body,
        file=Path(file).name if file else f"{article_id}.md",
        date=date,
        author=text_or_none("author"),
        publisher=text_or_none("publisher"),
        url=url,
        kind=text_or_none("kind") or "article",
    )


def render_article(article: Article) -> str:
    """The Markdown file for an article (front matter, then the body unchanged)."""
    meta = {
        "id": article.id,
        "title": article.title,
        "author": article.author,
        "publisher": article.publisher,
        "date": article.date,
        "url": article.url,
        "kind": article.kind,
    }
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return _FENCE + header + _FENCE + article.body


def article_path(corpus_dir: Path, article: Article) -> Path:
    """Where an article lives in the corpus folder."""
    return Path(corpus_dir) / (article.file or f"{article.id}.md")


def read_article(path: Path) -> Article:
    """Read one corpus file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleFormatError(f"{path}: corpus files must be UTF-8") from None
    return parse_article(text, path.name)


def read_corpus(corpus_dir: Path) -> list[Article]:
    """Every ``*.md`` article of a corpus folder, sorted by id."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist (use --corpus DIR)")
    articles = [read_article(p) for p in sorted(corpus_dir.glob("*.md")) if not p.name.startswith(".")]
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise CorpusError(f"articles {seen[article.id]} and {article.file} share the id {article.id!r}")
        seen[article.id] = article.file
    return sorted(articles, key=lambda a: a.id)


def write_article(corpus_dir: Path, article: Article, *, replace: bool = False) -> Path:
    """Write an article atomically; refuse to overwrite another article."""
    path = article_path(corpus_dir, article)
    if path.exists() and not replace:
        existing = read_article(path)
        if existing.id != article.id:
            raise ArticleExistsError(f"{path.name} already holds article {existing.id!r}")
    atomic_write_text(path, render_article(article))
    return path


HISTORY = ".history"


def history_path(article: Article) -> Path:
    """Where :func:`keep_history` keeps a replaced version of ``article``, relative to
    the corpus folder: ``.history/<file stem>.<12 hex digits of its content>.md``.

    >>> history_path(Article("a", "T", "Body.\\n", "a.md")).as_posix()
    '.history/a.4c851919fc73.md'
    """
    import hashlib

    digest = hashlib.sha256(render_article(article).encode("utf-8")).hexdigest()[:12]
    return Path(HISTORY) / f"{Path(article.file).stem}.{digest}.md"


def keep_history(corpus_dir: Path, article: Article) -> Path:
    """Copy the corpus file of ``article``, as it is on disk, into the corpus's history
    folder before it is replaced (atomically; the history is not part of the corpus:
    :func:`read_corpus` reads only the folder's own ``*.md`` files).  To bring a version
    back, copy it over the article's file and run ``argmap sync``."""
    source = article_path(corpus_dir, article)
    target = Path(corpus_dir) / history_path(article)
    try:
        atomic_write_bytes(target, source.read_bytes())
    except FileNotFoundError:  # nothing on disk to keep
        pass
    return target
