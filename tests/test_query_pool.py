"""The query pool behind the endpoint: a queue per client, and reloads that refuse nothing.

Real worker processes on a small real graph; the assertions are about who was answered
before whom, never about how long anything took."""

from __future__ import annotations

import os
import threading
import time

import pytest

from test_serve import CLAIMS, SLOW
from test_store import _article_one, build_graphs

from argmap.graph import to_dataset, write_trig
from argmap.link import link
from argmap.serve import PoolBusy, QueryPool, QueryTimeout, default_workers

pytestmark = pytest.mark.server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }"


def count(answer: dict) -> str:
    import json

    return json.loads(answer["body"])["results"]["bindings"][0]["n"]["value"]


def wait_until(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_an_expensive_client_delays_only_its_own_queries(tmp_path):
    graphs = build_graphs(tmp_path)
    with QueryPool(graphs, "oxigraph-memory", workers=2, timeout=3, queue_wait=60) as pool:
        wait_until(lambda: len(pool._idle) == 2)
        outcomes, done = [], threading.Event()

        def hostile():
            try:
                pool.run({"text": SLOW, "accept": "application/sparql-results+json"}, client="hostile")
            except QueryTimeout:
                outcomes.append("hostile timed out")
            if len(outcomes) == 2:
                done.set()

        threads = [threading.Thread(target=hostile) for _ in range(2)]
        for t in threads:
            t.start()
        # One hostile query runs; its second waits: a client never holds every worker.
        wait_until(lambda: pool._running["hostile"] == 1 and pool._waiting.get("hostile"))
        answer = pool.run({"text": CLAIMS, "accept": "application/sparql-results+json"}, client="cheap")
        assert answer["status"] == 200
        outcomes.append("cheap answered")
        done.wait(60)
        for t in threads:
            t.join(60)
        # The cheap client was answered while the hostile queries were still running or waiting.
        assert outcomes[0] == "cheap answered" and outcomes.count("hostile timed out") == 2


def test_a_query_waits_in_the_queue_and_a_too_long_wait_is_busy(tmp_path):
    graphs = build_graphs(tmp_path)
    with QueryPool(graphs, "oxigraph-memory", workers=1, timeout=2, queue_wait=0.3) as pool:
        slow = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, {"text": SLOW}, "a"))
        slow.start()
        wait_until(lambda: pool._running["a"] == 1)
        with pytest.raises(PoolBusy, match="no query worker was free"):
            pool.run({"text": CLAIMS}, client="b")
        slow.join(30)
        wait_until(lambda: pool._idle)  # the timed-out worker's replacement has the graph open
        assert pool.run({"text": CLAIMS}, client="b")["status"] == 200


def test_a_reload_swaps_in_the_new_graph_and_refuses_no_query(tmp_path):
    graphs = build_graphs(tmp_path)
    with QueryPool(graphs, "oxigraph-memory", workers=2, timeout=10, queue_wait=60) as pool:
        wait_until(lambda: len(pool._idle) == 2)
        assert count(pool.run({"text": COUNT, "accept": "application/sparql-results+json"}, "c")) == "2"
        write_trig(to_dataset(link([_article_one()])), graphs / "argmap.trig")
        future = time.time() + 5
        os.utime(graphs / "argmap.trig", (future, future))
        time.sleep(1.1)  # the pool looks at the file at most once a second
        seen = []
        while not seen or seen[-1] != "1":
            answer = pool.run({"text": COUNT, "accept": "application/sparql-results+json"}, "c")
            assert answer["status"] == 200
            seen.append(count(answer))
            assert len(seen) < 10_000
        # The old workers answered (the old graph) until the new ones were ready; then only the new graph.
        assert seen[0] == "2" and set(seen) == {"2", "1"}
        assert seen == sorted(seen, reverse=True)
        wait_until(lambda: len(pool._all) == 2 and all(w.generation == pool._generation for w in pool._all))


def test_the_pool_is_sized_to_the_machine():
    assert default_workers() == max(3, min(8, len(os.sched_getaffinity(0)) + 2))


def test_clients_whose_queries_run_long_leave_one_worker_to_the_quick_ones(tmp_path):
    graphs = build_graphs(tmp_path)
    with QueryPool(graphs, "oxigraph-memory", workers=3, timeout=2, queue_wait=60) as pool:
        with pytest.raises(QueryTimeout):
            pool.run({"text": SLOW}, client="h3")  # h3 is now a slow client
        wait_until(lambda: len(pool._idle) == 3)
        results = []
        threads = [threading.Thread(target=lambda c=c: results.append(
            pytest.raises(QueryTimeout, pool.run, {"text": SLOW}, c))) for c in ("h1", "h2")]
        for t in threads:
            t.start()
        wait_until(lambda: "h1" in pool._slow and "h2" in pool._slow)  # both past the long mark
        late = threading.Thread(target=lambda: results.append(pytest.raises(QueryTimeout, pool.run, {"text": SLOW}, "h3")))
        late.start()
        wait_until(lambda: pool._waiting.get("h3"))
        assert len(pool._idle) == 1  # h3 waits although a worker is free: that one is for quick queries
        assert pool.run({"text": CLAIMS}, client="quick")["status"] == 200
        assert pool._waiting.get("h3")  # still waiting when the quick client was answered
        for t in threads + [late]:
            t.join(60)
        assert len(results) == 3
