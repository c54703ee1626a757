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


FLASK_OWN_COMMANDS = {"run", "shell", "routes"}
"""Commands every Flask app's ``flask`` has (from Flask itself, not the app's ``cli`` group)."""


def test_every_flask_command_in_the_guide_exists_with_its_options(app):
    import click

    commands = flask_commands()
    assert {"db", "plugins"} <= {words[0] for words in commands}
    ctx = click.Context(app.cli)
    for words in commands:
        if words[0] in FLASK_OWN_COMMANDS:
            continue
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


# --- the group-scope path (part 15, examples/events_plugin) -----------------------------------

EVENTS = ROOT / "examples" / "events_plugin"
GROUP_PART = "## 15. A group feature: Events"


def group_part() -> str:
    text = GUIDE.read_text()
    return text[text.index(GROUP_PART):]


def test_the_group_part_shows_every_module_and_page_of_the_events_example():
    package = EVENTS / "commonground_events"
    expected = {p for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    expected |= {package / "templates" / "events" / "index.html", package / "templates" / "events" / "event.html",
                 EVENTS / "tests" / "conftest.py"}
    shown_here = {m["path"] for m in FILE_BLOCK.finditer(group_part())}
    missing = {str(p.relative_to(ROOT)) for p in expected} - shown_here
    assert not missing, f"part 15 of the plugin guide does not show {sorted(missing)}"


def try_it_commands() -> list[list[str]]:
    """The ``flask`` commands of part 15's last shell block ("Try it"), in order."""
    *_, block = SHELL_BLOCK.finditer(group_part())
    lines = (line.split("#", 1)[0].strip() for line in block["body"].splitlines())
    return [shlex.split(line)[1:] for line in lines if line.startswith("flask ")]


@pytest.mark.plugins("commonground_events")
def test_following_the_group_part_gets_the_demo_group_its_events_tab(app, login):
    """Part 15.12 as written: seed, enable site-wide, switch on for the group; the tab is there.
    (``flask db upgrade`` is what the test database already is; the worker runs elsewhere.)"""
    from core.extensions import db
    from core.models import Group, User

    runner = app.test_cli_runner()
    steps = [words for words in try_it_commands() if words[0] in ("seed", "plugins")]
    assert ["plugins", "enable", "events", "--group", "neighbours"] in steps
    for words in steps:
        result = runner.invoke(args=words)
        assert result.exit_code == 0, f"flask {' '.join(words)}: {result.output}"
    db.session.expire_all()
    sam = db.session.scalar(db.select(User).where(User.username == "sam"))
    group = db.session.scalar(db.select(Group).where(Group.slug == "neighbours"))
    page = login(app.test_client(), sam).get("/g/neighbours/events")
    assert page.status_code == 200 and 'aria-current="page">Veranstaltungen</a>' in page.text  # Sam reads German
    result = runner.invoke(args=["plugins", "disable", "events", "--group", "neighbours"])
    assert result.exit_code == 0 and group.slug in result.output
    assert login(app.test_client(), sam).get("/g/neighbours/events").status_code == 404
