"""``argmap forecasts``: the forecast tracker."""

from __future__ import annotations

import click

from ..settings import TRIG_NAME
from .common import format_option, graphs_option, main, render_rows, reports_errors


@main.command()
@click.option("--due-by", type=int, metavar="YEAR", help="Only forecasts whose horizon ends by YEAR.")
@click.option("--camp", type=click.Choice(["closed", "open", "both"]), help="Only one camp.")
@click.option("--subject", metavar="TEXT", help="Only forecasts about an entity whose label contains TEXT.")
@format_option("table", "json", "csv", "tsv")
@graphs_option
@reports_errors
def forecasts(due_by, camp, subject, fmt, graphs_dir):
    """List forecasts by when they come due, with source and confidence.

    \b
    Examples:
      argmap forecasts --due-by 2031
      argmap forecasts --camp open --subject "open models" --format json
    """
    from ..graph.dataset import read_dataset
    from ..query.tracker import TRACKER_COLUMNS, tracked_forecasts

    rows = tracked_forecasts(read_dataset(graphs_dir / TRIG_NAME), due_by, camp, subject)
    click.echo(render_rows(TRACKER_COLUMNS, [[r[c] for c in TRACKER_COLUMNS] for r in rows], fmt), nl=False)
    if fmt == "table":
        click.echo(f"{len(rows)} forecast{'s' if len(rows) != 1 else ''}", err=True)
