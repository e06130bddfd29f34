"""Make docs/map.png: the page's default view of the bundled corpus plus devset/ (19 real
articles), in headless Chromium at 1600 x 1000.

    python docs/screenshot.py            # writes docs/map.png
    python docs/screenshot.py --fragment clash --out docs/map-clash.png

Needs Debian's chromium and chromium-driver and the test extras (selenium).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "map.png")
    parser.add_argument("--fragment", default="", help="a view of the page: overview, clash, bridges, forecasts, all …")
    args = parser.parse_args(argv)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from argmap.workspace.build import build
    from argmap.workspace import write_page

    with tempfile.TemporaryDirectory(prefix="argmap-shot-") as tmp:
        corpus, graphs = Path(tmp) / "corpus", Path(tmp) / "graphs"
        corpus.mkdir()
        for path in sorted((ROOT / "corpus").glob("*.md")) + sorted((ROOT / "devset" / "corpus").glob("*.md")):
            shutil.copy(path, corpus / path.name)
        print(f"building {len(list(corpus.iterdir()))} articles…", file=sys.stderr)
        build(corpus, graphs)
        page, _ = write_page(graphs)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --window-size=1600,1000".split():
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={Path(tmp) / 'profile'}")
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(page.resolve().as_uri() + (f"#{args.fragment}" if args.fragment else ""))
            deadline = time.monotonic() + 60
            while not driver.execute_script("return window.__settled") and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
            driver.save_screenshot(str(args.out))
        finally:
            driver.quit()
    print(f"screenshot → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
