"""``argmap train``: train the unit and camp classifiers on annotated articles."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import main, model_option, reports_errors


@main.command("train")
@click.option("--split", "split_file", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="YAML file naming the tune (and check) gold folders; only `tune` is trained on.")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Where the models go [default: the package's data/models, which argmap ships].")
@click.option("--cross-validate/--no-cross-validate", "cross", default=True, show_default=True,
              help="Score rules against the model leave-one-article-out before the final training.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Claim-probability cut when not cross-validating (cross-validation chooses its own).")
@model_option
@reports_errors
def train_command(split_file: Path, out_dir: Path | None, cross: bool, threshold: float, model: str) -> None:
    """Train the unit model (claim | other | offtopic) and the camp model with spaCy.

    Prints the leave-one-article-out comparison of rules and model as JSON on
    stdout; spaCy's training log goes to stderr.

    \b
    Example:
      argmap train --split devset/split.yaml
    """
    from tqdm import tqdm

    from ..extract import load_pipeline
    from ..extract.decide import models_dir
    from ..evaluate.train import read_split, train_all

    split = read_split(split_file)
    nlp = load_pipeline(model, decider="rules")
    report = train_all(split["tune"], out_dir or models_dir(), nlp, cross, threshold=threshold,
                       progress=lambda items: tqdm(items, desc="labelling", unit="article", file=sys.stderr))
    click.echo(json.dumps(report, indent=1))
