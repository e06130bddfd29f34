"""The README, run for real: every ``$ argmap …`` line of its console sessions, in order,
in a fresh copy of the bundled corpus and the dev set, and every line the README shows as
output must be a line the program prints (a bare ``…`` line stands for lines left out).
The commands table may promise only options that the commands have."""

from __future__ import annotations

import re
import shlex
import shutil
import webbrowser

import pytest
from click.testing import CliRunner
from conftest import CORPUS, DATA, ROOT

from argmap.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
_PROGRESS = re.compile(r"^\w[\w ]*: +\d+%\|")  # a tqdm bar: its timings differ on every run


def console_sessions() -> list[tuple[str, list[str]]]:
    """``(argmap command, lines shown after it)`` for every ``$ … argmap …`` line of the README."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        current = None
        for line in block.splitlines():
            if line.startswith("$ "):
                command = re.sub(r"\s{2,}#.*$", "", line[2:]).strip()
                command = command.split("&& ", 1)[1] if command.startswith("pip ") else command
                current = (command, []) if command.startswith("argmap ") else None
                if current:
                    steps.append(current)
            elif current is not None:
                current[1].append(line.rstrip())
    return steps


def _run(command: str) -> tuple[int, list[str]]:
    head = None
    if " | head -" in command:
        command, count = command.split(" | head -")
        head = int(count)
    result = CliRunner().invoke(main, shlex.split(command)[1:])
    lines = [line.rstrip() for line in result.output.splitlines()]
    return result.exit_code, lines[:head] if head else lines


def _shown(expected: list[str]) -> list[str]:
    return [line for line in expected if line.strip() not in ("", "…") and not _PROGRESS.match(line)]


def _in_order(shown: list[str], printed: list[str]) -> list[str]:
    """The shown lines that the printed ones do not contain in that order."""
    missing, at = [], 0
    for line in shown:
        try:
            at = printed.index(line, at) + 1
        except ValueError:
            missing.append(line)
    return missing


def test_no_readme_command_shows_a_blank_line_for_its_output():
    """A blank line under a command stands for nothing it prints: the output it shows went
    missing, and the check above would not notice."""
    blank_after = [line for block in re.findall(r"```console\n(.*?)```", README, re.S)
                   for line, after in zip(block.splitlines(), block.splitlines()[1:])
                   if line.startswith("$ ") and not after.strip()]
    assert not blank_after, blank_after


def test_the_readme_has_console_sessions_to_check():
    commands = [c.split()[1] for c, _ in console_sessions()]
    assert {"build", "query", "forecasts", "view", "add", "list", "validate", "eval"} <= set(commands)


@pytest.mark.slow
def test_every_readme_command_prints_what_the_readme_shows(tmp_path, monkeypatch, cli_nlp):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    for part in ("corpus", "gold"):
        shutil.copytree(ROOT / "devset" / part, tmp_path / "devset" / part)
    shutil.copy(DATA / "unseen_news.md", tmp_path / "news.md")  # the README's "news.md"
    (tmp_path / "photo.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(webbrowser, "open", lambda *args, **kwargs: True)  # `argmap view` opens a browser
    problems = []
    for command, expected in console_sessions():
        code, printed = _run(command)
        errors = any(line.startswith("Error: ") for line in _shown(expected))
        if (code != 0) != errors:
            problems.append(f"{command}: exit {code}\n" + "\n".join(printed[-5:]))
        missing = _in_order(_shown(expected), printed)
        if missing:
            problems.append(f"{command}: the README shows lines the program does not print:\n  "
                            + "\n  ".join(missing) + "\nprinted:\n  " + "\n  ".join(printed[:40]))
    assert not problems, "\n\n".join(problems)


def _commands_table() -> list[tuple[str, set[str]]]:
    start = README.index("| command | what it does |")
    rows = []
    for line in README[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = line.split("|")
        name = re.search(r"`argmap (\w+)", line).group(1)
        rows.append((name, set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", "|".join(cells[1:])))))
    return rows


def test_the_commands_table_promises_only_options_the_commands_have():
    """Issue 16 item 9: the README said every command takes --corpus; query and validate do not."""
    table = _commands_table()
    assert {name for name, _ in table} == set(main.commands)
    for name, options in table:
        have = {opt for param in main.commands[name].params for opt in param.opts + param.secondary_opts}
        assert options <= have, f"argmap {name}: the README promises {sorted(options - have)}"


def test_the_readme_names_exactly_the_commands_that_take_the_corpus_option():
    sentence = re.search(r"`--corpus DIR`.{0,40}? is taken by ((?:`\w+`(?:, | and )?)+)", README, re.S)
    assert sentence, "the README does not say which commands take --corpus"
    named = set(re.findall(r"`(\w+)`", sentence.group(1)))
    taking = {name for name, command in main.commands.items()
              if any("--corpus" in param.opts for param in command.params)}
    assert named == taking
