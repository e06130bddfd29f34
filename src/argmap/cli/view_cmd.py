"""``argmap view`` (the interactive page) and ``argmap export`` (GraphML, GEXF, JSON-LD, Turtle, TriG, Argdown, AIF)."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path

import click

from ..model import CAMPS
from ..settings import DEFAULT_MAX_NODES, EXPORT_FORMATS, EXPORT_SUFFIXES
from .common import format_option, graphs_option, main, reports_errors


def view_options(func: Callable) -> Callable:
    """The options that pick part of the map, shared by ``view`` and ``export``."""
    options = [
        click.option("--focus", metavar="TEXT",
                     help="Only the neighbourhood of an entity (label or alias), a claim (words of its text) or an IRI."),
        click.option("--depth", type=click.IntRange(1, 5), default=None,
                     help="Steps around --focus to include  [default: 1]"),
        click.option("--camp", type=click.Choice(CAMPS), help="Only claims and forecasts of this camp."),
        click.option("--source", metavar="ARTICLE_ID", help="Only one article (its id, or a unique prefix of it)."),
        click.option("--bridges", is_flag=True,
                     help="Only what connects the camps: entities both closed and open claims mention, and "
                          "contrasts across camps."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_view(focus, depth, camp, bridges) -> int:
    if bridges and camp:
        raise click.UsageError("--bridges shows what connects the camps; it cannot be combined with --camp")
    if depth is not None and focus is None:
        raise click.UsageError("--depth applies only with --focus")
    return depth or 1


def _may_open_browser() -> bool:
    """Only for a person at a terminal with a desktop: never in CI, a pipe, a test runner or over
    plain SSH (where webbrowser would start a text browser in the terminal)."""
    if os.environ.get("CI") or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


@main.command()
@view_options
@click.option("--max-nodes", type=click.IntRange(min=0), default=DEFAULT_MAX_NODES, show_default=True,
              help="Above this many nodes, draw only the most important ones (0: no limit).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Page to write  [default: GRAPHS/argmap.html]")
@click.option("--no-open", is_flag=True, help="Write the page but do not open it in a browser.")
@graphs_option
@reports_errors
def view(focus, depth, camp, source, bridges, max_nodes, output, no_open, graphs_dir):
    """Write the interactive argument map (one self-contained HTML page) and open it.

    Claims are coloured by camp (closed left, open right, both between); forecasts,
    entities and articles have their own shapes.  The page works offline: search,
    filters, a detail panel with quotes and sources, and forecasts by horizon.

    \b
    Examples:
      argmap view
      argmap view --focus OpenAI --no-open
      argmap view --bridges -o bridges.html
      argmap view --source 001 --camp open
    """
    depth = _check_view(focus, depth, camp, bridges)
    from ..workspace.handle import Workspace

    ws = Workspace(graphs=graphs_dir)
    result = ws.view(focus=focus, camp=camp, source=source, bridges=bridges, depth=depth, max_nodes=max_nodes or None)
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    path = ws.write_view(result, output)
    g = result.graph
    click.echo(f"wrote {path} ({result.description}: {len(g)} nodes, {g.number_of_edges()} edges)", err=True)
    if not no_open:
        if not (_may_open_browser() and webbrowser.open(path.resolve().as_uri())):
            click.echo(f"open {path} in a browser to explore the map", err=True)


@main.command(name="export")
@format_option(*EXPORT_FORMATS, default=None)
@view_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="File to write  [default: standard output]")
@graphs_option
@reports_errors
def export_cmd(fmt, focus, depth, camp, source, bridges, output, graphs_dir):
    """Export the map as GraphML or GEXF (for Gephi, yEd, Cytoscape), the RDF as JSON-LD,
    Turtle or TriG, or the argument map as Argdown or AIF JSON.

    GraphML and GEXF hold the graph the page draws (nodes keyed by IRI, with their
    layout) and accept the view options; the RDF formats hold the whole dataset;
    Argdown (argdown.org) and AIF (AIFdb, OVA) hold the claims with their supports,
    contrasts and restatements.
    Without --format the suffix of -o decides, else GraphML.

    \b
    Examples:
      argmap export --format gexf -o map.gexf
      argmap export -o map.graphml --bridges
      argmap export --format jsonld > argmap.jsonld
      argmap export --format argdown -o map.argdown
    """
    depth = _check_view(focus, depth, camp, bridges)
    to_stdout = output is None or str(output) == "-"
    if fmt is None:
        fmt = "graphml" if to_stdout else EXPORT_SUFFIXES.get(output.suffix.lower(), "graphml")
    from ..fsutil import atomic_write_text
    from ..workspace.handle import Workspace

    text = Workspace(graphs=graphs_dir).export(fmt, focus=focus, camp=camp, source=source, bridges=bridges,
                                               depth=depth)
    if to_stdout:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        click.echo(f"wrote {output} ({fmt})", err=True)
