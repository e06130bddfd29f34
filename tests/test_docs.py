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


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = 'pip install -e ".[test]" && pytest'
    assert command in README
    assert re.search(r"^" + re.escape(command) + r"\s*$", ci, re.M)


def test_readme_gives_the_install_and_build_command():
    assert "pip install . && argmap build" in README


def test_the_public_face_is_complete():
    import argmap

    for name in argmap.__all__:
        assert hasattr(argmap, name), name
    assert callable(argmap.open)
