#!/usr/bin/env python3
"""The restatement decision's curve: precision and duplicates resolved on the seeds' gold
duplicates, and false pairs among the dev articles, at each threshold.

usage: python bench/bench_restates.py [--split devset/split.yaml]

The seeds (``../shared/gold``: an essay, its transcript, a summary and a commentary) hold
the only gold duplicates; the dev articles (``../shared/dev`` and ``devset/``, all of them)
restate nothing of each other's, so every pair with an end among them counts as false
(a real paraphrase there would count against us too).  All articles are linked as one
corpus.  A pair is right when it joins the claims at the two quotes of a gold duplicate;
a duplicate is resolved when its quotes are one claim node or a pair joins them.  Prints
Markdown tables for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from argmap.link import rules as L  # noqa: E402
from argmap.corpus import read_corpus  # noqa: E402
from argmap.evaluate import spans_overlap  # noqa: E402
from argmap.extract import extract, load_pipeline  # noqa: E402
from argmap.evaluate.gold import load_gold, locate  # noqa: E402
from argmap.model import claim_key  # noqa: E402


def _keys_at(extraction, quote: str) -> set[str]:
    span = locate(extraction.article.body, quote)
    return {claim_key(c.span.quote) for c in extraction.claims if spans_overlap(span, (c.span.start, c.span.end))}


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    seeds = read_corpus(ROOT / "corpus")
    dev = read_corpus(SHARED / "dev" / "corpus") + read_corpus(ROOT / "devset" / "corpus")
    nlp = load_pipeline()
    print(f"extracting {len(seeds) + len(dev)} articles", file=sys.stderr)
    extractions = tuple(sorted(extract(seeds + dev, nlp), key=lambda e: e.article.id))
    by_stem = {Path(e.article.file).stem: e for e in extractions}
    seed_ids = {a.id for a in seeds}
    gold = []
    for path in sorted((SHARED / "gold").glob("*.gold.yaml")):
        g = load_gold(path)
        here = by_stem[path.name.removesuffix(".gold.yaml")]
        for d in g.duplicates:
            gold.append((_keys_at(here, d.quote), _keys_at(by_stem[Path(d.other_file).stem], d.other_quote)))
    grouped = L._claims_by_key(extractions)
    sources = {k: {a for a, _ in v} for k, v in grouped.items()}

    def measure(restated) -> str:
        pairs = {(r.source, r.target) for r in restated}
        seeds_only = [p for p in pairs if sources[p[0]] <= seed_ids and sources[p[1]] <= seed_ids]
        right = sum(1 for x, y in seeds_only if any((x in a and y in b) or (y in a and x in b) for a, b in gold))
        resolved = sum(1 for a, b in gold if a & b or any((x, y) in pairs or (y, x) in pairs for x in a for y in b))
        precision = f"{right / len(seeds_only):.2f}" if seeds_only else "-"
        return f"| {len(seeds_only)} | {right} | {precision} | {resolved}/{len(gold)} | {len(pairs) - len(seeds_only)} |"

    print(f"Measured {dt.date.today()} on {platform.machine()}, {len(seeds)} seed and {len(dev)} dev articles.\n")
    print("Near paraphrases alone (any two articles, best 2 per article and 6 per claim):\n")
    print("| threshold | seed pairs | right | precision | duplicates resolved | dev pairs (false) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for t in (50, 60, 70, 75, 80, 85, 90):
        print(f"| {t} " + measure(L.restatements(grouped, threshold=t)))
    near = [(r.source, r.target, r.similarity * 100) for r in L.restatements(grouped, threshold=L.RESTATE_THRESHOLD)]
    print(f"\nWith versions of one text aligned (near paraphrases at {L.RESTATE_THRESHOLD:g}):\n")
    print("| align threshold | seed pairs | right | precision | duplicates resolved | dev pairs (false) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for t in (50, 52, 55, 57, 60, 62, 65):
        mark = " (shipped)" if t == L.ALIGN_THRESHOLD else ""
        print(f"| {t}{mark} " + measure(L.restatement_union(near, L.aligned(extractions, threshold=t))))


if __name__ == "__main__":
    main()
