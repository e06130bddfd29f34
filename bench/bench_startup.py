#!/usr/bin/env python3
"""Start-up cost of the command line: wall time of cheap commands, and what they import.

usage: python bench/bench_startup.py [--repeat 7]

Runs each command in a fresh process (``python -m argmap ...`` through the installed
entry point's interpreter) on the bundled corpus, built once into a temporary folder,
and reports the median wall time; then the ten most expensive imports of each command
by ``python -X importtime`` (cumulative microseconds).  Baseline in the same run: a bare
``python -c pass``.  Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _imports(cmd: list[str]) -> list[tuple[int, str]]:
    err = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line.split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    top = [r for r in rows if not r[1].startswith(" ")]
    return sorted(top, reverse=True)[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="argmap-startup-") as tmp:
        graphs = Path(tmp) / "graphs"
        argmap = [sys.executable, "-m", "argmap"]
        subprocess.run([*argmap, "build", "--corpus", str(ROOT / "corpus"), "--graphs", str(graphs), "--no-page",
                        "-q"], check=True, capture_output=True)
        commands = {"python -c pass (baseline)": [sys.executable, "-c", "pass"],
                    "argmap --help": [*argmap, "--help"],
                    "argmap list": [*argmap, "list", "--corpus", str(ROOT / "corpus"), "--graphs", str(graphs)],
                    "argmap query sources": [*argmap, "query", "sources", "--graphs", str(graphs)]}
        print(f"Measured {dt.date.today()} on {platform.machine()}, Python {platform.python_version()}, "
              f"median of {args.repeat} fresh processes.\n")
        print("| command | wall time (s) |\n| --- | --- |")
        for name, cmd in commands.items():
            print(f"| `{name}` | {_wall(cmd, args.repeat):.3f} |")
        for name, cmd in list(commands.items())[1:]:
            print(f"\n`python -X importtime` for `{name}`, the ten largest top-level imports (cumulative ms):\n")
            print(", ".join(f"{mod.strip()} {us / 1000:.0f}" for us, mod in _imports(cmd)))


if __name__ == "__main__":
    main()
