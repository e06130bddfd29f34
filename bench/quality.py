#!/usr/bin/env python3
"""Quality per folder and per article: argmap's rules, argmap's trained models and the naive floor.

usage: python bench/quality.py [--split devset/split.yaml] [--deciders camp-model,rules,model] [--out QUALITY.md]
                               [--parts seeds,dev,tune,check] [--json FILE]

Each part of the protocol gets a fresh workspace: its articles are built with
``argmap build`` (``ARGMAP_DECIDER`` set per run) and scored twice, by ``argmap eval``
(per article) and by the independent scorer in ``../shared/tools/score.py`` (per
folder), which also scores the naive extractor ``naive_argmap.py`` on the same texts.
The four parts are the seeds (``../shared/gold``), ``../shared/dev``, the tune part
of ``devset/`` and the check part, which nothing is tuned or trained on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from argmap.evaluate import read_split  # noqa: E402

COLUMNS = [("claims F1", ("claims", "f1")), ("claims P", ("claims", "precision")), ("claims R", ("claims", "recall")),
           ("camp", ("claims", "camp", "accuracy")), ("key", ("claims", "key", "accuracy")),
           ("forecasts F1", ("forecasts", "f1")), ("confidence", ("forecasts", "confidence", "accuracy")),
           ("entities F1", ("entities", "untyped", "f1")), ("relations F1", ("relations", "f1")),
           ("off-topic items", ("offtopic", "count"))]
SCORER = [("claims F1", ("claims", "f1")), ("camp", ("camp_accuracy",)), ("forecasts F1", ("forecasts", "f1")),
          ("confidence", ("confidence_accuracy",)), ("entities F1", ("entities", "f1")),
          ("concepts F1", ("entities_concepts", "f1")), ("relations F1", ("relations", "f1")),
          ("off-topic items", ("offtopic_items",)), ("restates pairs", ("restates_pairs",)),
          ("restates P", ("restates_precision",)), ("duplicates", ("duplicates_resolved",))]


def _get(data: dict, path: tuple) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _parts(split_file: Path) -> dict[str, list[tuple[Path, Path]]]:
    split = read_split(split_file)
    tune_sets = split["tune"]
    parts = {
        "seeds": [p for s in tune_sets if s.gold == (SHARED / "gold").resolve() for p in s.pairs()],
        "dev": [p for s in tune_sets if s.gold == (SHARED / "dev" / "gold").resolve() for p in s.pairs()],
        "tune": [p for s in tune_sets if SHARED.resolve() not in s.gold.parents for p in s.pairs()],
        "check": [p for s in split["check"] for p in s.pairs()],
    }
    return parts


def _workspace(pairs: list[tuple[Path, Path]], where: Path) -> Path:
    for sub in ("corpus", "gold", "texts", "graphs"):
        (where / sub).mkdir(parents=True)
    for gold, article in pairs:
        shutil.copy(gold, where / "gold" / gold.name)
        shutil.copy(article, where / "corpus" / article.name)
        # The scorer finds a gold file's text under the name its header gives (seeds: .txt).
        named = (yaml.safe_load(gold.read_text(encoding="utf-8")).get("article") or {}).get("file")
        seed = SHARED / "seeds" / str(named)
        shutil.copy(seed if named and seed.exists() else article, where / "texts" / (named or article.name))
    return where


def _run(cmd: list[str], env: dict | None = None) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({done.returncode}): {done.stderr[-800:]}")
    return done.stdout


def _score(ws: Path, argmap: str, gold: Path | None = None, corpus: str = "corpus") -> dict:
    return json.loads(_run([sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(gold or ws / "gold"),
                            "--texts", str(ws / "texts"), "--corpus", str(ws / corpus),
                            "--graphs", str(ws / "graphs"), "--argmap", argmap, "--json"]))


def measure(pairs, decider: str, tmp: Path, per_article_scorer: bool) -> dict:
    ws = _workspace(pairs, tmp / decider)
    env = {"ARGMAP_DECIDER": decider}
    _run(["argmap", "build", "--corpus", str(ws / "corpus"), "--graphs", str(ws / "graphs")], env)
    report = json.loads(_run(["argmap", "eval", "--gold", str(ws / "gold"), "--corpus", str(ws / "corpus"),
                              "--graphs", str(ws / "graphs"), "--format", "json"], env))
    result = {"eval": report, "scorer": _score(ws, "argmap"), "per_article_scorer": {}}
    if per_article_scorer:
        for gold, _ in pairs:
            one = tmp / f"{decider}-gold-{gold.stem}"
            one.mkdir()
            shutil.copy(gold, one / gold.name)
            result["per_article_scorer"][gold.name.removesuffix(".gold.yaml")] = _score(ws, "argmap", one)
    return result


def naive(pairs, tmp: Path, per_article: bool) -> dict:
    ws = _workspace(pairs, tmp / "naive")
    command = f"{sys.executable} {SHARED / 'tools' / 'naive_argmap.py'}"
    # The naive tool reads the original texts (its front-matter reader takes only double quotes).
    result = {"scorer": _score(ws, command, corpus="texts"), "per_article_scorer": {}}
    if per_article:
        for gold, _ in pairs:
            one = tmp / f"naive-gold-{gold.stem}"
            one.mkdir()
            shutil.copy(gold, one / gold.name)
            result["per_article_scorer"][gold.name.removesuffix(".gold.yaml")] = _score(ws, command, one, "texts")
    return result


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip()
    except OSError:
        return "?"


def render(results: dict, deciders: list[str]) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [f"# Quality per folder (`bench/quality.py`, {dt.date.today()}, commit {_commit()}, {machine})", "",
             "Made by `python bench/quality.py --out QUALITY.md`. Parts (`devset/split.yaml`): **seeds** are the",
             "four bundled articles (one essay in four versions); **dev** is `../shared/dev/`; **tune** is the",
             "dev-set articles the rules were tuned on and the models trained on; **check** is never tuned or",
             "trained on, and is the part to believe. *camp-model*, *rules* and *model* are argmap with",
             "`ARGMAP_DECIDER` set: *camp-model*, the default, has the rules decide claims and the camp model",
             "camps; *rules* and *model* decide both. *naive* is `../shared/tools/naive_argmap.py` (every",
             "sentence a claim). On seeds, dev and tune the models' camps and *model*'s claims are scores on",
             "their own training data.", "",
             "Targets (issue 17): claims F1 ≥ 0.65, camp ≥ 0.75 and at most 2 off-topic items per article on",
             "check and dev; seeds claims F1 and camp ≥ 0.85.", "",
             "Independent scorer (`../shared/tools/score.py`, contract queries only), per folder:", ""]
    head = ["part", "system", *[c for c, _ in SCORER]]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for part, runs in results.items():
        for system in [*deciders, "naive"]:
            if system in runs:
                row = [part, system, *[_fmt(_get(runs[system]["scorer"], p)) for _, p in SCORER]]
                lines.append("| " + " | ".join(row) + " |")
    lines += ["", "`argmap eval`, per article:", ""]
    head = ["part", "article", "system", *[c for c, _ in COLUMNS]]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for part, runs in results.items():
        for decider in deciders:
            if decider not in runs:
                continue
            for art in runs[decider]["eval"]["articles"]:
                name = art["gold"].removesuffix(".gold.yaml")
                lines.append("| " + " | ".join([part, name, decider, *[_fmt(_get(art, p)) for _, p in COLUMNS]]) + " |")
            overall = runs[decider]["eval"]["overall"]
            lines.append("| " + " | ".join([part, "**overall**", decider,
                                            *[_fmt(_get(overall, p)) for _, p in COLUMNS]]) + " |")
    check = results.get("check")
    if check:
        lines += ["", "Check split, independent scorer per article:", ""]
        head = ["article", "system", *[c for c, _ in SCORER]]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for system in [*deciders, "naive"]:
            for name, rep in check.get(system, {}).get("per_article_scorer", {}).items():
                lines.append("| " + " | ".join([name, system, *[_fmt(_get(rep, p)) for _, p in SCORER]]) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", type=Path, default=ROOT / "devset" / "split.yaml")
    ap.add_argument("--deciders", default="camp-model,rules,model")
    ap.add_argument("--parts", default="seeds,dev,tune,check")
    ap.add_argument("--out", type=Path, default=None, help="write the Markdown tables here")
    ap.add_argument("--json", type=Path, default=None, help="write every figure here")
    a = ap.parse_args()
    deciders = a.deciders.split(",")
    parts = _parts(a.split)
    results = {}
    with tempfile.TemporaryDirectory(prefix="argmap-quality-") as tmp:
        for part in a.parts.split(","):
            pairs = parts[part]
            if not pairs:
                continue
            print(f"{part}: {len(pairs)} articles", file=sys.stderr)
            runs = {}
            for decider in deciders:
                runs[decider] = measure(pairs, decider, Path(tmp) / part, part == "check")
            runs["naive"] = naive(pairs, Path(tmp) / part, part == "check")
            results[part] = runs
    text = render(results, deciders)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1))
    if a.out:
        a.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
