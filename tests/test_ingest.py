"""Ingestion: Markdown / text / HTML in, one clear error for every bad input, and no
crash or partial state on random input (hypothesis)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
import yaml
from _pool import small_articles
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from argmap.corpus import FIELDS, parse_article, render_article, write_article
from argmap.errors import ArgmapError, ArticleEncodingError, ArticleFormatError, CorpusError
from argmap.corpus import DEFAULT_MAX_BYTES, decode, detect_format, ingest, parse_source, read_source
from argmap.workspace.update import add, sync

BODY = "Open models will capture most of the value of AI by 2030.\nClosed labs will keep the frontier.\n"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Open models win | Example News</title>
<meta name="author" content="Ann Smith"><meta property="og:title" content="Open models win">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2026-05-03">
<link rel="canonical" href="https://example.org/open-models-win"></head>
<body><nav>Home | About | Subscribe</nav><article><h1>Open models win</h1>
<p>Open models will capture most of the value of AI by 2030, because enterprises want control over their data.</p>
<p>Closed labs will keep the frontier, but their margins will shrink as open models catch up with them.</p>
</article><footer>Copyright 2026 Example News</footer></body></html>"""


def test_markdown_front_matter_is_taken_as_is_and_flags_override():
    text = ("---\ntitle: From the file\nauthor: Ann\ndate: 2026-05-01\nurl: https://example.org/a\nkind: memo\n---\n"
            + BODY).encode()
    article = parse_source(text, "note.md")
    assert (article.title, article.author, article.date, article.url, article.kind) == (
        "From the file", "Ann", dt.date(2026, 5, 1), "https://example.org/a", "memo")
    assert article.body == BODY and article.file == f"{article.id}.md"
    assert article.id.startswith("from-the-file-") and len(article.id.rsplit("-", 1)[1]) == 8
    again = parse_source(text, "note.md", overrides={"title": "From a flag", "date": "2026-05-02", "author": None})
    assert (again.title, again.date, again.author) == ("From a flag", dt.date(2026, 5, 2), "Ann")


def test_the_id_is_stable_and_front_matter_may_give_it():
    assert parse_source(BODY.encode(), "a.txt").id == parse_source(BODY.encode(), "b.txt").id
    assert parse_source(f"---\nid: my-id\ntitle: T\n---\n{BODY}".encode(), "x.md").id == "my-id"


def test_plain_text_takes_its_title_from_the_first_line_and_keeps_the_body():
    raw = ("# Open models win\r\n\r\n" + BODY.replace("\n", "\r\n")).encode()
    article = parse_source(raw, "note.txt")
    assert article.title == "Open models win"
    assert article.body == "# Open models win\n\n" + BODY  # line ends normalised, nothing else
    assert parse_article(render_article(article), article.file) == article


def test_html_pages_give_their_main_text_and_metadata():
    article = parse_source(PAGE.encode(), "page.html")
    assert "Open models will capture most of the value" in article.body
    assert "Subscribe" not in article.body and "Copyright" not in article.body
    assert (article.author, article.publisher, article.date, article.url) == (
        "Ann Smith", "Example News", dt.date(2026, 5, 3), "https://example.org/open-models-win")
    assert "Open models win" in article.title
    flagged = parse_source(PAGE.encode(), "-", overrides={"title": "Mine", "url": "https://example.org/x"})
    assert (flagged.title, flagged.url) == ("Mine", "https://example.org/x")


def test_formats_are_told_from_names_and_first_bytes():
    assert detect_format("a.md", b"") == "markdown"
    assert detect_format("a.HTM", b"") == "html"
    assert detect_format("-", b"---\ntitle: x\n---\n") == "markdown"
    assert detect_format("-", b"  <html><body>") == "html"
    assert detect_format("-", b"Just words.") == "text"


def test_a_declared_html_charset_is_honoured():
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("their data", "their café data")
    article = parse_source(page.encode("latin-1"), "page.html")
    assert "café" in article.body


@pytest.mark.parametrize("raw, name, error, message", [
    (b"", "a.txt", ArticleFormatError, "empty"),
    (b"  \n\t \n", "a.txt", ArticleFormatError, "empty"),
    (b"%PDF-1.7\n...", "a.txt", ArticleFormatError, "PDF"),
    (b"text\x00with NUL", "a.txt", ArticleFormatError, "NUL"),
    (b"text with a bell \x07 in it", "a.txt", ArticleFormatError, "control character U\\+0007"),
    ("Le café est très bon, les modèles ouverts gagneront.".encode("cp1252"), "a.txt", ArticleEncodingError,
     "looks like cp1252\\): pass --encoding cp1252"),
    ("Open models".encode("utf-16"), "a.txt", ArticleEncodingError, "--encoding utf-16"),
    (b"---\ntitle: T\nno closing fence\n", "a.md", ArticleFormatError, "not closed"),
    (b"---\ntitle: [unclosed\n---\nbody\n", "a.md", ArticleFormatError, "malformed front matter"),
    (b"---\ntitle: T\ndate: 2026-13-45\n---\nbody\n", "a.md", ArticleFormatError, "malformed front matter"),
    (b"---\n- a\n- list\n---\nbody\n", "a.md", ArticleFormatError, "mapping"),
    (b"---\ntitle: T\ncolour: red\n---\nbody\n", "a.md", ArticleFormatError, "unknown front-matter field"),
    (b"---\nauthor: A\n---\nbody\n", "a.md", ArticleFormatError, "needs a 'title'"),
    (b"---\ntitle: T\ndate: not a date at all\n---\nbody\n", "a.md", ArticleFormatError, "unparseable date"),
    (b"---\ntitle: T\ndate: 0999-01-01\n---\nbody\n", "a.md", ArticleFormatError, "out of range"),
    (b"---\ntitle: T\nurl: javascript:alert(1)\n---\nbody\n", "a.md", ArticleFormatError, "not an http"),
    (b"---\ntitle: T\nid: ../../etc\n---\nbody\n", "a.md", ArticleFormatError, "must be letters"),
    (b"---\ntitle: T\nid: links\n---\nbody\n", "a.md", ArticleFormatError, "reserved"),
    (b"---\ntitle: T\nkind: two words\n---\nbody\n", "a.md", ArticleFormatError, "one word"),
    (b"---\ntitle: \"a\\x01b\"\n---\nbody\n", "a.md", ArticleFormatError, "control characters"),
    (b"<html><body><script>x()</script></body></html>", "a.html", ArticleFormatError, "no article text"),
])
def test_bad_input_gets_a_clear_error(raw, name, error, message):
    with pytest.raises(error, match=message) as caught:
        parse_source(raw, name)
    assert str(caught.value).startswith(name)


def test_an_explicit_encoding_is_used_and_a_wrong_one_is_reported():
    raw = "Le café est très bon, les modèles ouverts gagneront.".encode("cp1252")
    assert "café" in parse_source(raw, "a.txt", encoding="cp1252").body
    with pytest.raises(ArticleEncodingError, match="unknown encoding"):
        decode(raw, "a.txt", "no-such-codec")
    with pytest.raises(ArticleEncodingError, match="not valid utf-8"):
        decode(raw, "a.txt", "utf-8")


def test_paths_must_be_regular_files_inside_the_allowed_folders(tmp_path):
    allowed = tmp_path / "inbox"
    allowed.mkdir()
    good = allowed / "a.txt"
    good.write_text(BODY)
    assert read_source(good, allowed=[allowed]) == BODY.encode()
    with pytest.raises(CorpusError, match="no such file"):
        read_source(allowed / "missing.txt", allowed=[allowed])
    with pytest.raises(CorpusError, match="is a folder"):
        read_source(allowed, allowed=[allowed])
    fifo = allowed / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        read_source(fifo, allowed=[allowed])
    with pytest.raises(CorpusError, match="not a regular file"):
        read_source("/dev/null", allowed=[Path("/")])
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    link = allowed / "innocent.txt"
    link.symlink_to(secret)
    with pytest.raises(CorpusError, match="outside the folders.*resolves to"):
        read_source(link, allowed=[allowed])
    with pytest.raises(CorpusError, match="outside the folders"):
        read_source(allowed / ".." / "secret.txt", allowed=[allowed])
    with pytest.raises(CorpusError, match="argmap writes itself"):
        read_source(good, allowed=[tmp_path], protected=[allowed])
    loop = allowed / "loop"
    loop.symlink_to(loop)
    with pytest.raises(CorpusError):
        read_source(loop, allowed=[allowed])


def test_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300)
    with pytest.raises(ArticleFormatError, match="over the limit of 1000.*--max-bytes"):
        ingest(big, max_bytes=1000, allowed=[tmp_path])
    import io

    with pytest.raises(ArticleFormatError, match="stdin: over the limit"):
        ingest("-", stdin=io.BytesIO(b"x" * 2000), max_bytes=1000)
    assert DEFAULT_MAX_BYTES == 5_000_000


# ---------------------------------------------------------------- property-based

_field_values = st.one_of(st.none(), st.text(max_size=30), st.integers(-5, 3000), st.dates(),
                          st.lists(st.text(max_size=5), max_size=2), st.booleans(), st.floats(allow_nan=True))
_front = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), _field_values, max_size=6),
    st.fixed_dictionaries({"title": st.text(min_size=1, max_size=30)},
                          optional={f: st.one_of(_field_values, st.just("2026-06-01"), st.just("https://example.org/x"),
                                                 st.just("memo")) for f in FIELDS if f != "title"}),
)


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8"))),
       name=st.sampled_from(["a.txt", "a.md", "a.html", "-"]))
def test_random_bytes_never_crash_and_accepted_ones_round_trip(raw, name):
    try:
        article = parse_source(raw, name)
    except ArgmapError as exc:
        event(f"refused: {type(exc).__name__}")
        return
    event("accepted")
    assert article.body.strip()
    assert parse_article(render_article(article), article.file) == article


@settings(max_examples=300, deadline=None)
@given(meta=_front, body=st.text(min_size=0, max_size=80))
def test_random_front_matter_never_crashes_and_accepted_ones_round_trip(meta, body):
    try:
        header = yaml.safe_dump(meta, allow_unicode=True)
    except yaml.YAMLError:
        return
    raw = ("---\n" + header + "---\n" + body).encode("utf-8", "surrogatepass")
    try:
        article = parse_source(raw, "a.md")
    except ArgmapError as exc:
        event(f"refused: {type(exc).__name__}")
        return
    event("accepted")
    assert parse_article(render_article(article), article.file) == article


def _state(*folders: Path) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".argmap.lock" and "/cache/" not in str(p)}


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_random_text_through_add_is_all_or_nothing(tmp_path_factory, nlp, text):
    tmp = tmp_path_factory.mktemp("random")
    corpus, graphs = tmp / "corpus", tmp / "graphs"
    corpus.mkdir()
    write_article(corpus, small_articles()[0])
    sync(corpus, graphs, nlp=nlp, page=False)
    before = _state(corpus, graphs)
    try:
        article = parse_source(text.encode("utf-8"), "-")
        add(corpus, graphs, [article], nlp=nlp, page=False)
    except ArgmapError as exc:
        event(f"refused: {type(exc).__name__}")
        assert _state(corpus, graphs) == before
        return
    event("added")
    assert len(list(corpus.glob("*.md"))) in (1, 2)
    assert not sync(corpus, graphs, nlp=nlp, page=False).changed  # consistent: nothing left to do
