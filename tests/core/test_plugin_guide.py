"""``docs/plugin-guide.md`` stays true: its files are the example's, its commands exist."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugin-guide.md"
EXAMPLE = ROOT / "examples" / "hello_plugin"
FILE_BLOCK = re.compile(r"<!-- file: (?P<path>\S+) -->\n.*?```[^\n]*\n(?P<body>.*?)\n```", re.S)
SHELL_BLOCK = re.compile(r"```sh\n(?P<body>.*?)\n```", re.S)


@pytest.fixture
def app_plugins():
    return ["commonground_hello"]


def shown_files() -> dict[str, str]:
    return {m["path"]: m["body"] for m in FILE_BLOCK.finditer(GUIDE.read_text())}


def test_every_file_shown_is_the_examples_file_in_full():
    shown = shown_files()
    assert shown
    for path, body in shown.items():
        assert body == (ROOT / path).read_text().rstrip(), f"docs/plugin-guide.md shows an outdated {path}"


def test_guide_shows_every_file_of_the_example_plugin():
    package = EXAMPLE / "commonground_hello"
    expected = {p for p in package.rglob("*") if p.suffix in (".py", ".html") and "__pycache__" not in p.parts}
    expected |= {EXAMPLE / "setup.cfg", EXAMPLE / "pyproject.toml", EXAMPLE / "babel.cfg",
                 EXAMPLE / "tests" / "conftest.py"}
    missing = {str(p.relative_to(ROOT)) for p in expected} - set(shown_files())
    assert not missing, f"the plugin guide does not show {sorted(missing)}"


def flask_commands() -> list[list[str]]:
    commands = []
    for block in SHELL_BLOCK.finditer(GUIDE.read_text()):
        for line in block["body"].splitlines():
            line = line.split("#", 1)[0].strip()
            for part in line.split("&&"):
                words = shlex.split(part.strip())
                if words[:1] == ["flask"]:
                    commands.append(words[1:])
    return commands


def test_every_flask_command_in_the_guide_exists_with_its_options(app):
    import click

    commands = flask_commands()
    assert {"db", "plugins"} <= {words[0] for words in commands}
    ctx = click.Context(app.cli)
    for words in commands:
        command = app.cli.get_command(ctx, words[0])
        assert command is not None, words
        rest = words[1:]
        while isinstance(command, click.Group) and rest:
            command = command.get_command(ctx, rest[0])
            assert command is not None, words
            rest = rest[1:]
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        for word in rest:
            if word.startswith("-"):
                assert word.split("=")[0] in known, f"flask {' '.join(words)}: no option {word}"
