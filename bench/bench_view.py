"""Benchmark the map page on synthetic corpora shaped like ours.

For each size (nodes of the map) it builds a synthetic linked corpus (articles with
claims in three camps, forecasts, entities mentioned Zipf-style, supports/contrasts
inside articles, restatements across them), turns it into RDF with
:func:`argmap.graph.to_dataset`, then times

* ``graph→page``: :func:`argmap.view.build_view` + :func:`argmap.view.render_html`
  (dataset → networkx → layout → HTML), with ``max_nodes`` above the size so the whole
  map is drawn, and separately the default view (cut to ``DEFAULT_MAX_NODES``);
* ``settled``: headless Chromium, from navigation start until the page's first drawn
  frame (``window.__settled``, set on vis-network's first ``afterDrawing``: physics is
  off, so the first frame is the final layout), for the view the page opens on (the
  overview, above 150 nodes) and for the whole map (``#all``);
* ``filter``: the synchronous cost of unticking one camp in that view.

Prints a Markdown table on stdout (progress on stderr)::

    python bench/bench_view.py                 # 1k, 5k, 20k
    python bench/bench_view.py --sizes 1000 5000 --no-browser
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from argmap.graph import to_dataset
from argmap.link import merge_entities
from argmap.model import (Article, Claim, Entity, Extraction, Forecast, LinkedCorpus, Mention, Relation,
                          Restatement, Span, claim_key)
from argmap.view import build_view, render_html

WORDS = ("models inference margins labs agents pricing premium frontier compute enterprises niche tasks "
         "oligopoly commodity diffusion clouds infrastructure revenue intelligence efficiency open closed "
         "weights licences developers benchmarks adoption capital datacentres power chips").split()
VERBS = "will drive cannot match may capture should lower must raise could shift keeps".split()
CLAIMS_PER_ARTICLE = 40
FORECASTS_PER_ARTICLE = 4


def _sentence(rng: random.Random, entity: Entity | None) -> str:
    words = rng.sample(WORDS, 5)
    subject = entity.label if entity else words[0].capitalize()
    return f"{subject} {rng.choice(VERBS)} {' '.join(words[1:])}."


def synthetic_corpus(nodes: int, seed: int = 1) -> LinkedCorpus:
    """A linked corpus whose map has roughly ``nodes`` nodes."""
    rng = random.Random(seed)
    n_articles = max(3, round(nodes / 55))
    n_entities = max(5, nodes - n_articles * (1 + CLAIMS_PER_ARTICLE + FORECASTS_PER_ARTICLE))
    types = ("Concept", "Organization", "Product", "Person", "Place")
    entities = [Entity(f"e{i}", f"Entity{i}", rng.choices(types, (5, 3, 2, 1, 1))[0]) for i in range(n_entities)]
    popularity = [1.0 / (i + 1) ** 0.9 for i in range(n_entities)]
    camps_of = {}
    extractions, texts, pool = [], {}, []
    for a in range(n_articles):
        lean = rng.choice(("closed", "open", "both"))
        sentences, picked = [], []
        for _ in range(CLAIMS_PER_ARTICLE + FORECASTS_PER_ARTICLE):
            if pool and rng.random() < 0.04:
                text, ents = rng.choice(pool)  # a claim another article makes word for word
            else:
                ents = tuple(dict.fromkeys(rng.choices(entities, popularity, k=rng.choice((1, 1, 2, 3)))))
                text = _sentence(rng, ents[0])
                for extra in ents[1:]:
                    text = text[:-1] + f" with {extra.label}."
            sentences.append(text)
            picked.append(ents)
        body = " ".join(sentences)
        offsets, pos = [], 0
        for s in sentences:
            start = body.index(s, pos)
            offsets.append(Span.of(body, start, start + len(s)))
            pos = start + len(s)
        claims, forecasts, mentions = [], [], []
        for i, (span, ents) in enumerate(zip(offsets, picked)):
            for e in ents:
                at = span.start + span.quote.index(e.label)
                mentions.append(Mention(Span.of(body, at, at + len(e.label)), e))
            weights = {"closed": (6, 1, 2), "open": (1, 6, 2), "both": (2, 2, 4)}[lean]
            camp = rng.choices(("closed", "open", "both"), weights)[0]
            if i < CLAIMS_PER_ARTICLE:
                claims.append(Claim(span, camp, round(rng.uniform(0.5, 1), 3), key=i < 3,
                                    entities=tuple(e.key for e in ents)))
                pool.append((span.quote, ents))
            else:
                start = rng.randint(2026, 2032)
                forecasts.append(Forecast(span, camp, rng.choice(("certain", "likely", "possible")),
                                          horizon_start=start, horizon_end=start + rng.choice((0, 0, 5)),
                                          subjects=(ents[0].key,)))
        relations = []
        for _ in range(10):
            s, t = rng.sample(range(len(claims)), 2)
            relations.append(Relation(claims[s].span, claims[t].span, rng.choice(("supports", "supports", "contrasts"))))
        article = Article(f"{a:04d}_synthetic", f"Synthetic article {a}", body, file=f"{a:04d}.md",
                          date=dt.date(2025, 1, 1) + dt.timedelta(days=a), publisher="Bench")
        extractions.append(Extraction(article, tuple(mentions), tuple(claims), tuple(forecasts), tuple(relations)))
        for c in claims:
            key = claim_key(c.span.quote)
            texts.setdefault(key, c.span.quote)
            camps_of.setdefault(key, (c.camp, c.camp_confidence))
    keys = sorted(texts)
    sources = {}
    for e in extractions:
        for k in {claim_key(c.span.quote) for c in e.claims}:
            sources[k] = sources.get(k, 0) + 1
    restated = [Restatement(*rng.sample(keys, 2), round(rng.uniform(0.62, 0.9), 3)) for _ in range(len(keys) // 20)]
    return LinkedCorpus(tuple(extractions), merge_entities(tuple(extractions)), tuple(restated), camps_of, texts,
                        sources)


def _driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
                 "--disable-background-networking --disable-component-update --disable-sync --disable-quic "
                 "--window-size=1400,900").split():
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def _in_browser(driver, page: Path, fragment: str = "", timeout: float = 120.0) -> tuple[float, float]:
    driver.get("about:blank")  # a new load, even when only the fragment differs
    driver.get(page.resolve().as_uri() + fragment)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        settled = driver.execute_script("return window.__settled")
        if settled:
            break
        time.sleep(0.02)
    else:
        raise RuntimeError(f"{page} did not settle within {timeout}s")
    filter_ms = driver.execute_script("""
        const box = document.querySelector('#camp-filter input[value=both]');
        const t = performance.now(); box.click(); return performance.now() - t;""")
    return settled / 1000.0, filter_ms


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    browser = not args.no_browser and shutil.which("chromedriver") and Path("/usr/bin/chromium").exists()
    out = Path(tempfile.mkdtemp(prefix="bench-view-"))
    rows = []
    driver = _driver(out / "profile") if browser else None
    try:
        for size in args.sizes:
            print(f"building a synthetic graph of ~{size} nodes…", file=sys.stderr)
            t = time.perf_counter()
            ds = to_dataset(synthetic_corpus(size))
            t_rdf = time.perf_counter() - t
            t = time.perf_counter()
            view = build_view(ds, max_nodes=None)
            html = render_html(view)
            t_page = time.perf_counter() - t
            page = out / f"map-{size}.html"
            page.write_text(html, encoding="utf-8")
            t = time.perf_counter()
            default = build_view(ds)
            render_html(default)
            t_default = time.perf_counter() - t
            opened = [(float("nan"), float("nan"))] * 2
            if driver:
                print(f"loading {page.name} ({len(html) / 1e6:.1f} MB) in Chromium…", file=sys.stderr)
                # The view a big map opens on (the overview), then the whole map (#all).
                opened = [_in_browser(driver, page), _in_browser(driver, page, "#all")]
            g = view.graph
            rows.append((size, len(g), g.number_of_edges(), len(ds), t_rdf, t_page, len(default.graph), t_default,
                         len(html) / 1e6, *opened[0], *opened[1]))
    finally:
        if driver:
            driver.quit()
    print("| target | nodes | edges | triples | build RDF s | graph→page s (all nodes) | page nodes (default cut) "
          "| graph→page s (default) | page MB | overview: settled s | overview: camp filter ms "
          "| whole map: settled s | whole map: camp filter ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]:.1f} | {r[5]:.2f} | {r[6]} | {r[7]:.2f} | {r[8]:.1f} "
              f"| {r[9]:.2f} | {r[10]:.0f} | {r[11]:.2f} | {r[12]:.0f} |")


if __name__ == "__main__":
    main()
