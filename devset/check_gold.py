#!/usr/bin/env python3
"""Checks gold files against their corpus files: every quote is an exact substring of the body.

usage: python devset/check_gold.py [GOLD_FILE ...]   (default: every file in devset/gold)

The body is the corpus file after its YAML front matter, as argmap reads it. A quote that is
not found, or found inside an off-topic span's line, is reported; exit 1 on any problem.
"""
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
VALID_CAMPS = {"closed", "open", "both"}
VALID_CONF = {"certain", "likely", "possible"}
VALID_TYPES = {"Organization", "Person", "Product", "Place", "Concept"}


def body_of(text: str) -> str:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            nl = text.find("\n", end + 4)
            return text[nl + 1:] if nl != -1 else ""
    return text


def check(gold_path: Path) -> list[str]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    problems = []
    corpus_file = gold_path.parent.parent / "corpus" / gold["article"]["file"]
    if not corpus_file.exists():
        return [f"{gold_path.name}: corpus file {corpus_file.name} is missing"]
    meta = yaml.safe_load(corpus_file.read_text(encoding="utf-8").split("\n---", 1)[0].lstrip("-"))
    for field in ("title", "url", "date", "publisher"):
        if not meta.get(field):
            problems.append(f"{corpus_file.name}: front matter lacks {field}")
    body = body_of(corpus_file.read_text(encoding="utf-8"))

    def need(quote, where):
        if not isinstance(quote, str) or not quote.strip():
            problems.append(f"{gold_path.name}: empty quote in {where}")
        elif quote not in body:
            problems.append(f"{gold_path.name}: {where} quote not in body: {quote[:70]!r}")

    claims = {c["quote"] for c in gold.get("claims") or []}
    for c in gold.get("claims") or []:
        need(c["quote"], "claims")
        if c.get("camp") not in VALID_CAMPS:
            problems.append(f"{gold_path.name}: bad camp {c.get('camp')!r}")
        if not isinstance(c.get("key"), bool):
            problems.append(f"{gold_path.name}: key must be true/false: {c['quote'][:50]!r}")
    for f in gold.get("forecasts") or []:
        need(f["quote"], "forecasts")
        if f.get("confidence") not in VALID_CONF:
            problems.append(f"{gold_path.name}: bad confidence {f.get('confidence')!r}")
        if f.get("camp") not in VALID_CAMPS:
            problems.append(f"{gold_path.name}: bad forecast camp {f.get('camp')!r}")
        h = f.get("horizon")
        if h is not None and not (isinstance(h, dict) and {"start", "end"} <= set(h)):
            problems.append(f"{gold_path.name}: horizon must be null or {{start, end}}")
    for r in gold.get("relations") or []:
        for end in ("from", "to"):
            if r.get(end) not in claims:
                problems.append(f"{gold_path.name}: relation {end} is not one of the claims: {str(r.get(end))[:60]!r}")
        if r.get("type") not in {"supports", "contrasts"}:
            problems.append(f"{gold_path.name}: bad relation type {r.get('type')!r}")
    for e in gold.get("entities") or []:
        if e.get("type") not in VALID_TYPES:
            problems.append(f"{gold_path.name}: bad entity type {e.get('type')!r} for {e.get('name')!r}")
        for alias in [e["name"], *(e.get("aliases") or [])]:
            if alias not in body and alias == e["name"] and not e.get("aliases"):
                problems.append(f"{gold_path.name}: entity {alias!r} does not occur in the body")
    for o in gold.get("offtopic") or []:
        need(o["quote"], "offtopic")
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted((HERE / "gold").glob("*.gold.yaml"))
    problems = [p for path in paths for p in check(path)]
    for p in problems:
        print(p)
    print(f"{len(paths)} gold file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
