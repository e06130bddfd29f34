"""Benchmark the endpoint under attack: cheap clients while hostile queries run, and a reload.

Builds the bundled corpus (or takes ``--graphs DIR``), starts ``argmap serve`` on a free
port of 127.0.0.1 (its default worker count, ``--timeout 5``), then runs three phases of
``--seconds`` each, in one run:

* ``alone``: 8 clients of a cheap query (``ASK { ?claim a arg:Claim }``), one after the other
  on each client's own connection;
* ``hostile``: the same 8 clients while 3 more clients send a query that runs until the
  time limit kills it, again and again;
* ``hostile + reload``: the same, and ``argmap.trig`` is replaced halfway (what an
  ``argmap add`` does), so the workers swap to the new graph.

For each phase it prints the cheap clients' requests, p50 / p99 / max latency and how many
got a 5xx (target, issue 14: none, and p99 under 1 s), as a Markdown table on stdout::

    python bench/bench_serve.py
    python bench/bench_serve.py --graphs graphs --seconds 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHEAP = "ASK { ?claim a arg:Claim }"
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _serve(graphs: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "argmap", "serve", "--graphs", str(graphs), "--port", "0",
                                "--timeout", "5"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines = []
    for line in process.stderr:
        lines.append(line)
        print(line.rstrip(), file=sys.stderr)
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()
            return process, match.group(1)
    raise SystemExit("argmap serve did not start:\n" + "".join(lines))


def _client(url: str, query: str, stop: threading.Event, out: list) -> None:
    with httpx.Client(timeout=120) as client:  # one connection: one client to the endpoint
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status = client.get(url + "sparql", params={"query": query},
                                    headers={"Accept": "application/sparql-results+json"}).status_code
            except httpx.HTTPError:
                status = 0
            out.append((time.perf_counter() - started, status))


def _reload(graphs: Path) -> None:
    """Replace argmap.trig atomically by a copy of itself with a new mtime, as an add does."""
    trig = graphs / "argmap.trig"
    tmp = graphs / ".tmp-bench.trig"
    shutil.copyfile(trig, tmp)
    os.replace(tmp, trig)


def _phase(url: str, graphs: Path, seconds: float, hostile: int, reload: bool) -> dict:
    stop = threading.Event()
    cheap_out: list = []
    hostile_out: list = []
    threads = [threading.Thread(target=_client, args=(url, HOSTILE, stop, hostile_out)) for _ in range(hostile)]
    for t in threads:
        t.start()
    if hostile:
        time.sleep(0.5)  # the hostile queries hold their workers first
    threads += [threading.Thread(target=_client, args=(url, CHEAP, stop, cheap_out)) for _ in range(8)]
    for t in threads[hostile:]:
        t.start()
    if reload:
        time.sleep(seconds / 2)
        _reload(graphs)
        time.sleep(seconds / 2)
    else:
        time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    times = sorted(t for t, _ in cheap_out)
    return {"requests": len(cheap_out), "p50": statistics.median(times),
            "p99": times[min(len(times) - 1, int(0.99 * len(times)))], "max": times[-1],
            "5xx": sum(1 for _, s in cheap_out if s >= 500 or s == 0),
            "hostile": len(hostile_out), "hostile 503": sum(1 for _, s in hostile_out if s == 503)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graphs", type=Path, help="a built graphs folder (default: build the bundled corpus)")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    graphs = work / "graphs"
    if args.graphs:
        graphs.mkdir()
        shutil.copy(args.graphs / "argmap.trig", graphs / "argmap.trig")
    else:
        print("building the bundled corpus…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "argmap", "build", "--corpus", str(ROOT / "corpus"), "--graphs",
                        str(graphs), "--no-page", "-q"], check=True)
    process, url = _serve(graphs)
    try:
        rows = [("alone", _phase(url, graphs, args.seconds, 0, False)),
                ("3 hostile", _phase(url, graphs, args.seconds, 3, False)),
                ("3 hostile + reload", _phase(url, graphs, args.seconds, 3, True))]
    finally:
        process.terminate()
        process.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{args.seconds:g} s per phase")
    print()
    print("| phase | cheap requests | p50 ms | p99 ms | max ms | cheap 5xx | hostile queries (503: stopped at the limit) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['requests']} | {1000 * r['p50']:.0f} | {1000 * r['p99']:.0f} | {1000 * r['max']:.0f} "
              f"| {r['5xx']} | {r['hostile']} ({r['hostile 503']}) |")


if __name__ == "__main__":
    main()
