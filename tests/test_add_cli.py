"""``argmap add`` as a new user runs it: any file they name, web pages fetched from a
real HTTP server on 127.0.0.1, lists of URLs, and collisions that need --replace."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from _pool import small_articles
from click.testing import CliRunner
from conftest import DATA

from argmap.cli import main
from argmap.corpus import read_corpus, write_article
from argmap.graph import read_dataset
from argmap.workspace.update import sync
from argmap.graph import ARG

SAVED = (DATA / "saved_page.html").read_bytes()
UNDATED = (DATA / "undated_page.html").read_bytes()
PAGES = {
    "/post": (200, "text/html; charset=utf-8", SAVED),
    "/undated": (200, "text/html", UNDATED),
    "/plain.txt": (200, "text/plain; charset=utf-8", b"Open models will win.\n"),
    "/gone": (404, "text/html", b"<html><body>Not here</body></html>"),
    "/broken": (500, "text/html", b"<html><body>Oops</body></html>"),
}
REDIRECTS = {"/moved": "/post", "/loop": "/loop", "/elsewhere": "ftp://127.0.0.1/post"}


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server interface)
        if self.path == "/slow":
            time.sleep(1.0)
            self.path = "/post"
        if self.path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, kind, body = PAGES.get(self.path, (404, "text/html", b"<html></html>"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def site():
    """A real HTTP server on 127.0.0.1 serving saved pages (no other network)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def workspace(tmp_path, nlp):
    """A corpus of one small article, synced; the command runs from another folder."""
    corpus, graphs = tmp_path / "corpus", tmp_path / "graphs"
    corpus.mkdir()
    write_article(corpus, small_articles()[0])
    sync(corpus, graphs, nlp=nlp, page=False)
    return corpus, graphs


def _files(*folders: Path) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".argmap.lock"}


def _add(workspace, *args: str):
    corpus, graphs = workspace
    return CliRunner().invoke(main, ["add", *args, "--corpus", str(corpus), "--graphs", str(graphs), "--no-page"])


def _one_line_error(result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.replace("\r", "\n").splitlines()
             if line.strip() and not line.startswith("reading:")]  # the progress bar
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for text in expected:
        assert text in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_a_url_is_fetched_and_kept_as_provenance(site, workspace, cli_nlp):
    result = _add(workspace, f"{site}/post")
    assert result.exit_code == 0, result.output
    [article] = [a for a in read_corpus(workspace[0]) if a.url == f"{site}/post"]
    assert article.title == "Mistral bets on open weights as enterprises balk at API prices"
    assert (article.author, article.publisher, article.date.isoformat()) == ("Ann Smith", "Example News", "2026-03-15")
    assert "Open models will capture most of the enterprise market" in article.body
    assert "Subscribe" not in article.body and "Most read" not in article.body
    again = _add(workspace, f"{site}/moved", "--url", f"{site}/post")  # a redirect to the same page
    assert again.exit_code == 0 and "unchanged" in again.output


@pytest.mark.parametrize("path, args, expected", [
    ("/gone", (), "HTTP 404"),
    ("/broken", (), "HTTP 500"),
    ("/plain.txt", (), "the answer is text/plain, not an HTML page"),
    ("/loop", (), "more than 5 redirects"),
    ("/elsewhere", (), "not http(s)"),
    ("/post", ("--max-bytes", "1000"), "over the limit of 1000"),
    ("/slow", ("--timeout", "0.2"), "timed out"),
])
def test_a_page_that_cannot_be_had_is_a_one_line_error_and_changes_nothing(site, workspace, path, args, expected):
    before = _files(*workspace)
    _one_line_error(_add(workspace, f"{site}{path}", *args), f"{site}{path}", expected)
    assert _files(*workspace) == before


def test_an_unreachable_host_or_another_scheme_is_a_one_line_error(workspace):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _one_line_error(_add(workspace, f"http://127.0.0.1:{port}/post"), "cannot connect")
    _one_line_error(_add(workspace, "ftp://127.0.0.1/post"), "only http:// and https://")
    _one_line_error(_add(workspace, "file:///etc/passwd"), "only http:// and https://")


def test_a_list_of_urls_is_added_in_one_go_with_a_progress_bar(site, workspace, cli_nlp, tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# reading list\n{site}/post\n\n{site}/undated  # no date on this one\n", encoding="utf-8")
    result = _add(workspace, "--from-list", str(listed))
    assert result.exit_code == 0, result.output
    assert "reading: 100%" in result.stderr and "2/2" in result.stderr
    assert {a.url for a in read_corpus(workspace[0])} >= {f"{site}/post", f"{site}/undated"}


def test_a_bad_line_of_a_list_stops_the_add_unless_told_to_keep_going(site, workspace, cli_nlp, tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"{site}/post\n{site}/gone\n", encoding="utf-8")
    before = _files(*workspace)
    _one_line_error(_add(workspace, "--from-list", str(listed)), "urls.txt line 2", "HTTP 404")
    assert _files(*workspace) == before
    going = _add(workspace, "--from-list", str(listed), "--keep-going")
    assert going.exit_code == 1 and "skipped: " in going.stderr and "1 of 2 input(s) skipped" in going.stderr
    assert f"{site}/post" in {a.url for a in read_corpus(workspace[0])}
    listed.write_text("# nothing\n", encoding="utf-8")
    _one_line_error(_add(workspace, "--from-list", str(listed)), "names no input")


def test_an_undated_page_gets_no_date_from_its_markup(site, workspace, cli_nlp):
    """Issue 16 item 7: a page without a date got 1998-01-01 from '© 1998' in its footer,
    and its forecasts were resolved against 1998."""
    result = _add(workspace, f"{site}/undated")
    assert result.exit_code == 0, result.output
    [article] = [a for a in read_corpus(workspace[0]) if a.url == f"{site}/undated"]
    assert article.date is None
    assert "date: null" in (workspace[0] / article.file).read_text(encoding="utf-8")
    graph = read_dataset(workspace[1] / "argmap.trig")
    # "in five years" from an unknown date is no year at all: not 2003, nor today + 5.
    assert "in five years" in {str(p) for p in graph.objects(None, ARG.horizonPhrase)}
    assert not list(graph.objects(None, ARG.horizonStart)) and not list(graph.objects(None, ARG.horizonEnd))


def test_a_file_in_another_folder_is_added(workspace, cli_nlp, tmp_path, monkeypatch):
    """Issue 16 item 2: `argmap add ~/Downloads/article.md` was refused (use --allow-dir)."""
    downloads, elsewhere = tmp_path / "Downloads", tmp_path / "elsewhere"
    downloads.mkdir()
    elsewhere.mkdir()
    (downloads / "article.md").write_text("---\ntitle: From my downloads\ndate: 2026-06-01\n---\n"
                                          + small_articles()[3].body, encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    result = _add(workspace, str(downloads / "article.md"))
    assert result.exit_code == 0, result.output
    assert "From my downloads" in {a.title for a in read_corpus(workspace[0])}
    # What would corrupt the workspace is still refused.
    inside = workspace[0] / small_articles()[0].file
    _one_line_error(_add(workspace, str(inside)), "argmap writes itself")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _one_line_error(_add(workspace, str(fifo)), "not a regular file")
    _one_line_error(_add(workspace, "/dev/zero"), "not a regular file")
    assert "--allow-dir" not in CliRunner().invoke(main, ["add", "--help"]).output


def test_a_collision_needs_replace_on_the_command_line(workspace, cli_nlp, tmp_path):
    """Issue 16 item 4, as typed: the same id again with another text."""
    path = tmp_path / "note.md"
    path.write_text("---\nid: my-note\ntitle: A note\n---\n" + small_articles()[3].body, encoding="utf-8")
    assert _add(workspace, str(path)).exit_code == 0
    first = (workspace[0] / "my-note.md").read_bytes()
    path.write_text("---\nid: my-note\ntitle: A note\n---\n" + small_articles()[4].body, encoding="utf-8")
    before = _files(*workspace)
    _one_line_error(_add(workspace, str(path)), "my-note", "pass --replace to replace it")
    assert _files(*workspace) == before
    replaced = _add(workspace, str(path), "--replace")
    assert replaced.exit_code == 0, replaced.output
    kept = list((workspace[0] / ".history").glob("my-note.*.md"))
    assert [p.read_bytes() for p in kept] == [first] and kept[0].name in replaced.output


def test_the_installed_command_adds_a_saved_html_page(workspace, tmp_path):
    """Issue 16 item 1: on a fresh install any HTML add ended in a traceback (trafilatura
    could not import lxml.html.clean).  The real command, in its own process."""
    corpus, graphs = workspace
    page = tmp_path / "page.html"
    page.write_bytes(SAVED)
    done = subprocess.run([sys.executable, "-m", "argmap", "add", str(page), "--corpus", str(corpus),
                           "--graphs", str(graphs), "--no-page"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and ": added (" in done.stderr
    assert "Mistral bets on open weights as enterprises balk at API prices" in {a.title for a in read_corpus(corpus)}
