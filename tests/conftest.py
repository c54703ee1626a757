"""Shared fixtures come from ``core.testing``, loaded through its ``pytest11`` entry point.

Two suite-wide rules live here: a test that uses the ``browser`` fixture is marked ``browser``
(the PostgreSQL run deselects them), and under ``CI=true`` a skipped test counts as a failure,
so a missing service can never turn the suite green by skipping.
"""
from __future__ import annotations

import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may be skipped: {reason}"
    return report
