"""The page of a real corpus of 11 articles (the 4 bundled ones, the 3 of ../shared/dev/
where it is beside the clone, and devset/ articles for the rest) in a real headless Chromium: it opens on a readable overview that fits the screen, says the
counts the CLI says, and every view is a URL fragment away."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import CHROMEDRIVER, CHROMIUM, CORPUS, ROOT, SHARED
from test_page_browser import js, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and (CHROMEDRIVER.exists() or shutil.which("chromedriver"))),
                       reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)"),
]

SHARED_DEV = sorted((SHARED / "dev" / "corpus").glob("*.md"))
# The shortest devset articles make up 11 in all: the build stays a few seconds.
DEVSET = sorted((ROOT / "devset" / "corpus").glob("*.md"), key=lambda p: p.stat().st_size)[:11 - 4 - len(SHARED_DEV)]


@pytest.fixture(scope="module")
def real_map(tmp_path_factory):
    from argmap.workspace.build import build
    from argmap.workspace import write_page

    corpus, graphs = tmp_path_factory.mktemp("corpus"), tmp_path_factory.mktemp("graphs")
    for path in sorted(CORPUS.glob("*.md")) + SHARED_DEV + DEVSET:
        shutil.copy(path, corpus / path.name)
    result = build(corpus, graphs, jobs=2)
    page, _ = write_page(graphs)
    linked = result.linked
    # What `argmap build` prints: "N articles, C claims, F forecasts, E entities, …"
    said = {"articles": len(linked.extractions), "claims": sum(len(e.claims) for e in linked.extractions),
            "forecasts": sum(len(e.forecasts) for e in linked.extractions), "entities": len(linked.entities)}
    return page.resolve().as_uri(), said


def open_view(driver, url, fragment=""):
    driver.get_log("browser")
    driver.get(url + fragment)
    wait_for(lambda: driver.execute_script("return window.__settled && window.argmap && window.argmap.view()"))
    return driver.execute_script("return window.argmap.view()")


def drawn(driver):
    return js(driver, "return window.argmap.nodes.getIds().filter(i => !window.argmap.nodes.get(i).hidden)")


def test_the_page_opens_on_an_overview_that_reads_and_fits(driver, real_map):
    url, said = real_map
    assert open_view(driver, url) == "overview"
    ids = drawn(driver)
    assert 10 <= len(ids) <= 150
    data = js(driver, "return window.argmap.data")
    kinds = {data["nodes"][i]["kind"] for i in ids}
    assert kinds == {"claim", "entity"}  # key claims under their topics
    labels = js(driver, "return window.argmap.nodes.get().map(n => n.label)")
    assert all(label and label.strip() for label in labels)
    # Labels are drawn, at a size a reader reads (vis skips labels under 7 px on screen).
    assert js(driver, "return window.argmap.network.getScale()") * 14 >= 9
    inked = js(driver, """
        const c = document.querySelector('#map canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) n++;
        return n;""")
    assert inked > 3000  # dark text on the light boxes
    # The first view fits the screen: every node's box lies inside the canvas.
    outside = js(driver, """
        const net = window.argmap.network, c = document.querySelector('#map canvas');
        return window.argmap.nodes.getIds().filter((id) => {
          const b = net.getBoundingBox(id);
          const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
          return a.x < 0 || a.y < 0 || z.x > c.clientWidth || z.y > c.clientHeight;
        });""")
    assert outside == []
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not errors, errors


def test_the_header_says_the_counts_the_cli_says(driver, real_map):
    url, said = real_map
    open_view(driver, url)
    header, on_screen = driver.find_element("css selector", "#summary").text.split(" — ")
    assert on_screen.startswith("on screen: ")
    counts = {name: int(n) for n, name in re.findall(r"(\d+) (articles|claims|forecasts|entities)", header)}
    assert counts == said


def test_every_view_is_a_fragment_away(driver, real_map):
    url, _ = real_map
    data = None
    for fragment in ("clash", "bridges", "forecasts", "all", "overview"):
        assert open_view(driver, url, "#" + fragment) == fragment
        data = data or js(driver, "return window.argmap.data")
        ids = drawn(driver)
        assert ids, fragment
        if fragment == "forecasts":
            assert {data["nodes"][i]["kind"] for i in ids} == {"forecast"}
            assert driver.find_elements("css selector", "#panel h3")  # the list by year
    article = next(n for n in data["nodes"] if n["kind"] == "article")
    assert open_view(driver, url, "#source=" + article["identifier"]) == "source=" + article["identifier"]
    index = js(driver, "return window.argmap.indexOf(arguments[0])", article["id"])
    assert js(driver, "return window.argmap.nodes.get(arguments[0]).label", index) == article["title"][:90]
    said = {data["nodes"][i]["kind"] for i in drawn(driver)}
    assert "claim" in said
    assert article["title"] in driver.find_element("css selector", "#panel").text

    # One click away: a claim not on the overview opens its own view, with its evidence.
    open_view(driver, url)
    shown = set(drawn(driver))
    other = next(i for i, n in enumerate(data["nodes"]) if n["kind"] == "claim" and i not in shown)
    js(driver, "window.argmap.choose(arguments[0], true)", other)
    wait_for(lambda: js(driver, "return window.argmap.view()").startswith("claim="))
    assert other in drawn(driver)
    assert data["nodes"][other]["text"] in driver.find_element("css selector", "#panel").text
    # … and so does the panel's button for a topic on the overview.
    open_view(driver, url)
    header = data["views"][0]["rows"][0]["header"]
    js(driver, "window.argmap.choose(arguments[0], false)", header)
    driver.find_element("css selector", "#panel button.open-view").click()
    wait_for(lambda: js(driver, "return window.argmap.view()").startswith("topic="))
    # … and a topic, by name.
    topic = json.loads(json.dumps(data["views"][0]["rows"][0]))["header"]
    label = data["nodes"][topic]["label"]
    assert open_view(driver, url, "#topic=" + label).startswith("topic=")
    assert len(drawn(driver)) > 1
