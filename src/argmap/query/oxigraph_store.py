"""The Oxigraph store: pyoxigraph on disk in ``<graphs>/oxigraph/``, opened read-only
(or, as ``oxigraph-memory``, loaded into RAM by each process that opens it).

It is bulk loaded from ``argmap.trig`` the first time and again whenever the
TriG file changes (size or modification time differ from those recorded at
load).  An advisory lock (``<graphs>/oxigraph.lock``, shared by readers,
exclusive while loading) keeps a process from reading the folder while another
rebuilds it.  Parameters are bound with pyoxigraph's ``substitutions``.
"""

from __future__ import annotations

import builtins
import contextlib
import csv
import io
import json
import shutil
import time
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import GraphError, QueryError
from ..graph.oxterms import from_oxigraph as _converter
from ..graph.oxterms import ox as _ox
from ..graph.oxterms import to_oxigraph
from ..graph.vocab import PREFIXES
from ..settings import TRIG_NAME
from .base import Answer, StoreResult, _BaseStore, _limited, _new_graph
from .sparql_text import check_query, inject_values, limit_query, substitute_terms

__all__ = ["OxigraphStore"]

_OXIGRAPH_DIR = "oxigraph"
_STAMP = "ARGMAP_SOURCE.json"
_LOCK = "oxigraph.lock"


def _trig_stamp(trig: Path) -> dict:
    stat = trig.stat()
    return {"trig": str(trig.name), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class _FileLock:
    """Shared/exclusive advisory lock (fcntl.flock) next to the Oxigraph folder.

    Readers hold it shared while their store is open; a reload takes it
    exclusively, so no process reads the folder while it is being rebuilt.
    Where fcntl does not exist (Windows) it does nothing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = None

    def acquire(self, shared: bool, wait: float) -> bool:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return True
        if self.handle is None:
            self.handle = builtins.open(self.path, "a+b")
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.handle.fileno(), mode)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


# Oxigraph's union-default-graph option (use_default_graph_as_union) yields a
# triple once per named graph that holds it, so a claim made by two articles
# would be counted twice (oxigraph issue #1919, fixed after 0.5.13).  The
# loader instead materialises the merge, a set of triples, in the default graph.
_MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


@contextlib.contextmanager
def _query_errors():
    """Oxigraph's errors as argmap's: a parse error names the fault, the rest say the query failed."""
    try:
        yield
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def _results_format(name: str):
    formats = _ox().QueryResultsFormat
    return {"json": formats.JSON, "xml": formats.XML, "csv": formats.CSV, "tsv": formats.TSV}[name]


def _count_rows(body: bytes, format: str) -> int:
    """The rows in a written SELECT answer (read back by Oxigraph's parser; CSV,
    which it does not read, by the csv module: a quoted value may span lines)."""
    if format == "csv":
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    return sum(1 for _ in _ox().parse_query_results(body, format=_results_format(format)))


class OxigraphStore(_BaseStore):
    """Oxigraph's on-disk store in ``<graphs>/oxigraph/``, opened read-only.

    It is (re)loaded from ``argmap.trig`` when the TriG file changed since the
    last load; many processes may read it at once (e.g. ``argmap serve``'s
    workers and an ``argmap query --store oxigraph``).
    """

    kind = "oxigraph"
    load_wait = 600.0  # seconds to wait for another process that is loading
    reload_wait = 2.0  # seconds (per try, 5 tries) to wait for readers to close before a reload

    def __init__(self, graphs_dir: Path, *, in_memory: bool = False) -> None:
        super().__init__(graphs_dir)
        trig = self.graphs_dir / TRIG_NAME
        if not trig.exists():
            raise GraphError(f"no graph at {trig}: run 'argmap build' first (or pass --graphs DIR)")
        self._lock = _FileLock(self.graphs_dir / _LOCK)
        self.store = None
        if in_memory:  # no folder, no lock: load the TriG into RAM (faster queries, slower start)
            self.kind, self.location = "oxigraph-memory", None
            self.store = self._fill(_ox().Store(), trig)
            return
        self.location = self.graphs_dir / _OXIGRAPH_DIR
        try:
            self._open(trig)
        except BaseException:
            self._lock.release()
            raise

    @staticmethod
    def _fill(store, trig: Path):
        ox = _ox()
        try:
            store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
            # The default graph holds the RDF merge of all graphs (see _MERGE).
            store.update(_MERGE)
        except (OSError, SyntaxError, ValueError) as exc:
            raise GraphError(f"cannot load {trig} into Oxigraph: {exc}") from None
        return store

    def _fresh(self, trig: Path) -> bool:
        try:
            stamp = json.loads((self.location / _STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return stamp == _trig_stamp(trig)

    def _open(self, trig: Path) -> None:
        ox = _ox()
        for attempt in range(5):
            # Shared: waits while another process holds it exclusively (it is loading).
            if not self._lock.acquire(shared=True, wait=self.load_wait):
                raise GraphError(f"timed out waiting for another process to load {self.location}")
            if self._fresh(trig):
                break
            # Stale: reload under the exclusive lock, which needs every reader gone.
            self._lock.release()
            if self._lock.acquire(shared=False, wait=self.reload_wait):
                if not self._fresh(trig):
                    self._load(trig)
                self._lock.acquire(shared=True, wait=0)  # downgrade; keep reading
                break
            self._lock.release()
            time.sleep(0.1 * (attempt + 1))
        else:
            raise GraphError(f"{self.location} is open in another process (e.g. 'argmap serve') and "
                             f"{trig} has changed since it was loaded: stop that process, or use --store memory")
        try:
            self.store = ox.Store.read_only(str(self.location))
        except OSError as exc:
            raise GraphError(f"cannot open the Oxigraph store {self.location}: {exc}") from None

    def _load(self, trig: Path) -> None:
        ox = _ox()
        stamp = _trig_stamp(trig)
        if self.location.exists():
            shutil.rmtree(self.location)
        try:
            writer = self._fill(ox.Store(str(self.location)), trig)
            writer.flush()
            del writer
        except OSError as exc:
            shutil.rmtree(self.location, ignore_errors=True)
            raise GraphError(f"cannot load {trig} into Oxigraph: {exc}") from None
        except GraphError:
            shutil.rmtree(self.location, ignore_errors=True)
            raise
        (self.location / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")

    def close(self) -> None:
        self.store = None
        self._lock.release()

    def _store(self):
        if self.store is None:
            raise GraphError("the store is closed")
        return self.store

    def execute(self, text: str, bindings: dict | None = None, *, max_rows: int | None = None,
                allow_service: bool = True) -> StoreResult:
        """Run SPARQL ``text`` with ``bindings`` ({Variable: term}); keep at most ``max_rows``."""
        ox = _ox()
        check_query(text, allow_service)
        with _query_errors():
            answer = self._query(text, bindings)
            if isinstance(answer, ox.QuerySolutions):
                variables = answer.variables
                convert = _converter()
                rows = ([convert(term) for term in solution] for solution in answer)
                rows, truncated = _limited(rows, max_rows)
                return StoreResult([v.value for v in variables], rows, truncated=truncated)
            if isinstance(answer, ox.QueryBoolean):
                return StoreResult(["ask"], [[Literal(bool(answer))]], boolean=bool(answer))
            convert = _converter()
            triples = ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer)
            triples, truncated = _limited(triples, max_rows)
            return StoreResult(graph=_new_graph(triples), truncated=truncated)

    def answer(self, text: str, bindings: dict | None = None, *, format: str = "json",
               max_rows: int | None = None, allow_service: bool = True) -> Answer:
        """As :meth:`argmap.query.store.MemoryStore.answer`; a SELECT answer is written by
        Oxigraph itself, without turning each term into an rdflib term in Python
        (that conversion costs more than the query on answers of thousands of rows)."""
        if check_query(text, allow_service).form != "SELECT":
            return super().answer(text, bindings, format=format, max_rows=max_rows, allow_service=allow_service)
        # One row past the limit tells whether the answer was cut; only then is the
        # query run again to write exactly max_rows rows.
        body = self._written(text if max_rows is None else limit_query(text, max_rows + 1), bindings, format)
        count = _count_rows(body, format)
        if max_rows is None or count <= max_rows:
            return Answer(body, count)
        return Answer(self._written(limit_query(text, max_rows), bindings, format), max_rows, True)

    def _written(self, text: str, bindings: dict | None, format: str) -> bytes:
        with _query_errors():
            return self._query(text, bindings).serialize(format=_results_format(format))

    def _query(self, text: str, bindings: dict | None):
        ox = _ox()
        convert = to_oxigraph()
        substitutions = {ox.Variable(str(k)): convert(v) for k, v in (bindings or {}).items()}
        try:
            return self._store().query(text, prefixes=PREFIXES, substitutions=substitutions)
        except (OSError, ValueError, RuntimeError) as exc:
            if not substitutions or "SELECT projection" not in str(exc):
                raise
        # pyoxigraph substitutes only variables the query projects.  Others are
        # replaced by their terms (SEP-0007 semantics, and Oxigraph's optimiser
        # sees the constants), or, where a constant cannot stand, bound by VALUES.
        try:
            return self._store().query(substitute_terms(text, bindings), prefixes=PREFIXES)
        except SyntaxError:
            return self._store().query(inject_values(text, bindings), prefixes=PREFIXES)

    def named_graphs(self) -> list[URIRef]:
        """The IRIs of the named graphs, sorted."""
        ox = _ox()
        return sorted(URIRef(g.value) for g in self._store().named_graphs() if isinstance(g, ox.NamedNode))

    def serialize(self, format: str = "trig", graph: str | None = None) -> str:
        """The whole dataset (``trig``, ``nquads``) or one named graph (``turtle``, ``nt``, ...)."""
        ox = _ox()
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
                   "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
                   "xml": ox.RdfFormat.RDF_XML, "json-ld": ox.RdfFormat.JSON_LD}
        if format not in formats:
            raise GraphError(f"unknown format {format!r}: use one of {', '.join(formats)}")
        if graph is None and format in ("trig", "nquads"):
            named = (q for q in self._store() if not isinstance(q.graph_name, ox.DefaultGraph))
            return ox.serialize(named, format=formats[format], prefixes=PREFIXES).decode("utf-8")
        if graph is None:
            raise GraphError(f"{format} holds one graph: pass graph=IRI, or use trig / nquads")
        data = self._store().dump(format=formats[format], from_graph=ox.NamedNode(str(graph)),
                                  **({"prefixes": PREFIXES} if format == "turtle" else {}))
        return data.decode("utf-8")
