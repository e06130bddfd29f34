"""Options shared by every command, error handling and row rendering."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from ..errors import ArgmapError
from ..settings import DEFAULT_MODEL, VERSION

__all__ = ["main", "corpus_option", "graphs_option", "model_option", "writer_options", "format_option",
           "reports_errors", "render_rows"]



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="argmap")
def main() -> None:
    """Build, query and explore an argument-map knowledge graph of a debate corpus.

    Articles live in a corpus folder (Markdown with YAML front matter); the
    graph (graphs/argmap.trig) and the page (graphs/argmap.html) are built from it.
    """


def corpus_option(func: Callable) -> Callable:
    return click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("corpus"), show_default=True,
                        help="Folder of corpus articles (*.md).")(func)


def graphs_option(func: Callable) -> Callable:
    return click.option("--graphs", "graphs_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("graphs"), show_default=True,
                        help="Folder for the built graph and page.")(func)


def model_option(func: Callable) -> Callable:
    return click.option("--model", "model", default=DEFAULT_MODEL, show_default=True, envvar="ARGMAP_MODEL",
                        help="Installed spaCy English pipeline to load (e.g. en_core_web_sm, en_core_web_lg).")(func)


def writer_options(func: Callable) -> Callable:
    """The options of every command that changes the graph: --corpus, --graphs, --model,
    --max-chars, --jobs, --no-page and --quiet, declared once."""
    from ..settings import DEFAULT_MAX_CHARS

    func = click.option("--quiet", "-q", is_flag=True, help="No progress bar or messages.")(func)
    func = click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, envvar="ARGMAP_JOBS",
                        help="Processes that extract articles at once; 0 (the default) uses every core "
                             "available. Env: ARGMAP_JOBS.")(func)
    func = click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULT_MAX_CHARS, show_default=True,
                        envvar="ARGMAP_MAX_CHARS",
                        help="Refuse articles longer than this many characters (spaCy's limit; its parser "
                             "needs about 1 GB of memory per 100,000). Env: ARGMAP_MAX_CHARS.")(func)
    func = click.option("--no-page", is_flag=True, help="Do not write the interactive page.")(func)
    return corpus_option(graphs_option(model_option(func)))


def format_option(*choices: str, default: str = "table") -> Callable:
    def decorate(func: Callable) -> Callable:
        return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                            help="Output format.")(func)
    return decorate


def reports_errors(func: Callable) -> Callable:
    """Turn library errors into a one-line message and exit code 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ArgmapError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def render_rows(columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str, *,
                max_width: int = 80) -> str:
    """Render rows as an aligned table, CSV, TSV or a JSON array of objects.

    >>> print(render_rows(["a", "b"], [[1, "x"]], "csv").strip())
    a,b
    1,x
    """
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], indent=2, ensure_ascii=False, default=str)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return out.getvalue()
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(col)] + [len(row[i]) for row in cells]) for i, col in enumerate(columns)]
    line = "  ".join("-" * w for w in widths)
    header = "  ".join(col.ljust(w) for col, w in zip(columns, widths))
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join([header.rstrip(), line, *body]) + "\n"
