"""Benchmark the saved queries on synthetic graphs: rdflib in memory vs Oxigraph.

The graphs are shaped like ours (argmap.graph builds them from model records):
articles, claim appearances with text selectors, claims shared across articles,
camps, supports/contrasts relations, restatements, entities and mentions,
forecasts with horizons and quantities.  Sizes are approximate triple counts.

    python bench/bench_queries.py                       # 10k, 100k and 1M triples
    python bench/bench_queries.py --sizes 10000 --limit 60

Graphs and results are cached in bench/out/ (git-ignored).  Prints a Markdown
table of open (load) times and query times in seconds (best of three runs, or
one run when it takes over 5 s) and the speed-ups of Oxigraph over rdflib.
A query's time is what a client of ``argmap serve`` waits for: the query and its
SPARQL JSON answer, written in the worker (``--answer rows`` times rows of
rdflib terms instead, as ``argmap.open(...).query()`` returns them).  Target: Oxigraph answers every saved query at 1M triples at least
10x faster than rdflib's memory store.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import sys
import time
from pathlib import Path

from argmap.graph import article_iri, to_dataset, write_trig
from argmap.model import (CAMPS, Article, Claim, Entity, Extraction, Forecast, LinkedCorpus, Mention, OffTopic,
                          Quantity, Relation, Restatement, Span, claim_key)
from argmap.query import saved_queries
from argmap.query.store import open as open_store
from argmap.serve import QueryPool, QueryTimeout

OUT = Path(__file__).resolve().parent / "out"
QUICK = 5.0  # seconds: quicker queries are timed three times, keeping the best
STORES = ("memory", "oxigraph", "oxigraph-memory")
LABELS = {"memory": "rdflib", "oxigraph": "Oxigraph disk", "oxigraph-memory": "Oxigraph RAM"}
GENERATOR = "v1"
WORDS = ("open closed model weights frontier lab safety compute scale agents revenue market policy "
         "regulation benchmark release license research capability risk cost training inference data "
         "hardware cloud startup investment adoption developer enterprise government").split()
TYPES = ("Organization", "Person", "Product", "Place", "Concept")


def _entities(rng: random.Random, count: int = 300) -> list[Entity]:
    out = []
    for i in range(count):
        label = f"{rng.choice(WORDS).title()}{rng.choice(WORDS).title()} {i}"
        aliases = (label.upper(),) if i % 4 == 0 else ()
        same_as = f"https://www.wikidata.org/wiki/Q{1000 + i}" if i % 3 == 0 else None
        out.append(Entity(f"entity-{i}", label, TYPES[i % len(TYPES)], aliases, same_as))
    return out


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _article(rng: random.Random, index: int, entities: list[Entity], shared: list[str]) -> Extraction:
    """One article of ~1000 triples: 20 claims, 30 mentions, 5 forecasts, 10 relations."""
    parts, claims_at, forecasts_at = [], [], []
    pos = 0

    def add(text: str) -> tuple[int, int]:
        nonlocal pos
        start = pos
        parts.append(text + ". ")
        pos += len(text) + 2
        return start, start + len(text)

    for c in range(20):
        text = rng.choice(shared) if c % 4 == 0 else f"{_sentence(rng, 9)} {index}-{c}"
        claims_at.append(add(text))
    for f in range(5):
        year = 2025 + rng.randrange(16)
        text = f"By {year} {_sentence(rng, 6).lower()} will reach ${rng.randrange(1, 50)}B {index}-{f}"
        forecasts_at.append((add(text), year))
    add("Subscribe to our newsletter")
    body = "".join(parts)

    def span(bounds: tuple[int, int]) -> Span:
        return Span.of(body, *bounds)

    chosen = rng.sample(entities, 30)
    mentions = []
    for k, entity in enumerate(chosen):
        start, end = claims_at[k % 20]
        mentions.append(Mention(Span.of(body, start, min(end, start + 5)), entity))
    claims = tuple(Claim(span(b), rng.choice(CAMPS), round(rng.uniform(0.4, 1.0), 3), paragraph=i // 4,
                         key=i % 5 == 0, salience=round(rng.random(), 3),
                         entities=tuple(e.key for e in rng.sample(chosen, 2)))
                   for i, b in enumerate(claims_at))
    forecasts = []
    for (bounds, year) in forecasts_at:
        s = span(bounds)
        money = body.index("$", s.start)
        quantity = Quantity(Span.of(body, money, body.index("B", money) + 1), 1e9, 5e10, "USD", "year")
        forecasts.append(Forecast(s, rng.choice(CAMPS), rng.choice(("certain", "likely", "possible")),
                                  confidence_cue="will", horizon_start=2024, horizon_end=year,
                                  horizon_phrase=f"By {year}",
                                  subjects=tuple(e.key for e in rng.sample(chosen, 2)), quantities=(quantity,)))
    relations = []
    for _ in range(10):
        a, b = rng.sample(range(20), 2)
        if claims[a].span.quote != claims[b].span.quote:
            relations.append(Relation(claims[a].span, claims[b].span, rng.choice(("supports", "contrasts"))))
    offtopic = (OffTopic(Span.of(body, pos - 29, pos - 2), "newsletter"),)
    article = Article(f"{index:06d}_synthetic", f"Synthetic article {index}", body, file=f"{index:06d}.md")
    return Extraction(article, tuple(mentions), claims, tuple(forecasts), tuple(relations), offtopic)


def _linked(extractions: list[Extraction], entities: list[Entity], rng: random.Random) -> LinkedCorpus:
    texts, camps, sources = {}, {}, {}
    for e in extractions:
        for c in e.claims:
            key = claim_key(c.span.quote)
            texts.setdefault(key, c.span.quote)
            camps.setdefault(key, (c.camp, c.camp_confidence))
            sources.setdefault(key, set()).add(e.article.id)
    keys = sorted(texts)
    restatements = tuple(Restatement(*rng.sample(keys, 2), similarity=0.7) for _ in range(len(keys) // 10))
    used = {m.entity.key for e in extractions for m in e.mentions}
    return LinkedCorpus(tuple(extractions), tuple(e for e in entities if e.key in used), restatements,
                        camps, texts, {k: len(v) for k, v in sources.items()})


def build(size: int) -> Path:
    """bench/out/<size>/argmap.trig with about ``size`` triples (cached)."""
    folder = OUT / f"{size}"
    trig = folder / "argmap.trig"
    stamp = folder / "GENERATOR"
    if trig.exists() and stamp.exists() and stamp.read_text() == GENERATOR:
        return folder
    rng = random.Random(size)
    entities = _entities(rng)
    shared = [f"{_sentence(rng, 10)} shared {i}" for i in range(max(10, size // 4000))]
    per_article = len(to_dataset(_linked([_article(random.Random(0), 0, entities, shared)], entities, rng)))
    count = max(1, round(size / per_article))
    extractions = [_article(rng, i, entities, shared) for i in range(count)]
    dataset = to_dataset(_linked(extractions, entities, rng), "synthetic")
    folder.mkdir(parents=True, exist_ok=True)
    write_trig(dataset, trig)
    stamp.write_text(GENERATOR)
    (folder / "TRIPLES").write_text(str(len(dataset)))
    (folder / "FIRST_ARTICLE").write_text(str(article_iri(extractions[0].article.id)))
    (folder / "ENTITY").write_text(extractions[0].mentions[0].entity.label)
    return folder


def _params(folder: Path, name: str) -> dict[str, str]:
    values = {"camp": "open", "xsd:gYear": "2030", "iri": (folder / "FIRST_ARTICLE").read_text(),
              "xsd:string": (folder / "ENTITY").read_text(), "xsd:integer": "2", "xsd:decimal": "0.5",
              "xsd:double": "0.5"}
    return {p.name: values.get(p.type, "x") for p in saved_queries()[name].params}


def measure(folder: Path, kind: str, limit: int, skip: set[str] = frozenset(),
            previous: dict | None = None, answer: str = "json") -> dict[str, object]:
    """Open (load) time and per-query time (or None when over ``limit``) for one store.

    ``answer`` is ``"json"`` (the time to the SPARQL JSON body the endpoint sends)
    or ``"rows"`` (rows of rdflib terms, as :func:`argmap.open`'s ``query`` gives).

    Queries run in a worker process of :class:`argmap.serve.workers.QueryPool`, which
    is killed when a query passes ``limit`` (neither engine can be interrupted
    otherwise).  Queries in ``skip`` are not run; their ``previous`` results,
    if any, are kept.
    """
    previous = previous or {}
    if kind == "oxigraph":  # time the first open, which bulk loads the folder
        shutil.rmtree(folder / "oxigraph", ignore_errors=True)
    gc.collect()
    started = time.perf_counter()
    open_store(folder, kind).close()
    out: dict[str, object] = {"load": time.perf_counter() - started}
    gc.collect()
    with QueryPool(folder, kind, workers=1, timeout=limit, max_rows=None, load_timeout=1800) as pool:
        for name in sorted(saved_queries()):
            if name in skip:
                out[name] = tuple(previous.get(name, (None, None)))
                continue
            best, rows = None, None
            try:
                for _ in range(3):  # best of three, or one run when it takes over QUICK seconds
                    done = pool.run({"name": name, "params": _params(folder, name), "format": "json",
                                     "render": answer == "json"})
                    if done["status"] != 200:
                        raise RuntimeError(f"{name}: {done['body'].decode()}")
                    best = done["elapsed"] if best is None else min(best, done["elapsed"])
                    rows = done["rows"]
                    if done["elapsed"] > QUICK:
                        break
                out[name] = (best, rows)
            except QueryTimeout:
                out[name] = (None, None)
            print(f"  {kind:15} {name:16} {out[name]}", file=sys.stderr, flush=True)
    return out


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(results: dict[int, dict[str, dict]], limit: int) -> str:
    """Seconds per size and store, then the speed-ups over rdflib at the largest size."""
    sizes = sorted(results)
    head = ["query"]
    for size in sizes:
        n = int((OUT / f"{size}" / "TRIPLES").read_text())
        head += [f"{n:,} {LABELS[kind]}" for kind in STORES]
    largest = sizes[-1]
    head += [f"× {LABELS[kind]} at {int((OUT / f'{largest}' / 'TRIPLES').read_text()):,}" for kind in STORES[1:]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def seconds(size, kind, name):
        value = results[size].get(kind, {}).get(name)
        if name == "load" or value is None:
            return value
        return value[0]

    for name in ["load"] + sorted(saved_queries()):
        row = [f"`{name}`" if name != "load" else "load (open)"]
        for size in sizes:
            for kind in STORES:
                t = seconds(size, kind, name)
                missing = name not in results[size].get(kind, {})
                row.append("" if missing else _cell(t) if t is not None else f"> {limit}")
        base = seconds(largest, "memory", name)
        for kind in STORES[1:]:
            t = seconds(largest, kind, name)
            if t and base:
                row.append(f"{base / t:.0f}×")
            elif t and name in results[largest].get("memory", {}):
                row.append(f"> {limit / t:.0f}×")
            else:
                row.append("")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _saved(size: int, kind: str, answer: str) -> Path:
    return OUT / f"{size}" / f"results-{kind}-{answer}.json"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="approximate triple counts")
    parser.add_argument("--limit", type=int, default=300, help="seconds allowed per query")
    parser.add_argument("--stores", default=",".join(STORES),
                        help="stores to measure; the others' last results (bench/out) are reused in the table")
    parser.add_argument("--skip", default="", help="queries not to run (known to exceed --limit)")
    parser.add_argument("--answer", choices=("json", "rows"), default="json",
                        help="time the SPARQL JSON answer the endpoint sends (default) or rows of "
                             "rdflib terms as the Python API returns them")
    args = parser.parse_args(argv)
    results = {}
    too_slow = {kind: set(filter(None, args.skip.split(","))) for kind in STORES}
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        folder = build(size)
        print(f"graph {size}: {(folder / 'TRIPLES').read_text()} triples "
              f"({time.perf_counter() - started:.1f} s to build or reuse)", file=sys.stderr, flush=True)
        results[size] = {}
        for kind in STORES:
            if kind in args.stores.split(","):
                saved = _saved(size, kind, args.answer)
                cached = json.loads(saved.read_text()) if saved.exists() else {}
                results[size][kind] = measure(folder, kind, args.limit, too_slow[kind], cached, args.answer)
                saved.write_text(json.dumps(results[size][kind]))
            elif _saved(size, kind, args.answer).exists():
                results[size][kind] = json.loads(_saved(size, kind, args.answer).read_text())
            else:
                results[size][kind] = {}
            too_slow[kind] |= {n for n, v in results[size][kind].items() if n != "load" and v[0] is None}
    print(table(results, args.limit))


if __name__ == "__main__":
    main()
