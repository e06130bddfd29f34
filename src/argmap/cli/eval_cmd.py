"""``argmap eval``: score the built graph against gold annotations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..settings import TRIG_NAME
from .common import corpus_option, format_option, graphs_option, main, reports_errors


@main.command("eval")
@click.option("--gold", "gold_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of gold annotations (<stem>.gold.yaml, one per article).")
@corpus_option
@graphs_option
@format_option("table", "json")
@reports_errors
def eval_command(gold_dir: Path, corpus_dir: Path, graphs_dir: Path, fmt: str) -> None:
    """Score the graph against gold files: precision, recall and F1 per section.

    Sections are entities (untyped and typed), claims, forecasts and
    relations, per article and micro-averaged overall, plus camp, key,
    confidence and horizon accuracy, resolved duplicates, restates precision and the number of
    predictions in off-topic text (target 0).  A gold file that cannot be
    scored (unreadable, or a quote its article does not contain) is reported
    on stderr and skipped; the others are scored.  Warnings go to stderr.

    \b
    Examples:
      argmap eval --gold gold/
      argmap eval --gold gold/ --format json > eval.json
    """
    from ..corpus.articles import read_corpus
    from ..evaluate.scoring import evaluate, render_table
    from ..graph.dataset import read_dataset

    report = evaluate(read_dataset(graphs_dir / TRIG_NAME), read_corpus(corpus_dir), gold_dir)
    for problem in report["problems"]:
        click.echo(f"problem: {problem} (not scored)", err=True)
    for warning in report["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(render_table(report), nl=False)
