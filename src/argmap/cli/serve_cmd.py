"""``argmap serve`` (a read-only SPARQL endpoint and the map) and ``argmap push``."""

from __future__ import annotations

import click

from ..settings import DEFAULT_PORT, TRIG_NAME
from .common import graphs_option, main, reports_errors
from .query_cmd import store_option


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the graph to the network.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@graphs_option
@store_option
@click.option("--timeout", default=5.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run; a longer one is stopped and answered with 503.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) returned at most; longer answers are cut and flagged "
                   "with the header X-Argmap-Truncated: true.")
@click.option("--workers", default=0, show_default=True, type=click.IntRange(0, 64),
              help="Query worker processes (each holds the graph; a timed-out one is replaced); "
                   "0: the cores and two more, at most 8.")
@click.option("--queue-wait", default=30.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds a query may wait for a free worker (in its client's queue) before a 503.")
@reports_errors
def serve(host, port, graphs_dir, store, timeout, max_rows, workers, queue_wait):
    """Serve the graph: a read-only SPARQL endpoint, a query page and the map.

    \b
    /          the interactive map (GRAPHS/argmap.html)
    /query     a page to write and run queries
    /sparql    SPARQL 1.1 Protocol endpoint (JSON, XML, CSV, TSV; Turtle, JSON-LD)
    /queries   the saved queries (JSON); /queries/NAME?param=value runs one

    SPARQL Update and SERVICE are refused.

    \b
    Examples:
      argmap serve
      argmap serve --store oxigraph --port 8000 --timeout 10
      curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/queries/forecasts-due?year=2030'
    """
    from ..serve.app import ServeSettings, run
    from ..serve.workers import default_workers

    from ..query.store import auto_store

    workers = workers or default_workers()
    store = auto_store(graphs_dir, serving=True) if store == "auto" else store
    settings = ServeSettings(graphs_dir=graphs_dir, store=store, timeout=timeout, max_rows=max_rows,
                             workers=workers, queue_wait=queue_wait)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach this address can query the graph",
                   err=True)
    click.echo(f"loading {graphs_dir / TRIG_NAME} ({store} store, {workers} workers)…", err=True)

    def ready(url: str) -> None:
        click.echo(f"argmap is serving {graphs_dir} at {url}  (SPARQL endpoint: {url}sparql, "
                   f"query page: {url}query); press Ctrl-C to stop", err=True)

    run(settings, host, port, on_ready=ready)


@main.command()
@click.argument("store_url", metavar="URL", required=False)
@click.option("--endpoint", "endpoint", metavar="URL", help="The Graph Store URL (same as the URL argument).")
@graphs_option
@click.option("--default-graph/--no-default-graph", default=True, show_default=True,
              help="Also replace the server's default graph with the merge of all graphs "
                   "(what the saved queries read).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds to wait for each request.")
@reports_errors
def push(store_url, endpoint, graphs_dir, default_graph, timeout):
    """Write every named graph to a SPARQL 1.1 Graph Store (HTTP PUT ?graph=IRI).

    Each graph replaces the graph of the same name on the server; other named
    graphs there are left alone.  The server's default graph becomes the merge
    of all the graphs, so the saved queries work there too: query it with
    `argmap query NAME --endpoint URL`.

    \b
    Example (Oxigraph, on a port other than argmap serve's 7878):
      oxigraph serve --location db --bind 127.0.0.1:7879 &
      argmap push --endpoint http://127.0.0.1:7879/store
      argmap query claims --endpoint http://127.0.0.1:7879/query
    """
    from ..query.remote import push as push_graphs

    if bool(store_url) == bool(endpoint):
        raise click.UsageError("give the Graph Store URL once: as the URL argument or as --endpoint URL")
    store_url = store_url or endpoint
    pushed = push_graphs(graphs_dir, store_url, default_graph=default_graph, timeout=timeout)
    for item in pushed:
        click.echo(f"{item.graph}\t{item.triples} triples\tHTTP {item.status}")
    named = [item for item in pushed if item.graph != "default"]
    merged = " and the merged default graph" if len(named) < len(pushed) else ""
    click.echo(f"pushed {len(named)} graphs ({sum(i.triples for i in named)} triples){merged} to {store_url}",
               err=True)
