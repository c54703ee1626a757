"""Browser tests drive the real pages in headless Chromium, with CSRF on as in production.

A failing test leaves a full-page screenshot (and the page's HTML) of every open page in
``/tmp/commonground-browser/`` for the person reading the CI log.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOT_DIR = Path("/tmp/commonground-browser")
_call_report = pytest.StashKey[pytest.TestReport]()


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report


@pytest.fixture
def new_page(new_page: Callable[..., Any], request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """The kit's ``new_page``, plus screenshots of every page it opened when the test failed."""
    pages: list[Any] = []

    def make(locale: str = "en-US", **context_options: Any) -> Any:
        page = new_page(locale, **context_options)
        pages.append(page)
        return page

    yield make
    report = request.node.stash.get(_call_report, None)
    if report is None or not report.failed:
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        target = SCREENSHOT_DIR / f"{name}-{number}"
        try:
            page.screenshot(path=f"{target}.png", full_page=True)
            Path(f"{target}.html").write_text(page.content())
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"screenshot of page {number} failed: {error}")
            continue
        print(f"screenshot: {target}.png ({page.url})")
