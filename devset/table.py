#!/usr/bin/env python3
"""Print the article table of devset/README.md from the corpus, gold, sources and split files.

usage: python devset/table.py   (paste its output under "## The articles")
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _form(stem: str) -> str:
    source = HERE / "sources" / f"{stem}.md"
    if not source.exists():
        return "–"
    match = re.search(r"Form: ([^.(;]+)", source.read_text(encoding="utf-8"))
    form = match.group(1).split(" — ")[0].split(",")[0].strip() if match else "–"
    return form if len(form) <= 60 else form[:59] + "…"


def main() -> None:
    split = yaml.safe_load((HERE / "split.yaml").read_text(encoding="utf-8"))
    check = {stem for s in split["check"] for stem in s.get("stems", [])}
    print("| stem | part | author | publisher | date | form | words | claims | forecasts | entities | relations |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path in sorted((HERE / "corpus").glob("*.md")):
        meta, body = _front(path)
        gold_path = HERE / "gold" / f"{path.stem}.gold.yaml"
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
        counts = [str(len(gold.get(k) or [])) for k in ("claims", "forecasts", "entities", "relations")] \
            if gold else ["no gold"] * 4
        part = "check" if path.stem in check else "tune" if gold else "–"
        cells = [f"`{path.stem}`", part, meta.get("author") or "–", meta.get("publisher") or "–",
                 str(meta.get("date") or "–"), _form(path.stem), str(len(body.split())), *counts]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
