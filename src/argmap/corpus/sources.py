"""Turn a file (or stdin) into an :class:`~argmap.model.Article` ready for the corpus.

Three kinds of input are accepted, told apart by the file name or, failing that,
by the first bytes (an ``http(s)://`` address is fetched, :mod:`argmap.corpus.fetch`, and
read as an HTML page whose address is kept as the article's ``url``):

* Markdown with YAML front matter (``---`` first line): the fields are taken as they
  are, flags override them;
* a saved HTML page: trafilatura extracts the main text and the page's metadata
  (title, author, date, site name, canonical URL) where it has them;
* plain text (or Markdown without front matter): the first line is the title unless
  ``--title`` is given.

Every check happens before anything is written, and every failure is an
:class:`~argmap.errors.CorpusError` with a one-line message:

* the path must be a regular file (not a directory, device, FIFO or socket) that,
  with symlinks resolved, lies outside the corpus and graphs folders (argmap writes
  those itself); any other file the user names is read.  ``allowed`` folders can
  narrow that for a server-side caller;
* at most ``max_bytes`` (default 5 MB);
* not binary (NUL bytes, a known binary signature, control characters);
* UTF-8, or the encoding given with ``encoding``; otherwise the error names the
  encoding the bytes look like (charset-normalizer);
* a non-empty body, a title, a parseable date, an ``http(s)`` URL, a valid id.

The article id is the front matter's ``id`` if given, else the title's slug plus
eight hex digits of the body's SHA-256, so the same text always gets the same id.

>>> a = parse_source(b"Open models win\\nThey will capture the value.\\n", "note.txt")
>>> (a.id, a.title, a.file)
('open-models-win-8b66ff59', 'Open models win', 'open-models-win-8b66ff59.md')
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
import stat
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from ..errors import ArticleEncodingError, ArticleFormatError, CorpusError
from ..model import Article
from .articles import FIELDS, article_from_meta, slugify

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "read_source", "decode", "detect_format", "parse_source", "ingest",
           "article_id_for"]

DEFAULT_MAX_BYTES = 5_000_000
FORMATS = ("markdown", "html", "text")
_MAX_TITLE = 300
_RESERVED_IDS = ("links",)  # id:graph/links is the cross-article graph

_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# C0 controls other than tab, newline, carriage return and form feed; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_KIND = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
_HTML_START = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_DATE_SEARCH = {"extensive_search": False, "original_date": True}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


# ---------------------------------------------------------------- paths and bytes

def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def read_source(path: Path | str, *, allowed: Sequence[Path] | None = None, protected: Sequence[Path] = (),
                max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an input file, after the path and size checks.

    ``protected`` are folders inputs may not come from (the corpus and graphs
    folders).  ``allowed``, if given, are the only folders inputs may come from: a
    setting for a caller that reads paths on someone else's behalf (the command line
    reads any file its user names).
    """
    given = Path(path)
    try:
        real = given.resolve(strict=True)
        info = os.stat(real)
    except FileNotFoundError:
        raise CorpusError(f"{given}: no such file") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise CorpusError(f"{given}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise CorpusError(f"{given}: is a folder; give the article files inside it")
    if not stat.S_ISREG(info.st_mode):
        raise CorpusError(f"{given}: not a regular file (a device, FIFO or socket); refusing to read it")
    if allowed is not None and not any(_inside(real, Path(root).resolve()) for root in allowed):
        via = f" (it resolves to {real})" if real != given.absolute() else ""
        raise CorpusError(f"{given}: outside the folders articles may be added from{via}")
    for folder in protected:
        folder = Path(folder).resolve()
        if _inside(real, folder):
            raise CorpusError(f"{given}: inside {folder}, which argmap writes itself; copy the file elsewhere first")
    if info.st_size > max_bytes:
        raise ArticleFormatError(f"{given}: {info.st_size} bytes is over the limit of {max_bytes} (--max-bytes)")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise CorpusError(f"{given}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
            raise CorpusError(f"{given}: not a regular file; refusing to read it")
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ArticleFormatError(f"{given}: over the limit of {max_bytes} bytes (--max-bytes)")
    return raw


def _binary_kind(raw: bytes) -> str | None:
    head = raw[:16]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if b"\x00" in raw[:65536]:
        return "a binary file (it contains NUL bytes)"
    return None


def _looks_like(raw: bytes) -> str | None:
    """A guess at the encoding of non-UTF-8 bytes, for the error message.

    charset-normalizer ranks the candidates; Windows-1252 (the commonest non-UTF-8
    encoding of Western text) wins when it decodes the bytes and is among them or the
    text is mostly ASCII, since short Latin texts fool the ranking.
    """
    from charset_normalizer import from_bytes

    sample = raw[:65536]
    candidates = [m.encoding for m in from_bytes(sample)]
    candidates = [c for c in candidates if not c.startswith(("utf_16", "utf_32"))]  # no NULs, so no UTF-16
    try:
        sample.decode("cp1252")
        western = "cp1252" in candidates or sum(b >= 0x80 for b in sample) <= 0.3 * len(sample)
    except UnicodeDecodeError:
        western = False
    if western:
        return "cp1252"
    return candidates[0] if candidates else None


def decode(raw: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes → text: UTF-8 (a BOM is dropped) or ``encoding``; binary input is refused.

    >>> decode("café".encode("utf-8"), "a.txt")
    'café'
    >>> decode("café".encode("latin-1"), "a.txt")
    Traceback (most recent call last):
    ...
    argmap.errors.ArticleEncodingError: a.txt: not UTF-8 text (it looks like cp1252): pass --encoding cp1252, or convert the file to UTF-8
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ArticleEncodingError(f"{name}: unknown encoding {encoding!r}") from None
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ArticleEncodingError(f"{name}: not valid {encoding} (byte {exc.start}): "
                                       f"check the encoding") from None
        return text.lstrip("\ufeff")
    bom = next((enc for mark, enc in _BOMS if raw.startswith(mark)), None)
    if bom is not None:
        raise ArticleEncodingError(f"{name}: {bom.upper()} text: pass --encoding {bom}, or convert the file to UTF-8")
    kind = _binary_kind(raw)
    if kind:
        raise ArticleFormatError(f"{name}: looks like {kind}, not text")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        guess = _looks_like(raw)
        if guess is None:
            raise ArticleEncodingError(f"{name}: not UTF-8 (invalid byte at {exc.start}) and not text in any "
                                       f"encoding recognised: is it a binary file?") from None
        raise ArticleEncodingError(f"{name}: not UTF-8 text (it looks like {guess}): pass --encoding {guess}, "
                                   f"or convert the file to UTF-8") from None


def detect_format(name: str, raw: bytes) -> str:
    """``markdown``, ``html`` or ``text``, from the suffix or the first bytes.

    >>> detect_format("-", b"<!DOCTYPE html><html>")
    'html'
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".txt", ".text"):
        return "text"
    start = raw.lstrip(codecs.BOM_UTF8)
    if start.startswith(b"---\n") or start.startswith(b"---\r\n"):
        return "markdown"
    if _HTML_START.match(start[:4096]):
        return "html"
    return "text"


# ---------------------------------------------------------------- text → article

def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_text(text: str, name: str) -> str:
    text = _normalise(text)
    bad = _CONTROL.search(text)
    if bad:
        raise ArticleFormatError(f"{name}: contains the control character U+{ord(bad.group()):04X} at "
                                 f"offset {bad.start()}: is it a binary file?")
    if not text.strip():
        raise ArticleFormatError(f"{name}: the article text is empty")
    return text


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    """Split ``---`` front matter from the body; the YAML must be a mapping of known fields."""
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ArticleFormatError(f"{name}: front matter is not closed by a '---' line")
    header, body = text[4:end + 1], text[end + 5:]
    try:
        meta = yaml.safe_load(header)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ArticleFormatError(f"{name}: malformed front matter: {first}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleFormatError(f"{name}: front matter must be a mapping of fields ({', '.join(FIELDS)})")
    unknown = sorted(str(k) for k in meta if not isinstance(k, str) or k not in FIELDS)
    if unknown:
        raise ArticleFormatError(f"{name}: unknown front-matter field(s): {', '.join(unknown)} "
                                 f"(known: {', '.join(FIELDS)})")
    return meta, body


def _first_line_title(body: str) -> str:
    for line in body.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:_MAX_TITLE].rstrip() if len(line) <= _MAX_TITLE else line[:_MAX_TITLE - 1].rstrip() + "…"
    return ""


def _html(raw: bytes, name: str, encoding: str | None) -> tuple[dict, str]:
    if not encoding:
        declared = _META_CHARSET.search(raw[:4096])
        if declared:
            candidate = declared.group(1).decode("ascii", "replace")
            try:
                codecs.lookup(candidate)
                encoding = candidate
            except LookupError:
                pass
    html = decode(raw, name, encoding)
    import trafilatura

    try:
        # No extensive date search: it takes any year in the markup ("© 1998" gives
        # 1998-01-01). Only dates the page states as such (meta tags, <time>, JSON-LD).
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                          date_extraction_params=_DATE_SEARCH)
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken pages
        raise ArticleFormatError(f"{name}: cannot read the HTML page ({type(exc).__name__})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ArticleFormatError(f"{name}: no article text found in the HTML page")
    meta = {"title": doc.title, "author": doc.author, "date": doc.date, "publisher": doc.sitename,
            "url": doc.url}
    return {k: v for k, v in meta.items() if v}, text + "\n"


def _clean_field(name: str, field: str, value: object) -> object:
    """One line of plain text for string fields; dates and numbers pass through."""
    if value is None or not isinstance(value, str):
        return value
    cleaned = " ".join(value.split())
    if _CONTROL.search(cleaned) or any(unicodedata.category(c) == "Cs" for c in cleaned):
        raise ArticleFormatError(f"{name}: field {field!r} contains control characters")
    return cleaned


def article_id_for(title: str, body: str) -> str:
    """The id of an article that has none: the title's slug + 8 hex digits of the body hash.

    >>> article_id_for("Open models win!", "Body.")
    'open-models-win-521b25cc'
    >>> article_id_for("Le modèle ouvert", "Body.")
    'le-modele-ouvert-521b25cc'
    """
    import hashlib

    ascii_title = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return f"{slugify(ascii_title, 40)}-{hashlib.sha256(body.encode('utf-8')).hexdigest()[:8]}"


def parse_source(raw: bytes, name: str, *, overrides: Mapping[str, object] | None = None,
                 encoding: str | None = None, fmt: str | None = None) -> Article:
    """Bytes of one input → an :class:`Article` (id, title and file filled in).

    ``overrides`` (title, author, publisher, date, url, kind, id) win over what the
    input says; ``None`` values are ignored.
    """
    fmt = fmt or detect_format(name, raw)
    if fmt not in FORMATS:
        raise ArticleFormatError(f"unknown input format {fmt!r} (use one of {', '.join(FORMATS)})")
    fronted = False
    if fmt == "html":
        meta, body = _html(raw, name, encoding)
    else:
        text = _normalise(decode(raw, name, encoding))
        fronted = fmt == "markdown" and text.startswith("---\n")
        meta, body = _front_matter(text, name) if fronted else ({}, text)
    body = _check_text(body, name)
    meta = {**meta, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    meta = {k: _clean_field(name, k, v) for k, v in meta.items()}
    if not meta.get("title"):
        if fronted:
            raise ArticleFormatError(f"{name}: front matter needs a 'title' (or pass --title)")
        meta["title"] = _first_line_title(body)
    title = str(meta["title"])
    if len(title) > _MAX_TITLE:
        raise ArticleFormatError(f"{name}: the title is longer than {_MAX_TITLE} characters")
    if not meta.get("id"):
        meta["id"] = article_id_for(title, body)
    kind = meta.get("kind")
    if kind not in (None, "") and not (isinstance(kind, str) and _KIND.fullmatch(kind)):
        raise ArticleFormatError(f"{name}: kind {kind!r} must be one word (letters, digits, '-', '_')")
    if str(meta["id"]).strip().lower() in _RESERVED_IDS:
        raise ArticleFormatError(f"{name}: the id {meta['id']!r} is reserved; give the article another id")
    try:
        article = article_from_meta(meta, body, "")
    except ArticleFormatError as exc:
        raise ArticleFormatError(str(exc).replace("<text>", name, 1)) from None
    if article.date is not None and not 1000 <= article.date.year <= 2999:
        raise ArticleFormatError(f"{name}: date {article.date.isoformat()} is out of range")
    return dataclasses.replace(article, file=f"{article.id}.md")


def ingest(source: Path | str, *, overrides: Mapping[str, object] | None = None, encoding: str | None = None,
           fmt: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, allowed: Sequence[Path] | None = None,
           protected: Sequence[Path] = (), stdin=None, fetch: Mapping[str, object] | None = None) -> Article:
    """A file path, an http(s) address (fetched), or ``"-"`` with ``stdin`` (a binary
    stream) → an :class:`Article`."""
    from .fetch import fetch_page, is_url

    if is_url(str(source)):
        page = fetch_page(str(source), max_bytes=max_bytes, **(fetch or {}))
        given = {**(overrides or {})}
        given["url"] = given.get("url") or page.url  # provenance: the address it was fetched from
        return parse_source(page.body, page.url, overrides=given, encoding=encoding or page.charset, fmt="html")
    if str(source) == "-":
        if stdin is None:
            raise CorpusError("'-' reads the article from stdin, but no stdin was given")
        raw = stdin.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise ArticleFormatError(f"stdin: over the limit of {max_bytes} bytes (--max-bytes)")
        return parse_source(raw, "stdin", overrides=overrides, encoding=encoding, fmt=fmt)
    raw = read_source(source, allowed=allowed, protected=protected, max_bytes=max_bytes)
    return parse_source(raw, str(source), overrides=overrides, encoding=encoding, fmt=fmt)
