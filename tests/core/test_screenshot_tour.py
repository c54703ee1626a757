"""The README opens with the screenshot tour, and every picture it shows is one the script makes
and is committed, small enough for a repository (under 200 KB)."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run

ROOT = Path(__file__).resolve().parents[2]
SHOTS_DIR = ROOT / "docs" / "screenshots"


def tour_script():
    spec = importlib.util.spec_from_file_location("screenshot_tour", ROOT / "scripts" / "screenshot_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_files() -> set[str]:
    script = tour_script()
    names = set()
    for name, _who, _path, dark_too in script.SHOTS:
        for width in ("desktop", "phone"):
            names.add(f"{name}-{width}.png")
            if dark_too:
                names.add(f"{name}-{width}-dark.png")
    return names


def test_the_readme_opens_with_the_tour_and_shows_only_pictures_the_script_makes():
    readme = (ROOT / "README.md").read_text()
    first_lines = "\n".join(readme.splitlines()[:5])
    assert "docs/screenshots/" in first_lines
    shown = set(re.findall(r"docs/screenshots/([\w.-]+\.png)", readme))
    assert shown and shown <= expected_files()


def test_every_screenshot_is_committed_and_small():
    for name in expected_files():
        path = SHOTS_DIR / name
        assert path.exists(), f"run scripts/screenshot_tour.py: {name} is missing"
        assert path.stat().st_size < 200_000, f"{name} is {path.stat().st_size // 1024} KB"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
