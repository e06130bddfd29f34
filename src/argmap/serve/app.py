"""A read-only SPARQL endpoint and the map, over HTTP (Starlette + uvicorn).

Routes:

* ``/sparql``: SPARQL 1.1 Protocol queries: ``GET ?query=``, ``POST`` with
  ``application/sparql-query`` or a form (``application/x-www-form-urlencoded``).
  Results are negotiated from ``Accept`` (or ``format=``): JSON, XML, CSV or
  TSV for SELECT/ASK; Turtle, JSON-LD, N-Triples or RDF/XML for CONSTRUCT and
  DESCRIBE (see :mod:`argmap.query.results`).
* ``/queries``: the saved queries as JSON; ``/queries/NAME?param=value`` runs one.
* ``/query``: a page to write and run queries (served from the package).
* ``/``: the interactive map, ``<graphs>/argmap.html``.

Refused: SPARQL Update (403), ``SERVICE`` (403: it would reach the network),
malformed queries (400, with the parser's message).  Every query runs in a
killable worker process (:mod:`argmap.serve.workers`) under a time limit (503 when
exceeded) and returns at most ``max_rows`` rows; a cut answer carries the
header ``X-Argmap-Truncated: true``.  A query waits in its client's queue (a
client is a connection) while the workers are busy, up to ``queue_wait``
seconds; a free worker goes to the client with the fewest queries running.
"""

from __future__ import annotations

import ipaddress
import socket
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qsl

from ..errors import ArgmapError, GraphError, QueryError
from ..settings import DEFAULT_PORT, DEFAULT_STORE

__all__ = ["ServeSettings", "create_app", "run", "url_for", "DEFAULT_PORT"]

MAX_QUERY_BYTES = 256 * 1024
_STATIC = {"query.html": "text/html; charset=utf-8", "query.js": "text/javascript; charset=utf-8",
           "query.css": "text/css; charset=utf-8"}
# Files of the graphs folder the map page may load (never the Oxigraph store or hidden files).
_MAP_FILES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
              ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
              ".png": "image/png", ".ico": "image/x-icon", ".trig": "application/trig"}
_LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


@dataclass(frozen=True)
class ServeSettings:
    """What ``argmap serve`` runs with; limits are named settings."""

    graphs_dir: Path = Path("graphs")
    store: str = DEFAULT_STORE
    timeout: float = 5.0  # seconds a query may run before its worker is killed
    max_rows: int = 10_000  # rows (or triples) returned at most; more are cut and flagged
    workers: int | None = None  # query worker processes; None: the cores and two more (workers.default_workers)
    queue_wait: float = 30.0  # seconds a query may wait for a free worker before a 503


def url_for(host: str, port: int) -> str:
    """The base URL a browser should use for a bind address.

    >>> url_for("127.0.0.1", 7878)
    'http://127.0.0.1:7878/'
    >>> url_for("::1", 80)
    'http://[::1]:80/'
    """
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _plain(status: int, message: str, headers: dict | None = None):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


def _no_map_page(graphs_dir: Path) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>argmap</title>
<link rel="stylesheet" href="/static/query.css"></head><body><main>
<h1>No map yet</h1>
<p>There is no <code>{graphs_dir / "argmap.html"}</code>. Build it with <code>argmap build</code>
(it writes the graph and the map page), then reload this page.</p>
<p>Meanwhile the graph can be queried: <a href="/query">query page</a>,
<a href="/queries">saved queries</a>, SPARQL endpoint at <code>/sparql</code>.</p>
</main></body></html>"""


def create_app(settings: ServeSettings, *, pool=None, allowed_hosts: list[str] | None = None):
    """The Starlette application.  ``pool`` defaults to a started :class:`~argmap.serve.workers.QueryPool`."""
    from anyio import to_thread
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    from ..query.saved import saved_queries
    from .workers import PoolBusy, QueryPool, QueryTimeout

    if pool is None:
        pool = QueryPool(settings.graphs_dir, settings.store, workers=settings.workers,
                         timeout=settings.timeout, max_rows=settings.max_rows, queue_wait=settings.queue_wait)
        pool.start()
    graphs_dir = Path(settings.graphs_dir)

    async def _answer(job: dict, request):
        # A client is a connection: an expensive query holds up its own connection's next
        # queries, not other clients' (argmap.serve.workers).
        client = f"{request.client.host}:{request.client.port}" if request.client else ""
        try:
            answer = await to_thread.run_sync(pool.run, job, client)
        except (QueryTimeout, PoolBusy) as exc:
            return _plain(503, str(exc), {"Retry-After": "1"})
        except GraphError as exc:
            return _plain(503, str(exc))
        except QueryError as exc:
            return _plain(500, str(exc))
        headers = {}
        if answer["status"] == 200:
            headers["X-Argmap-Rows"] = str(answer["rows"])
            headers["X-Argmap-Max-Rows"] = str(settings.max_rows)
            headers["X-Argmap-Elapsed"] = f"{answer['elapsed']:.3f}"
            if answer["truncated"]:
                headers["X-Argmap-Truncated"] = "true"
            headers["Access-Control-Expose-Headers"] = "X-Argmap-Rows, X-Argmap-Truncated, X-Argmap-Max-Rows"
        return Response(answer["body"], status_code=answer["status"], headers=headers,
                        media_type=answer["media_type"])

    async def sparql(request):
        fields = dict(request.query_params)
        formats = request.query_params.getlist("format")  # some clients repeat it (name, media type)
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > MAX_QUERY_BYTES:
                return _plain(413, f"the request is larger than {MAX_QUERY_BYTES} bytes")
            body = await request.body()
            if len(body) > MAX_QUERY_BYTES:
                return _plain(413, f"the request is larger than {MAX_QUERY_BYTES} bytes")
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return _plain(400, "the request body is not UTF-8")
            if kind == "application/sparql-update":
                return _plain(403, "SPARQL Update is not allowed: this endpoint is read-only")
            if kind == "application/sparql-query":
                fields["query"] = decoded
            elif kind == "application/x-www-form-urlencoded":
                pairs = parse_qsl(decoded, keep_blank_values=True)
                fields.update(pairs)
                formats += [v for k, v in pairs if k == "format"]
            else:
                return _plain(415, "POST a query as application/sparql-query or as the 'query' field of "
                                   "an application/x-www-form-urlencoded form")
        text = fields.get("query")
        if "update" in fields:
            return _plain(403, "SPARQL Update is not allowed: this endpoint is read-only")
        if "default-graph-uri" in fields or "named-graph-uri" in fields:
            return _plain(400, "default-graph-uri and named-graph-uri are not supported: the default graph is "
                               "the union of all graphs; select a graph in the query with GRAPH <iri> { ... }")
        if not text or not text.strip():
            if "text/html" in request.headers.get("accept", ""):
                return RedirectResponse("/query", status_code=303)
            return _plain(400, "missing the 'query' parameter (SPARQL 1.1 Protocol): "
                               "GET /sparql?query=... or POST it")
        if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
            return _plain(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
        return await _answer({"text": text, "accept": request.headers.get("accept"),
                              "format": formats[0] if formats else None}, request)

    async def list_queries(request):
        out = [{"name": q.name, "description": q.description, "url": f"/queries/{q.name}",
                "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params],
                "text": q.text} for q in saved_queries().values()]
        return JSONResponse(out)

    async def run_saved(request):
        name = request.path_params["name"]
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        return await _answer({"name": name, "params": params, "accept": request.headers.get("accept"),
                              "format": request.query_params.get("format")}, request)

    def _packaged(name: str):
        if name not in _STATIC:
            return _plain(404, f"no static file {name!r}")
        data = (files("argmap") / "data" / "static" / name).read_bytes()
        return Response(data, media_type=_STATIC[name],
                        headers={"Content-Security-Policy": "default-src 'self'", "Cache-Control": "no-cache"})

    async def static(request):
        return _packaged(request.path_params["name"])

    async def query_page(request):
        return _packaged("query.html")

    async def home(request):
        page = graphs_dir / "argmap.html"
        if page.is_file():
            return FileResponse(page, media_type="text/html; charset=utf-8")
        return HTMLResponse(_no_map_page(graphs_dir), status_code=404)

    async def map_file(request):
        rel = request.path_params["path"]
        try:  # a NUL byte or an undecodable name is no file of the map
            parts = Path(rel).parts
            target = (graphs_dir / rel).resolve()
        except (ValueError, OSError):
            return _plain(404, f"not found: /{rel!r}")
        root = graphs_dir.resolve()
        if (any(p.startswith(".") or p == "oxigraph" for p in parts) or root not in target.parents
                or target.suffix not in _MAP_FILES or not target.is_file()):
            return _plain(404, f"not found: /{rel}")
        return FileResponse(target, media_type=_MAP_FILES[target.suffix])

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", list_queries),
        Route("/queries/{name}", run_saved),
        Route("/query", query_page),
        Route("/static/{name}", static),
        Route("/{path:path}", map_file),
    ]

    async def headers(request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["*"]),
                  Middleware(BaseHTTPMiddleware, dispatch=headers)]

    @asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            pool.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    app.state.settings = settings
    return app


def run(settings: ServeSettings, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, on_ready=None) -> None:
    """Start the workers, then serve until interrupted.  ``on_ready(url)`` is called once listening."""
    import uvicorn

    from .workers import QueryPool

    allowed = _LOOPBACK_NAMES if _is_loopback(host) else None
    sock = _listen(host, port)
    pool = QueryPool(settings.graphs_dir, settings.store, workers=settings.workers,
                     timeout=settings.timeout, max_rows=settings.max_rows, queue_wait=settings.queue_wait)
    pool.start()
    try:
        app = create_app(settings, pool=pool, allowed_hosts=allowed)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                timeout_graceful_shutdown=2)
        server = uvicorn.Server(config)
        if on_ready is not None:
            original = server.startup

            async def startup(sockets=None):
                await original(sockets=sockets)
                if server.started:
                    on_ready(url_for(host, sock.getsockname()[1]))

            server.startup = startup
        server.run(sockets=[sock])
    finally:
        pool.close()
        sock.close()


def _listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket first, so a busy port is a clear error (and port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise ArgmapError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (try another --port)") from None
    sock.listen(128)
    sock.set_inheritable(False)
    return sock

