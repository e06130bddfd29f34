"""Run untrusted queries in worker processes that can be killed.

rdflib has no query timeout, and a thread cannot be stopped, so the endpoint
sends each query to a worker *process* that has the store open.  A query
that runs past the time limit has its worker killed (SIGKILL) and a fresh
worker started in the background; the others keep answering.  Workers are
started with ``subprocess`` (not ``multiprocessing``, whose spawn re-imports
the parent's ``__main__``) and talk to the pool over a socket pair.

Queries wait in a queue per client, not for a 503: a free worker goes to the
waiting client with the fewest queries running (ties: the one waiting longest),
and no client holds more than all workers but one, so an expensive query delays
its own client's next queries and nobody else's.  A query that waits longer than
the queue limit gets :class:`PoolBusy`.  When ``argmap.trig`` changes, workers
on the new graph are started while the old ones go on answering; each old
worker is retired once a new one is ready, so a reload refuses no query (the
on-disk Oxigraph store is the exception: its reload needs the folder to itself).

In a worker, opening a network connection is refused (an audit hook), as a
second line of defence behind the refusal of ``SERVICE`` queries.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import ArgmapError, GraphError, QueryError
from ..settings import DEFAULT_STORE

__all__ = ["QueryPool", "QueryTimeout", "PoolBusy", "answer_job", "default_workers"]


def default_workers() -> int:
    """Worker processes for this machine: one per core and two more, so that queries which
    keep every core busy still leave a worker for the cheap ones (at most 8: each holds
    the graph in memory).

    >>> 3 <= default_workers() <= 8
    True
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(3, min(8, cores + 2))


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
    from ..query.saved import bind_params, saved_queries
    from ..query.results import NotAcceptable, media_type, negotiate
    from ..query.store import Answer, QueryRefused, inspect_query

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
    from ..query import store as store_mod

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
        # The worker lowers its own priority before it imports anything: starting one (a second
        # of imports and loading) must not take CPU from the workers that answer queries.
        code = ("import os, sys; os.nice(19); from argmap.serve.workers import worker_main; "
                "worker_main(int(sys.argv[1]), *sys.argv[2:])")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(graphs_dir), store_kind],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.generation = generation
        # At the lowest CPU priority while it loads the graph (and later during a long query),
        # so that starting workers takes no CPU from the queries of the running ones.
        self.niced = True

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

    def lower_priority(self) -> bool:
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
            self.niced = True
        except (AttributeError, OSError):
            pass
        return True

    def restore_priority(self) -> bool:
        """Back to the normal priority after a long query; False if the OS refuses (only root
        may raise a priority)."""
        if not self.niced:
            return True
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 0)
        except (AttributeError, OSError):
            return False
        self.niced = False
        return True

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait for anything
            pass
        self.conn.close()


# A query still running after this many seconds is a long one: its worker drops to the
# lowest CPU priority until it answers, so the cheap queries of other clients keep the cores.
_LONG = 0.25
# How long a client whose query ran long counts as slow (see QueryPool._dispatch).
_SLOW_MEMORY = 30.0


class _Ticket:
    """A query waiting for a worker."""

    __slots__ = ("client", "event", "worker")

    def __init__(self, client: str) -> None:
        self.client = client
        self.event = threading.Event()
        self.worker: _Worker | None = None


class QueryPool:
    """Worker processes holding the store; :meth:`run` answers a job within ``timeout``
    once a worker is free, having waited at most ``queue_wait`` for one (see the module
    docstring for who gets a free worker, and for reloads).
    """

    def __init__(self, graphs_dir: str | os.PathLike = "graphs", store: str = DEFAULT_STORE, *,
                 workers: int | None = None, timeout: float = 5.0, max_rows: int | None = 10_000,
                 load_timeout: float = 600.0, queue_wait: float = 30.0) -> None:
        self.graphs_dir = Path(graphs_dir)
        if store == "auto":  # decided once, when the endpoint starts
            from ..query.store import auto_store

            store = auto_store(self.graphs_dir, serving=True)
        self.store = store
        self.size = max(1, workers or default_workers())
        self.per_client = max(1, self.size - 1)
        self.timeout = timeout
        self.queue_wait = queue_wait
        self.max_rows = max_rows
        self.load_timeout = load_timeout
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._waiting: dict[str, deque[_Ticket]] = {}
        self._running: Counter[str] = Counter()
        self._to_retire = 0  # old-generation workers to retire as they come back
        self._slow: dict[str, float] = {}  # client → when its last query ran long (or timed out)
        self._lock = threading.Lock()
        self._generation = 0
        self._stamp = None
        self._checked = 0.0
        self.failure: str | None = None
        self._closed = False

    # -- lifecycle
    def start(self) -> None:
        """Start the workers and wait until they have the graph open (GraphError if they cannot)."""
        from ..settings import TRIG_NAME

        trig = self.graphs_dir / TRIG_NAME
        if not trig.exists():
            raise GraphError(f"no graph at {trig}: run 'argmap build' first (or pass --graphs DIR)")
        self._stamp = self._trig_stamp()
        first = self._spawn(self._generation)
        first.wait_ready(self.load_timeout)  # loads (and for Oxigraph, builds) once, before the others
        self._ready(first)
        for _ in range(self.size - 1):
            self._replace_later()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all, self._idle = list(self._all), set(), []
        for worker in workers:
            worker.kill()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- workers
    def _spawn(self, generation: int) -> _Worker:
        worker = _Worker(self.graphs_dir, self.store, generation)
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

    def _replace_later(self) -> None:
        threading.Thread(target=self._replace, args=(self._generation,), daemon=True).start()

    def _replace(self, generation: int) -> None:
        """Start one worker in the background and make it available once ready."""
        try:
            worker = self._spawn(generation)
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
            self._retire(worker)  # an even newer graph came meanwhile
            return
        self._ready(worker)

    def _ready(self, worker: _Worker) -> None:
        """A worker on the current graph is ready: it replaces one on an older graph."""
        worker.restore_priority()  # if the OS refuses, it works on at low priority
        stale = None
        with self._lock:
            old = [w for w in self._idle if w.generation != worker.generation]
            if old:
                stale = old[0]
                self._idle.remove(stale)
                self._all.discard(stale)
            elif any(w.generation != worker.generation for w in self._all if w is not worker):
                self._to_retire += 1  # busy: retired when its query ends
            self._idle.append(worker)
            self._dispatch()
        if stale is not None:
            stale.kill()

    def _trig_stamp(self):
        from ..settings import TRIG_NAME

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
            self._to_retire = 0
            old = []
            if self.store == "oxigraph":  # the on-disk store reloads in place: the old workers go first
                old, self._all, self._idle = list(self._all), set(), []
        for worker in old:
            worker.kill()
        if old:
            for _ in range(self.size):
                self._replace_later()
        else:  # one new worker at a time: the old ones answer meanwhile, and loads do not pile up
            generation = self._generation
            threading.Thread(target=lambda: [self._replace(generation) for _ in range(self.size)],
                             daemon=True).start()

    # -- the queue
    def _dispatch(self) -> None:
        """Give idle workers to waiting queries (the lock is held)."""
        now = time.monotonic()
        slow = {c for c, t in self._slow.items() if now - t < _SLOW_MEMORY}
        while self._idle and self._waiting:
            # Clients whose last query ran long share all workers but one: one stays for quick queries.
            # (Workers still loading the graph do not count: they cannot answer yet.)
            slow_running = sum(self._running[c] for c in slow)
            ready = len(self._idle) + sum(self._running.values())
            allowed = [c for c in self._waiting if self._running[c] < self.per_client
                       and (c not in slow or slow_running < max(1, ready - 1))]
            if not allowed:
                return
            # Quick clients first, then the fewest running; dict order breaks ties: the longest waiting.
            client = min(allowed, key=lambda c: (c in slow, self._running[c]))
            tickets = self._waiting.pop(client)
            ticket = tickets.popleft()
            if tickets:
                self._waiting[client] = tickets  # to the back of the round
            current = [w for w in self._idle if w.generation == self._generation]
            worker = (current or self._idle)[0]
            self._idle.remove(worker)
            ticket.worker = worker
            self._running[client] += 1
            ticket.event.set()

    def _acquire(self, client: str) -> _Worker:
        ticket = _Ticket(client)
        with self._lock:
            if self._closed:
                raise GraphError("the query pool is closed")
            self._waiting.setdefault(client, deque()).append(ticket)
            self._dispatch()
        deadline = time.monotonic() + self.queue_wait
        while not ticket.event.wait(min(0.25, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline or (self.failure and not self._all):
                with self._lock:
                    if ticket.worker is None:
                        tickets = self._waiting.get(client)
                        if tickets and ticket in tickets:
                            tickets.remove(ticket)
                            if not tickets:
                                del self._waiting[client]
                        if self.failure and not self._all:
                            raise GraphError(self.failure)
                        raise PoolBusy(f"no query worker was free for {self.queue_wait:g} s "
                                       f"({self.size} workers; the graph may still be loading): try again")
                break
        return ticket.worker

    def _release(self, client: str, worker: _Worker | None) -> None:
        """A query of ``client`` is over; ``worker`` goes back to the pool (None: it was killed)."""
        stale = None
        with self._lock:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            if worker is not None and worker in self._all:
                if worker.generation != self._generation and self._to_retire > 0:
                    self._to_retire -= 1
                    self._all.discard(worker)
                    stale = worker
                else:
                    self._idle.append(worker)
            self._dispatch()
        if stale is not None:
            stale.kill()

    # -- queries
    def run(self, job: dict, client: str = "") -> dict:
        """Answer ``job`` (see :func:`answer_job`) in a worker, for ``client`` (any key: the
        endpoint uses the connection's address); QueryTimeout / PoolBusy when it cannot."""
        self._check_for_new_graph()
        job = {"max_rows": self.max_rows, **job}
        while True:
            worker = self._acquire(client)
            if worker.process.poll() is None:
                break
            self._retire(worker)  # died while idle
            self._release(client, None)
            self._replace_later()
        try:
            worker.conn.send(job)
            quick = worker.conn.poll(min(self.timeout, _LONG))
            with self._lock:
                if quick:
                    self._slow.pop(client, None)
                else:
                    self._slow[client] = time.monotonic()
            if quick or (worker.lower_priority() and worker.conn.poll(max(0.0, self.timeout - _LONG))):
                answer = worker.conn.recv()
                if worker.restore_priority():
                    self._release(client, worker)
                else:  # it cannot get its priority back (not root): a fresh worker takes its place
                    self._retire(worker)
                    self._release(client, None)
                    self._replace_later()
                return answer
        except (EOFError, OSError):
            self._retire(worker)
            self._release(client, None)
            self._replace_later()
            raise QueryError("the query worker crashed (out of memory?); it has been restarted") from None
        self._retire(worker)
        self._release(client, None)
        self._replace_later()
        raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped "
                           "(the limit is argmap serve --timeout)")
