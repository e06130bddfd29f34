"""The README documents every command and saved query, and CI runs the README's test command."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import ROOT

from argmap.cli import main
from argmap.query import saved_queries

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_documented_in_the_readme():
    for name in main.commands:
        assert f"argmap {name}" in README, f"README does not document 'argmap {name}'"


def test_every_command_has_help():
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"{name} has no help text"


def test_every_saved_query_has_a_description_and_the_public_five_are_in_the_readme():
    for name, query in saved_queries().items():
        assert query.description, f"saved query {name} has no header comment"
    for name in ("sources", "entities", "claims", "forecasts", "relations"):
        assert f"`{name}`" in README


def test_ci_runs_the_readme_test_command_in_a_fresh_venv_without_pip_cache():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = 'pip install -c constraints.txt -e ".[test]" && pytest'
    assert f"$ {command}\n" in README
    assert re.search(r"^" + re.escape(command) + r"\s*$", ci, re.M)
    assert re.search(r"^export PIP_NO_CACHE_DIR=1$", ci, re.M)  # pip install --no-cache-dir
    assert re.search(r"^rm -rf \.venv$", ci, re.M) and re.search(r"^python3 -m venv \.venv$", ci, re.M)


def test_readme_gives_the_install_and_build_command_with_the_pins():
    assert "$ pip install -c constraints.txt . && argmap build\n" in README


def test_the_pins_cover_every_declared_dependency_and_what_the_code_imports():
    """Issue 16 item 1: a fresh install lacked lxml_html_clean (trafilatura could not import)."""
    import tomllib

    pins = {re.split(r"[=<>!~ ]", line, maxsplit=1)[0].lower().replace("_", "-")
            for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    names = {re.split(r"[=<>!~\[ ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in declared}
    assert "lxml-html-clean" in names
    assert names <= pins, names - pins
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        assert line.startswith("#") or "==" in line, line  # exact pins only


def test_every_package_the_code_imports_is_declared():
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[=<>!~\[ ]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in project["dependencies"]}
    found = set()
    for path in (ROOT / "src" / "argmap").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^\s*(?:from ([A-Za-z_]\w*)[\w.]* import |import ([A-Za-z_]\w*))", text, re.M):
            found.add(match.group(1) or match.group(2))
    modules = found - set(sys.stdlib_module_names) - {"argmap", "__future__"}
    dists = packages_distributions()
    for module in sorted(modules):
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        assert names & declared, f"{module} is imported but not declared in pyproject.toml"


def test_trafilatura_imports_on_this_install():
    import trafilatura  # noqa: F401  (justext needs lxml.html.clean)
    from lxml.html.clean import Cleaner  # noqa: F401


def test_the_public_face_is_complete():
    import argmap

    for name in argmap.__all__:
        assert hasattr(argmap, name), name
    assert callable(argmap.open)
