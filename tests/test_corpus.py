"""The corpus stage: front matter in, body untouched, clear errors, atomic writes."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CORPUS, SEEDS, needs_shared

from argmap.corpus import parse_article, read_article, read_corpus, render_article, write_article
from argmap.errors import ArticleExistsError, ArticleFormatError, CorpusError
from argmap.model import Article


def test_bundled_corpus_has_the_four_seeds_with_metadata():
    articles = read_corpus(CORPUS)
    assert [a.id for a in articles] == ["000_91c10fccd76b5f22", "001_f5384a54c8b702f5", "002_a08fe0d2c9c1958b",
                                        "003_218717aee96ac049"]
    kinds = {a.id[:3]: a.kind for a in articles}
    assert kinds == {"000": "summary", "001": "article", "002": "transcript", "003": "commentary"}
    essay = articles[1]
    assert essay.author == "Nathan Lambert" and essay.publisher == "Interconnects AI"
    assert all(a.date == dt.date(2026, 6, 1) for a in articles)
    assert all(a.title == "Open and closed models are on different exponentials" for a in articles)


@needs_shared
def test_bodies_are_the_seed_texts_unchanged():
    for article in read_corpus(CORPUS):
        seed = (SEEDS / f"{article.id}.txt").read_text(encoding="utf-8")
        assert article.body == seed


def test_render_and_parse_round_trip_keeps_the_body_byte_for_byte():
    body = "  Leading spaces.\n\n---\nA line that looks like a fence.\n\n\n"
    article = Article("x1", "A title: with colon", body, "x1.md", dt.date(2026, 1, 2), "Ann", "Pub",
                      "https://example.org/a", "blog")
    again = parse_article(render_article(article), "x1.md")
    assert again == article


@pytest.mark.parametrize("text, message", [
    ("no front matter", "missing front matter"),
    ("---\ntitle: T\nno closing fence", "not closed"),
    ("---\ntitle: [unclosed\n---\nbody", "malformed front matter"),
    ("---\n- a list\n---\nbody", "mapping"),
    ("---\ntitle: T\n---\n   \n", "empty"),
    ("---\nid: a\n---\nbody", "needs a 'title'"),
    ("---\ntitle: T\ndate: not a date at all\n---\nbody", "unparseable date"),
    ("---\ntitle: T\ncolour: red\n---\nbody", "unknown front-matter field"),
    ("---\ntitle: T\nid: ../../etc\n---\nbody", "must be letters"),
    ("---\ntitle: T\ndate: 2026-13-45\n---\nbody", "malformed front matter"),
    ("---\ntitle: T\nid: links\n---\nbody", "reserved"),
])
def test_bad_articles_get_a_clear_error(text, message):
    with pytest.raises(ArticleFormatError, match=message):
        parse_article(text, "bad.md")


def test_missing_corpus_folder_names_the_option(tmp_path):
    with pytest.raises(CorpusError, match="--corpus"):
        read_corpus(tmp_path / "nope")


def test_write_is_atomic_and_refuses_to_overwrite_another_article(tmp_path):
    a = Article("a", "A", "Body A\n", "shared.md")
    b = Article("b", "B", "Body B\n", "shared.md")
    write_article(tmp_path, a)
    with pytest.raises(ArticleExistsError):
        write_article(tmp_path, b)
    assert read_article(tmp_path / "shared.md") == a
    assert [p.name for p in tmp_path.iterdir()] == ["shared.md"]  # no temporary files left


def test_non_utf8_corpus_file_is_refused(tmp_path):
    (tmp_path / "latin.md").write_bytes("---\ntitle: Caf\xe9\n---\nbody".encode("latin-1"))
    with pytest.raises(ArticleFormatError, match="UTF-8"):
        read_corpus(tmp_path)
