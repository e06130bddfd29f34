"""``argmap query``: run a saved query, a .rq file or inline SPARQL."""

from __future__ import annotations

import sys

import click

from click.core import ParameterSource

from ..settings import DEFAULT_STORE, STORE_CHOICES
from .common import format_option, graphs_option, main, render_rows, reports_errors


def store_option(func):
    """``--store auto|oxigraph-memory|oxigraph|memory``, shared by the commands that query the local graph."""
    return click.option("--store", "store", type=click.Choice(STORE_CHOICES), default=DEFAULT_STORE, show_default=True,
                        envvar="ARGMAP_STORE",
                        help="Query engine: auto (Oxigraph in RAM up to 3 MB of TriG, on disk past it; the "
                             "endpoint stays in RAM up to 50 MB); Oxigraph in RAM (fastest queries, loads on "
                             "every start); Oxigraph on disk in GRAPHS/oxigraph (opens at once, for big graphs); "
                             "or rdflib in memory. Env: ARGMAP_STORE.")(func)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        name, value = pair.split("=", 1)
        params[name.strip()] = value
    return params


@main.command()
@click.argument("name", required=False)
@click.option("--sparql", help="Inline SPARQL query text.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (typed, never pasted into the text).")
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries and what they answer.")
@format_option("table", "json", "csv", "tsv")
@graphs_option
@store_option
@click.option("--endpoint", metavar="URL",
              help="Query this remote SPARQL endpoint instead of the local graph "
                   "(e.g. http://127.0.0.1:7878/sparql); parameters are bound as typed terms.")
@reports_errors
def query(name, sparql, params, list_queries, fmt, graphs_dir, store, endpoint):
    """Run a SPARQL query against the built graph.

    NAME is a saved query (see --list) or a .rq file; or pass --sparql "...".
    JSON output is the SPARQL 1.1 Query Results JSON format.

    \b
    Examples:
      argmap query claims --format json
      argmap query forecasts-due --param year=2030
      argmap query --sparql "SELECT ?s WHERE { ?s a <https://w3id.org/argmap/vocab#Claim> } LIMIT 3"
      argmap query claims-by-camp --param camp=open --store oxigraph
      argmap query outline --param source=https://w3id.org/argmap/id/article/ID --endpoint URL
    """
    from ..query.saved import bind_params, compact, resolve_query, saved_queries
    from ..query.remote import query_endpoint
    from ..query.store import inspect_query
    from ..query.store import open as open_store

    if list_queries:
        rows = [[q.name, q.description, " ".join(f"{p.name}={p.type}" for p in q.params)]
                for q in saved_queries().values()]
        click.echo(render_rows(["name", "description", "params"], rows, fmt if fmt != "json" else "json"),
                   nl=False)
        return
    if bool(name) == bool(sparql):
        raise click.UsageError("give a query NAME (or .rq file) or --sparql, not both or neither")
    saved = resolve_query(name) if name else None
    text = saved.text if saved else sparql
    bindings = bind_params(saved, _parse_params(params))
    if endpoint:
        if click.get_current_context().get_parameter_source("store") == ParameterSource.COMMANDLINE:
            raise click.UsageError("--store picks a local engine: it cannot be combined with --endpoint")
        result = query_endpoint(endpoint, text, bindings)
        if getattr(result, "truncated", False):
            shown = len(result.graph) if result.graph is not None else len(result.rows)
            click.echo(f"warning: {endpoint} cut the answer at its row limit ({shown} shown, "
                       "X-Argmap-Truncated): narrow the query or raise argmap serve --max-rows", err=True)
    else:
        with open_store(graphs_dir, store) as graph:
            if fmt == "json" and inspect_query(text).form in ("SELECT", "ASK"):
                # As the endpoint sends it: Oxigraph writes it without making rdflib terms.
                click.echo(graph.answer(text, bindings, format="json").body.decode("utf-8"))
                return
            result = graph.execute(text, bindings)
    if result.graph is not None:
        click.echo(result.graph.serialize(format="turtle"), nl=False)
        return
    if fmt == "json":
        click.echo(result.raw.serialize(format="json").decode("utf-8"))
        return
    rows = [[compact(v) for v in row] for row in result.rows]
    click.echo(render_rows(result.columns, rows, fmt), nl=False)
    if fmt == "table":
        click.echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", err=True)
    sys.stdout.flush()
