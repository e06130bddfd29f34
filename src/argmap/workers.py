"""Run untrusted queries in worker processes that can be killed.

rdflib has no query timeout, and a thread cannot be stopped, so the endpoint
sends each query to a worker *process* that has the store open.  A query
that runs past the time limit has its worker killed (SIGKILL) and a fresh
worker started in the background; the others keep answering.  Workers are
started with ``subprocess`` (not ``multiprocessing``, whose spawn re-imports
the parent's ``__main__``) and talk to the pool over a socket pair.

In a worker, opening a network connection is refused (an audit hook), as a
second line of defence behind the refusal of ``SERVICE`` queries.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import ArgmapError, GraphError, QueryError
from .settings import DEFAULT_STORE

__all__ = ["QueryPool", "QueryTimeout", "PoolBusy", "answer_job"]


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped."""


class PoolBusy(ArgmapError):
    """Every worker stayed busy (or was loading the graph) for the whole time limit."""


def _block_network() -> None:
    blocked = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
               "urllib.Request", "http.client.connect"}

    def hook(event: str, args: tuple) -> None:
        if event in blocked:
            raise PermissionError(f"network access is disabled in query workers ({event})")

    sys.addaudithook(hook)


def answer_job(store, job: dict) -> dict:
    """Run one job on an open store; return status, media type, body and row facts.

    A job is ``{"text": SPARQL}`` or ``{"name": saved query, "params": {...}}``
    with ``accept`` / ``format`` (content negotiation) and ``max_rows``;
    ``"render": False`` makes the rows as the Python API does and writes nothing
    (for timing that path).
    """
    from .query import bind_params, saved_queries
    from .results import NotAcceptable, media_type, negotiate
    from .store import Answer, QueryRefused, inspect_query

    try:
        if job.get("name") is not None:
            saved = saved_queries().get(job["name"])
            if saved is None:
                return _error(404, f"no saved query {job['name']!r}: see /queries")
            text, params = saved.text, job.get("params") or {}
            missing = [p.name for p in saved.params if p.name not in params]
            if missing and "OPTIONAL-PARAMS" not in text:
                return _error(400, f"query {saved.name} needs the parameter {missing[0]}: "
                                   f"/queries/{saved.name}?{missing[0]}=VALUE")
            bindings = bind_params(saved, params)
        else:
            text, bindings = job["text"], {}
        form = inspect_query(text).form
        name = negotiate(form, job.get("accept"), job.get("format"))
        started = time.perf_counter()
        if job.get("render", True):
            answer = store.answer(text, bindings, format=name, max_rows=job.get("max_rows"), allow_service=False)
        else:  # rows as rdflib terms, as the Python API returns them
            result = store.execute(text, bindings, max_rows=job.get("max_rows"), allow_service=False)
            answer = Answer(b"", len(result.graph) if result.graph is not None else len(result.rows),
                            result.truncated)
        return {"status": 200, "media_type": media_type(form, name), "body": answer.body, "rows": answer.rows,
                "truncated": answer.truncated, "elapsed": time.perf_counter() - started}
    except NotAcceptable as exc:
        return _error(406, str(exc))
    except QueryRefused as exc:
        return _error(403, str(exc))
    except QueryError as exc:
        return _error(400, str(exc))
    except GraphError as exc:
        return _error(503, str(exc))
    except Exception as exc:  # a bug, not the client's fault; keep the worker alive
        return _error(500, f"internal error: {type(exc).__name__}: {exc}")


def _error(status: int, message: str) -> dict:
    return {"status": status, "media_type": "text/plain; charset=utf-8",
            "body": (message + "\n").encode("utf-8")}


def worker_main(fd: int, graphs_dir: str, store_kind: str) -> None:
    """Entry point of a worker process: open the store, then answer jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pool stops us; Ctrl-C is for the server
    conn = Connection(fd)
    sys.stdout = sys.stderr  # nothing may write to the protocol; keep stray prints visible
    _block_network()
    from . import store as store_mod

    try:
        store = store_mod.open(graphs_dir, store_kind)
    except ArgmapError as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:
        conn.send(("failed", f"cannot open the {store_kind} store: {type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer_job(store, job))


class _Worker:
    def __init__(self, graphs_dir: Path, store_kind: str, generation: int) -> None:
        ours, theirs = socket.socketpair()
        code = "import sys; from argmap.workers import worker_main; worker_main(int(sys.argv[1]), *sys.argv[2:])"
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(graphs_dir), store_kind],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.generation = generation

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise GraphError(f"a query worker did not open the graph within {timeout:.0f} s")
        try:
            status, message = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise GraphError("a query worker exited while opening the graph (see its error above)") from None
        if status != "ready":
            self.kill()
            raise GraphError(message)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait for anything
            pass
        self.conn.close()


class QueryPool:
    """A few worker processes holding the store; :meth:`run` answers a job within ``timeout``.

    When ``argmap.trig`` changes on disk, the workers are replaced so the next
    queries see the new graph (an Oxigraph store reloads first).
    """

    def __init__(self, graphs_dir: str | os.PathLike = "graphs", store: str = DEFAULT_STORE, *, workers: int = 2,
                 timeout: float = 5.0, max_rows: int | None = 10_000, load_timeout: float = 600.0) -> None:
        self.graphs_dir = Path(graphs_dir)
        self.store = store
        self.size = max(1, workers)
        self.timeout = timeout
        self.max_rows = max_rows
        self.load_timeout = load_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._generation = 0
        self._stamp = None
        self._checked = 0.0
        self.failure: str | None = None
        self._closed = False

    # -- lifecycle
    def start(self) -> None:
        """Start the workers and wait until they have the graph open (GraphError if they cannot)."""
        from .store import TRIG_NAME

        trig = self.graphs_dir / TRIG_NAME
        if not trig.exists():
            raise GraphError(f"no graph at {trig}: run 'argmap build' first (or pass --graphs DIR)")
        self._stamp = self._trig_stamp()
        first = self._spawn()
        first.wait_ready(self.load_timeout)  # loads (and for Oxigraph, builds) once, before the others
        self._idle.put(first)
        for _ in range(self.size - 1):
            threading.Thread(target=self._replace, daemon=True).start()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- workers
    def _spawn(self) -> _Worker:
        worker = _Worker(self.graphs_dir, self.store, self._generation)
        with self._lock:
            closed = self._closed
            if not closed:
                self._all.add(worker)
        if closed:  # the pool was closed meanwhile
            worker.kill()
            raise GraphError("the query pool is closed")
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _replace(self) -> None:
        """Start one worker in the background and make it available once ready."""
        try:
            worker = self._spawn()
        except GraphError:
            return
        try:
            worker.wait_ready(self.load_timeout)
        except GraphError as exc:
            self.failure = str(exc)
            self._retire(worker)
            return
        self.failure = None
        if worker.generation != self._generation:
            self._retire(worker)
            return
        self._idle.put(worker)

    def _trig_stamp(self):
        from .store import TRIG_NAME

        try:
            stat = (self.graphs_dir / TRIG_NAME).stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def _check_for_new_graph(self) -> None:
        now = time.monotonic()
        if now - self._checked < 1.0:
            return
        self._checked = now
        stamp = self._trig_stamp()
        if stamp is None or stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            self._stamp = stamp
            self._generation += 1
            old, self._all = list(self._all), set()
        for worker in old:  # all of them: an Oxigraph reload needs the folder to itself
            worker.kill()
        for _ in range(self.size):
            threading.Thread(target=self._replace, daemon=True).start()

    # -- queries
    def run(self, job: dict) -> dict:
        """Answer ``job`` (see :func:`answer_job`) in a worker; QueryTimeout / PoolBusy when it cannot."""
        self._check_for_new_graph()
        job = {"max_rows": self.max_rows, **job}
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                if self.failure:
                    raise GraphError(self.failure) from None
                raise PoolBusy(f"all {self.size} query workers stayed busy for {self.timeout:g} s "
                               "(or the graph is still loading): try again") from None
            if worker.generation == self._generation and worker.process.poll() is None:
                break
            self._retire(worker)
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            self._retire(worker)
            threading.Thread(target=self._replace, daemon=True).start()
            if worker.generation != self._generation:
                raise PoolBusy("the graph changed while the query ran: try again") from None
            raise QueryError("the query worker crashed (out of memory?); it has been restarted") from None
        self._retire(worker)
        threading.Thread(target=self._replace, daemon=True).start()
        raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped "
                           "(the limit is argmap serve --timeout)")
