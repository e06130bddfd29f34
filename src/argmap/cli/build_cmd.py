"""``argmap build``: extract the whole corpus into graphs/argmap.trig and write the page."""

from __future__ import annotations

import sys

import click

from .common import main, reports_errors, writer_options


@main.command()
@writer_options
@reports_errors
def build(corpus_dir, graphs_dir, model, max_chars, jobs, no_page, quiet):
    """Build the RDF graph (and the interactive page) from the corpus.

    \b
    Example:
      argmap build --corpus corpus --graphs graphs
    """
    # Imported here so that commands which do not extract never load spaCy.
    from ..workspace.handle import Workspace

    ws = Workspace(corpus_dir, graphs_dir, {"model": model, "max_chars": max_chars, "jobs": jobs or None})
    total = len(ws.read_corpus())
    if total == 0:
        raise click.ClickException(f"no articles (*.md) in {corpus_dir}: add some with 'argmap add'")

    def progress(stream):
        from tqdm import tqdm

        return tqdm(stream, total=total, desc="extracting", unit="article", disable=quiet, file=sys.stderr)

    result = ws.build(progress, page=False)  # the page after the summary line
    linked = result.linked
    claims = sum(len(e.claims) for e in linked.extractions)
    forecasts = sum(len(e.forecasts) for e in linked.extractions)
    click.echo(f"{len(linked.extractions)} articles, {claims} claims, {forecasts} forecasts, "
               f"{len(linked.entities)} entities, {result.triples} triples → {result.trig_path}", err=True)
    if not no_page:
        # From the map data the build left in the state database: later adds keep its layout.
        page, notice = ws.write_page()
        if notice:
            click.echo(f"note: {notice}", err=True)
        click.echo(f"page → {page}", err=True)
