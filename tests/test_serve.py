"""The SPARQL endpoint, started for real on 127.0.0.1 and queried with real clients."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from test_store import _article_one, build_graphs

from argmap.graph import to_dataset, write_trig
from argmap.link import link

pytestmark = pytest.mark.server

CLAIMS = "SELECT ?claim ?text WHERE { ?claim a arg:Claim ; schema:text ?text } ORDER BY ?text"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


class Server:
    """``python -m argmap serve`` in a subprocess, on a free port of 127.0.0.1."""

    def __init__(self, graphs: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "argmap", "serve", "--graphs", str(graphs), "--port", "0", *args],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if match:
                self.url = match.group(1)
                return
        self.stop()
        raise RuntimeError("the server did not start:\n" + "".join(lines))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stderr.close()

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path.lstrip("/"), timeout=30, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return httpx.post(self.url + path.lstrip("/"), timeout=30, **kwargs)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory) -> Path:
    return build_graphs(tmp_path_factory.mktemp("serve-graphs"))


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def server(graphs, request):
    """The endpoint on each store: Oxigraph writes SELECT answers itself, rdflib through argmap."""
    running = Server(graphs, "--timeout", "1.5", "--max-rows", "50", "--store", request.param)
    yield running
    running.stop()


def _wrapper(server: Server, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_select_in_the_four_result_formats(server):
    doc = _wrapper(server, CLAIMS, JSON).query().convert()
    texts = [b["text"]["value"] for b in doc["results"]["bindings"]]
    assert len(texts) == 5 and texts == sorted(texts)

    xml = _wrapper(server, CLAIMS, XML).query().convert()
    assert [n.firstChild.nodeValue for n in xml.getElementsByTagName("literal")] == texts

    rows = list(csv.reader(io.StringIO(_wrapper(server, CLAIMS, CSV).query().convert().decode("utf-8"))))
    assert rows[0] == ["claim", "text"] and [r[1] for r in rows[1:]] == texts

    tsv = _wrapper(server, CLAIMS, TSV).query().convert().decode("utf-8").splitlines()
    assert tsv[0] == "?claim\t?text"
    assert [line.split("\t")[1] for line in tsv[1:]] == [f'"{t}"' for t in texts]
    assert tsv[1].split("\t")[0].startswith("<https://w3id.org/argmap/id/claim/")


def test_post_forms_and_ask(server):
    client = _wrapper(server, "ASK { ?a a schema:Article }", JSON)
    client.setMethod(POST)
    assert client.query().convert()["boolean"] is True
    client = _wrapper(server, CLAIMS, JSON)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    assert len(client.query().convert()["results"]["bindings"]) == 5


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_ask_as_csv_or_tsv_is_the_bare_boolean_on_every_store(server, accept):
    """Issue 16 item 9: ASK as CSV answered ``_askResult`` on one store and ``true`` on the other."""
    for query, answer in (("ASK { ?a a schema:Article }", "true"), ("ASK { ?a a schema:Nothing }", "false")):
        response = server.get("sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200 and response.text.strip() == answer


def test_construct_as_turtle_and_json_ld(server):
    query = "CONSTRUCT { ?c schema:text ?t } WHERE { ?c a arg:Claim ; schema:text ?t }"
    turtle = _wrapper(server, query, TURTLE).query()
    assert turtle.response.headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=turtle.convert(), format="turtle")) == 5
    jsonld = _wrapper(server, query, JSONLD).query()
    assert jsonld.response.headers["Content-Type"].startswith("application/ld+json")
    converted = jsonld.convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="json-ld")
    assert len(graph) == 5


def test_updates_are_refused(server):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert server.post("sparql", data={"update": update}).status_code == 403
    response = server.post("sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403 and "read-only" in response.text
    response = server.get("sparql", params={"query": update})
    assert response.status_code == 403 and "read-only" in response.text
    client = _wrapper(server, update, JSON)
    client.setMethod(POST)
    with pytest.raises(Exception, match="403"):
        client.query()
    assert len(_wrapper(server, CLAIMS, JSON).query().convert()["results"]["bindings"]) == 5


def test_service_is_refused(server):
    response = server.get("sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 403 and "SERVICE" in response.text


@pytest.mark.parametrize("query", [
    r"SELECT * { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",  # a codepoint escape
    "SELECT * { { SELECT ?s { sErViCe <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } }",  # a subquery
])
def test_service_in_any_spelling_is_refused(server, query):
    """Issue 16 item 8: the escaped keyword got past a check on the query text."""
    response = server.get("sparql", params={"query": query})
    assert response.status_code == 403 and "SERVICE" in response.text


@pytest.mark.parametrize("path", ["%00", "a%00b.html", "%ff%fe", "..%2f..%2fetc%2fpasswd"])
def test_undecodable_or_escaping_paths_are_not_found(server, path):
    """Issue 16 item 8: ``GET /%00`` answered 500 with a traceback in the log."""
    response = httpx.get(server.url + path)
    assert response.status_code == 404


def test_malformed_query_gets_the_parser_message(server):
    response = server.get("sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400 and response.text.startswith("malformed SPARQL:")
    with pytest.raises(QueryBadFormed):
        _wrapper(server, "SELECT ?s WHERE { ?s ?p }", JSON).query()


def test_row_limit_truncates_and_says_so(server):
    response = server.get("sparql", params={"query": "SELECT * { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["X-Argmap-Truncated"] == "true"
    assert response.headers["X-Argmap-Max-Rows"] == "50"
    small = server.get("sparql", params={"query": CLAIMS})
    assert "X-Argmap-Truncated" not in small.headers and small.headers["X-Argmap-Rows"] == "5"


def test_slow_query_times_out_and_the_server_stays_responsive(server):
    # The server's own limit (1.5 s) answers 503; the client's timeouts only guard against a hang.
    response = httpx.get(server.url + "sparql", params={"query": SLOW}, timeout=60)
    assert response.status_code == 503 and "limit" in response.text
    for _ in range(3):  # the other worker answers, and the replaced one after it
        assert httpx.get(server.url + "sparql", params={"query": CLAIMS}, timeout=60).status_code == 200


def test_negotiation_errors_and_protocol_errors(server):
    assert server.get("sparql", params={"query": CLAIMS}, headers={"Accept": "image/png"}).status_code == 406
    assert server.get("sparql", params={"query": CLAIMS, "format": "csv"}).headers["Content-Type"].startswith(
        "text/csv")
    assert server.get("sparql").status_code == 400
    assert server.get("sparql", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 303
    assert server.post("sparql", content=CLAIMS, headers={"Content-Type": "text/plain"}).status_code == 415
    assert server.get("sparql", params={"query": CLAIMS, "default-graph-uri": "urn:x"}).status_code == 400
    assert server.get("queries", headers={"Host": "attacker.example"}).status_code == 400


def test_saved_queries_are_listed_and_runnable(server):
    listed = server.get("queries").json()
    names = {q["name"] for q in listed}
    assert {"claims", "claims-by-camp", "forecasts-due", "entity-claims", "outline"} <= names
    due = server.get("queries/forecasts-due", params={"year": "2027"}).json()
    assert [b["due"]["value"] for b in due["results"]["bindings"]] == ["2027"]
    bad = server.get("queries/forecasts-due", params={"year": "soon"})
    assert bad.status_code == 400 and "whole number" in bad.text
    assert server.get("queries/no-such-query").status_code == 404
    missing = server.get("queries/outline")
    assert missing.status_code == 400 and "/queries/outline?source=VALUE" in missing.text
    csv_text = server.get("queries/claims-by-camp", params={"camp": "open", "format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("claim,text,camp")


def test_pages(server, graphs):
    page = server.get("query")
    assert page.status_code == 200 and "query.js" in page.text
    assert "Content-Security-Policy" in page.headers
    assert server.get("static/query.js").status_code == 200
    home = server.get("/")
    assert home.status_code == 404 and "argmap build" in home.text
    (graphs / "argmap.html").write_text("<html><body>the map</body></html>", encoding="utf-8")
    try:
        assert "the map" in server.get("/").text
        assert server.get("argmap.trig").status_code == 200
        assert server.get("oxigraph/CURRENT").status_code == 404
        assert server.get("../../etc/passwd").status_code == 404
    finally:
        (graphs / "argmap.html").unlink()


def test_oxigraph_server_sees_a_rebuilt_graph(tmp_path):
    graphs = build_graphs(tmp_path)
    running = Server(graphs, "--store", "oxigraph", "--workers", "1")
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:Article }"
        assert running.get("sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "2"
        write_trig(to_dataset(link([_article_one()])), graphs / "argmap.trig")
        future = time.time() + 5
        os.utime(graphs / "argmap.trig", (future, future))
        time.sleep(1.1)
        deadline = time.monotonic() + 30
        while True:
            response = running.get("sparql", params={"query": count})
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"
    finally:
        running.stop()


def test_busy_port_is_a_clear_error(server):
    port = server.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run([sys.executable, "-m", "argmap", "serve", "--graphs", ".", "--port", port],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_a_cut_answer_is_announced_to_a_remote_client_and_in_the_cli(server):
    from argmap.query import query_endpoint

    everything = "SELECT * { ?s ?p ?o }"
    result = query_endpoint(server.url + "sparql", everything)
    assert result.truncated and len(result.rows) == 50
    assert not query_endpoint(server.url + "sparql", CLAIMS).truncated
    cli = subprocess.run([sys.executable, "-m", "argmap", "query", "--sparql", everything, "--endpoint",
                          server.url + "sparql", "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert "cut the answer at its row limit (50 shown" in cli.stderr
    assert len(cli.stdout.splitlines()) == 51  # the header and the 50 rows
