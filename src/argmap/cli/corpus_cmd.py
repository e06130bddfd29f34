"""``argmap add``, ``remove``, ``list``, ``sync`` and ``validate``: grow the corpus
without a full rebuild, and check the graph against its SHACL shapes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CorpusError
from .common import corpus_option, format_option, graphs_option, main, render_rows, reports_errors, writer_options


def _workspace(corpus_dir: Path, graphs_dir: Path, model: str | None = None, max_chars: int | None = None,
               jobs: int = 0, no_page: bool = False):
    """The Workspace a command's options name (the writer options, when given)."""
    from ..workspace.handle import Workspace

    settings = {"page": not no_page, "jobs": jobs or None}
    if model is not None:
        settings.update(model=model, max_chars=max_chars)
    return Workspace(corpus_dir, graphs_dir, settings)


def _say(quiet: bool):
    return (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))


def _report(update, say) -> None:
    if update.recovered is not None:
        journal = update.recovered
        say(f"finished an interrupted {journal.get('op', 'change')} of {', '.join(journal.get('ids') or []) or '-'}")
    for outcome in update.outcomes:
        say(outcome.describe())
    if update.changed:
        t = update.totals
        say(f"{t['articles']} articles, {t['claims']} claims, {t['forecasts']} forecasts, "
            f"{t['restatements']} restatements; extracted {len(update.extracted)}, "
            f"rewrote {len(update.rewritten)} article graph(s) → {update.trig_path}")
        if update.page_path is not None:
            say(f"page → {update.page_path}")


@main.command()
@click.argument("paths", nargs=-1, metavar="PATH|URL...")
@click.option("--from-list", "from_list", type=click.Path(dir_okay=False, path_type=Path),
              help="A file of inputs to add, one a line: http(s) URLs or paths ('#' starts a comment).")
@click.option("--replace", is_flag=True,
              help="Replace an article with the same id or url; the old file is kept in CORPUS/.history/.")
@click.option("--keep-going", is_flag=True,
              help="Skip inputs that cannot be read or fetched (each is reported), add the rest, exit 1.")
@click.option("--title", help="Title (overrides the file's).")
@click.option("--author", help="Author.")
@click.option("--publisher", help="Publisher or site name.")
@click.option("--date", help="Publication date, YYYY-MM-DD.")
@click.option("--url", help="Address of the original (default for a fetched page: the URL it came from).")
@click.option("--kind", help="Kind of article: article, summary, transcript, commentary, ...")
@click.option("--id", "article_id", help="Article id (default: slug of the title + content hash).")
@click.option("--as", "fmt", type=click.Choice(["markdown", "html", "text"]),
              help="Read the input as this format  [default: from the file name, else sniffed]")
@click.option("--encoding", help="Encoding of a non-UTF-8 input, e.g. cp1252.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Refuse inputs (files, stdin, web pages) larger than this.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True,
              help="Seconds to wait for a web page to connect and to send each part.")
@writer_options
@reports_errors
def add(paths, from_list, replace, keep_going, title, author, publisher, date, url, kind, article_id, fmt, encoding,
        max_bytes, timeout, corpus_dir, graphs_dir, model, max_chars, jobs, no_page, quiet):
    """Add articles to the corpus and merge them into the graph.

    Each PATH is a Markdown file with YAML front matter, a plain-text file or a saved
    HTML page (its main text is extracted), in any folder but the corpus and graphs
    folders; a URL (http or https) is fetched and read as an HTML page, its address
    kept as the article's url; '-' reads one from stdin. The article is written into
    the corpus folder with front matter and a stable id, its graph is built, and only
    the cross-article links it touches are redone. Adding the same text again does
    nothing; a different article with the same id or url is refused unless --replace
    is given (the replaced file is kept in CORPUS/.history/).

    \b
    Examples:
      argmap add ~/Downloads/new-essay.md
      argmap add https://example.org/post
      argmap add --from-list urls.txt
      curl -s https://example.org/post | argmap add - --as html --url https://example.org/post
    """
    ws = _workspace(corpus_dir, graphs_dir, model, max_chars, jobs, no_page)
    inputs = [(str(p), str(p)) for p in paths] + (_listed(from_list, max_bytes) if from_list else [])
    if not inputs:
        raise click.UsageError("give a PATH or URL to add, or --from-list FILE")
    overrides = {"title": title, "author": author, "publisher": publisher, "date": date, "url": url, "kind": kind,
                 "id": article_id}
    single = [f"--{name}" for name, value in overrides.items() if value is not None and name in ("title", "url", "id")]
    if single and len(inputs) > 1:
        raise click.UsageError(f"{', '.join(single)} name one article: give one PATH")
    if [source for source, _ in inputs].count("-") > 1:
        raise click.UsageError("'-' (stdin) can be given once")
    stdin = sys.stdin.buffer
    from tqdm import tqdm

    # Read (or fetch) and check every input before anything is written.
    articles, skipped = [], []
    bar = tqdm(inputs, desc="reading", unit="input", file=sys.stderr, disable=quiet or not from_list)
    for source, where in bar:
        try:
            # Refusing inputs inside the corpus and graphs folders (Workspace.ingest).
            articles.append(ws.ingest(source, overrides=overrides, encoding=encoding, fmt=fmt, max_bytes=max_bytes,
                                      stdin=stdin, fetch={"timeout": timeout}))
        except CorpusError as exc:
            message = str(exc) if where == source else f"{where}: {exc}"
            if not keep_going:
                raise CorpusError(message) from None
            skipped.append(message)
            bar.write(f"skipped: {message}", file=sys.stderr)
    say = _say(quiet)
    if articles:
        _report(ws.add(*articles, replace=replace, progress=say), say)
    if skipped:
        raise click.ClickException(f"{len(skipped)} of {len(inputs)} input(s) skipped (see above)")


def _listed(path: Path, max_bytes: int) -> list[tuple[str, str]]:
    """The inputs a --from-list file names: (input, 'FILE line N')."""
    from ..corpus.sources import decode, read_source

    text = decode(read_source(path, max_bytes=max_bytes), str(path))
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split(" #", 1)[0].strip()  # a '#' inside a URL is its fragment
        if line and not line.startswith("#"):
            found.append((line, f"{path} line {number}"))
    if not found:
        raise CorpusError(f"{path}: names no input (one URL or path a line)")
    return found


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@writer_options
@reports_errors
def remove(ids, corpus_dir, graphs_dir, model, max_chars, jobs, no_page, quiet):
    """Remove articles (by id or file name) from the corpus, with their named graphs
    and every cross-article link that depended on them.

    \b
    Example:
      argmap remove open-models-win-8b66ff59
    """
    say = _say(quiet)
    _report(_workspace(corpus_dir, graphs_dir, model, max_chars, jobs, no_page).remove(*ids, progress=say), say)


@main.command()
@writer_options
@reports_errors
def sync(corpus_dir, graphs_dir, model, max_chars, jobs, no_page, quiet):
    """Bring the graph in line with the corpus folder, redoing only what is stale:
    finishes an interrupted add or remove, picks up articles edited by hand.

    \b
    Example:
      argmap sync
    """
    say = _say(quiet)
    update = _workspace(corpus_dir, graphs_dir, model, max_chars, jobs, no_page).sync(progress=say)
    _report(update, say)
    if not update.changed:
        say("the graph is up to date")


@main.command(name="list")
@corpus_option
@graphs_option
@format_option("table", "json", "csv", "tsv")
@reports_errors
def list_(corpus_dir, graphs_dir, fmt):
    """List the corpus articles with their claim and forecast counts.

    \b
    Example:
      argmap list --format json
    """
    ws = _workspace(corpus_dir, graphs_dir)
    columns = ["id", "title", "date", "file", "claims", "forecasts"]
    rows = [[getattr(info, c) for c in columns] for info in ws.articles()]
    if fmt == "json":
        rows = [[v.isoformat() if c == "date" and v is not None else v for c, v in zip(columns, row)] for row in rows]
    click.echo(render_rows(columns, rows, fmt), nl=fmt == "json")
    if ws.pending() is not None:
        click.echo("note: a change was interrupted; the next add, remove or 'argmap sync' finishes it", err=True)


@main.command()
@graphs_option
@format_option("table", "json", "csv", "tsv")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph runs the shapes compiled to SPARQL; pyshacl is the reference SHACL engine (slower).")
@reports_errors
def validate(graphs_dir, fmt, engine):
    """Check the graph against the SHACL shapes (data/shapes.ttl); exit 1 on violations.

    \b
    Example:
      argmap validate --graphs graphs
    """
    from ..workspace.handle import Workspace

    ws = Workspace(graphs=graphs_dir)
    violations = ws.validate(engine)
    if not violations:
        click.echo(f"{ws.trig}: conforms to the shapes", err=True)
        return
    columns = ["focus", "path", "value", "message", "severity"]
    click.echo(render_rows(columns, [[getattr(v, c) for c in columns] for v in violations], fmt), nl=fmt == "json")
    click.echo(f"{len(violations)} violation(s)", err=True)
    raise SystemExit(1)
