"""Push to and query a real Oxigraph server (started on 127.0.0.1) and a real argmap endpoint."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Literal, Variable

from test_store import build_graphs, normalized_rows, saved_params

from argmap.errors import QueryError
from argmap.query import bind_params, saved_queries
from argmap.query import RemoteError, push, query_endpoint
from argmap.query.store import open as open_store

pytestmark = pytest.mark.server


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server binary is missing: pip install oxigraph (it ships the CLI)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("oxigraph serve did not start: " + process.stderr.read().decode()[-500:])
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory) -> Path:
    return build_graphs(tmp_path_factory.mktemp("remote-graphs"))


@pytest.fixture(scope="module")
def pushed(graphs, oxigraph_server):
    return push(graphs, oxigraph_server + "/store")


def test_push_writes_every_named_graph_and_the_merge(pushed, graphs):
    local = open_store(graphs)
    names = [str(g) for g in local.named_graphs()]
    assert [p.graph for p in pushed] == names + ["default"]
    assert all(p.status in (200, 201, 204) for p in pushed)
    assert pushed[-1].triples == len(local.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_round_trip_gives_the_local_rows(pushed, graphs, oxigraph_server, name):
    saved = saved_queries()[name]
    bindings = bind_params(saved, saved_params(name))
    local = open_store(graphs).execute(saved.text, bindings)
    remote = query_endpoint(oxigraph_server + "/query", saved.text, bindings)
    assert remote.columns == local.columns
    assert normalized_rows(remote) == normalized_rows(local)


def test_pushing_again_replaces_rather_than_duplicates(graphs, oxigraph_server, pushed):
    push(graphs, oxigraph_server + "/store")
    count = query_endpoint(oxigraph_server + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?c a arg:Claim }")
    assert int(count.rows[0][0]) == 5


def test_bindings_are_typed_terms_not_text(pushed, oxigraph_server):
    sneaky = Literal('x" } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #')
    result = query_endpoint(oxigraph_server + "/query",
                            "SELECT ?label WHERE { ?e skos:prefLabel ?label FILTER(STR(?label) = ?name) }",
                            {Variable("name"): sneaky})
    assert result.rows == []
    ask = query_endpoint(oxigraph_server + "/query", "ASK { <urn:a> <urn:b> <urn:c> }")
    assert ask.boolean is False


def test_construct_and_ask_from_a_remote(pushed, oxigraph_server):
    graph = query_endpoint(oxigraph_server + "/query",
                           "CONSTRUCT { ?c schema:text ?t } WHERE { ?c a arg:Claim ; schema:text ?t }").graph
    assert len(graph) == 5
    assert query_endpoint(oxigraph_server + "/query", "ASK { ?a a schema:Article }").boolean is True


def test_remote_errors_are_clear(oxigraph_server, graphs):
    with pytest.raises(QueryError, match="rejected the query"):
        query_endpoint(oxigraph_server + "/query", "SELECT ?s WHERE { ?s ?p ?o . FILTER( }")
    with pytest.raises(RemoteError, match="cannot reach"):
        query_endpoint(f"http://127.0.0.1:{_free_port()}/query", "ASK {}", timeout=2)
    with pytest.raises(RemoteError, match="cannot reach"):
        push(graphs, f"http://127.0.0.1:{_free_port()}/store", timeout=2)


def test_cli_push_and_query_endpoint(graphs, oxigraph_server, pushed):
    from click.testing import CliRunner

    from argmap.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["push", oxigraph_server + "/store", "--graphs", str(graphs)])
    assert result.exit_code == 0, result.output
    assert "pushed 3 graphs" in result.output and "merged default graph" in result.output
    result = runner.invoke(main, ["query", "forecasts-due", "--param", "year=2027", "--format", "csv",
                                  "--endpoint", oxigraph_server + "/query"])
    assert result.exit_code == 0, result.output
    assert "By 2027 open models will match closed ones" in result.output
    result = runner.invoke(main, ["query", "sources", "--endpoint", oxigraph_server + "/query",
                                  "--store", "oxigraph"])
    assert result.exit_code == 2 and "--endpoint" in result.output


def test_push_command_takes_the_endpoint_option(graphs, oxigraph_server):
    from click.testing import CliRunner

    from argmap.cli import main

    result = CliRunner().invoke(main, ["push", "--endpoint", oxigraph_server + "/store", "--graphs", str(graphs)])
    assert result.exit_code == 0, result.output
    assert sum("HTTP 20" in line for line in result.stdout.splitlines()) == len(open_store(graphs).named_graphs()) + 1
    both = CliRunner().invoke(main, ["push", oxigraph_server + "/store", "--endpoint", oxigraph_server + "/store"])
    assert both.exit_code == 2
