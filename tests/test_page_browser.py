"""The map page in a real headless Chromium: it draws, filters, opens the detail panel,
loads nothing from outside the file and keeps injected markup inert.

One browser serves the whole module; the page is the hand-made graph of test_view.py,
whose articles carry <script> and <img onerror> markup in a title and a claim.
"""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest

from argmap.view import build_view, write_html

from test_view import CHEAP, FRONTIER, XSS_QUOTE, XSS_TITLE, A, C, make_dataset

from conftest import CHROMEDRIVER, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and (CHROMEDRIVER.exists() or shutil.which("chromedriver"))),
                       reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)"),
]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    path = write_html(build_view(make_dataset()), tmp_path_factory.mktemp("page") / "argmap.html")
    return path.resolve().as_uri()


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the page")


@pytest.fixture()
def page(driver, page_url):
    """A freshly loaded, settled page (logs of earlier loads drained)."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page_url)
    wait_for(lambda: driver.execute_script("return window.__settled"))
    return driver


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def node_index(driver, iri):
    return js(driver, "return window.argmap.indexOf(arguments[0])", iri)


def visible(driver):
    return set(js(driver, "return window.argmap.visibleIds()"))


def click_node(driver, index):
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("css selector", "#map canvas")
    x, y, w, h = js(driver, """
        const net = window.argmap.network, id = arguments[0];
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const c = document.querySelector('#map canvas');
        return [p.x, p.y, c.clientWidth, c.clientHeight];""", index)
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).click().perform()


def test_page_draws_offline_without_errors(page, page_url):
    assert js(page, "return window.argmap.network.body.data.nodes.length") == 17
    assert js(page, "return Object.keys(window.argmap.network.getPositions()).length") == 17
    inked = js(page, """
        const c = document.querySelector('#map canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
        return n;""")
    assert inked > 2000  # nodes, edges and labels were drawn
    resources = js(page, "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith("file:") for url in resources), resources
    requests = [json.loads(entry["message"])["message"] for entry in page.get_log("performance")]
    urls = {m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"}
    # Nothing goes over the network, and no other file is read; the browser's own chrome:
    # pages and inline data: URLs are neither.
    assert not [u for u in urls if re.match(r"(?:https?|wss?|ftp):", u, re.I)], urls
    assert {u for u in urls if u.startswith("file:")} <= {page_url}, urls
    errors = [e for e in page.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not errors, errors


def test_search_and_camp_filter_change_the_visible_nodes(page):
    everything = visible(page)
    assert len(everything) == 17
    box = page.find_element("css selector", "#search")
    box.send_keys("llama")
    found = wait_for(lambda: (v := visible(page)) != everything and v)
    assert node_index(page, C(CHEAP)) in found and len(found) < 17
    assert node_index(page, C(FRONTIER)) not in found
    assert "match" in page.find_element("css selector", "#panel").text
    box.clear()
    box.send_keys(" ")  # an input event with an empty query
    wait_for(lambda: visible(page) == everything)

    page.find_element("css selector", "#camp-filter input[value=closed]").click()
    without_closed = visible(page)
    closed = {i for i, d in enumerate(js(page, "return window.argmap.data.nodes"))
              if d.get("camp") == "closed"}
    assert closed and not (closed & without_closed) and without_closed < everything
    # … and no edge of a hidden node is drawn (vis-network's own list of the edges it draws).
    ends = js(page, """const b = window.argmap.network.body;
        return b.edgeIndices.map(id => [b.edges[id].fromId, b.edges[id].toId]);""")
    assert ends and not any(a in closed or b in closed for a, b in ends)
    page.find_element("css selector", "#camp-filter input[value=closed]").click()
    assert visible(page) == everything


def test_clicking_a_node_opens_the_panel_with_quote_and_source(page):
    click_node(page, node_index(page, C(FRONTIER)))
    panel = wait_for(lambda: (t := page.find_element("css selector", "#panel").text) and FRONTIER in t and t)
    assert "Closed labs will dominate (article, 2026-01-05)" in panel and "closed" in panel
    assert "SUPPORTED BY" in panel.upper() and "CONTRASTS WITH" in panel.upper()
    link = page.find_element("css selector", "#panel a")
    assert link.get_attribute("href") == "https://example.org/a1" and link.get_attribute("rel") == "noopener noreferrer"
    dimmed = js(page, "return window.argmap.nodes.get().filter(n => n.opacity < 1).length")
    assert dimmed > 0  # the rest of the map fades, the neighbourhood stays


def test_injected_markup_stays_inert(page):
    def inert():
        assert js(page, "return typeof window.__pwned") == "undefined"
        assert js(page, "return document.querySelectorAll('img, [onerror], #panel script').length") == 0
        # Links go to https pages, or to a view of this page (#clash …), nowhere else.
        assert js(page, "return [...document.querySelectorAll('a')].filter(a => !/^https:/.test(a.href)"
                        " && !/^#[a-z]+$/.test(a.getAttribute('href'))).length") == 0
        assert js(page, "return document.scripts.length") == 3

    panel = lambda: page.find_element("css selector", "#panel").text  # noqa: E731
    click_node(page, node_index(page, A("003_xss")))
    wait_for(lambda: "Evil" in panel())
    inert()
    assert XSS_TITLE in panel()  # shown as text, character for character
    page.find_element("css selector", "#search").send_keys("pwned")  # the quote lands in the results list
    wait_for(lambda: "match" in panel())
    inert()
    page.find_element("css selector", "#reset").click()
    click_node(page, node_index(page, C(XSS_QUOTE)))
    wait_for(lambda: "Open labs" in panel())
    inert()
    assert XSS_QUOTE in panel()
    click_node(page, node_index(page, A("002_open")))  # its url is javascript:…, which must not become a link
    wait_for(lambda: "Open models win" in panel())
    inert()


def test_forecasts_are_listed_by_horizon(page):
    page.find_element("css selector", "#forecasts").click()
    headings = [h.text for h in page.find_elements("css selector", "#panel h3")]
    assert headings == ["2030", "2031"]
