"""Shared fixtures come from ``core.testing``, loaded through its ``pytest11`` entry point.

Three suite-wide rules live here: a test that uses the ``browser`` fixture is marked ``browser``
(the PostgreSQL run deselects them); a ``postgres_only`` test is deselected (not skipped) when
the suite runs on SQLite, and runs in the PostgreSQL run; and under ``CI=true`` a skipped test
counts as a failure, so a missing service can never turn the suite green by skipping.

A ``database_independent`` test (a subprocess suite, a pure function: its outcome is the same on
either database) runs once: ``make test``'s PostgreSQL run deselects it, as it does browser tests.
It must never be ``postgres_only`` too (then no run would have it): collection fails instead.
"""
from __future__ import annotations

import os

import pytest

TEST_DB_ENV = "COMMONGROUND_TEST_DATABASE_URL"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("database_independent") and item.get_closest_marker("postgres_only"):
            raise pytest.UsageError(f"{item.nodeid}: database_independent and postgres_only would run in no run")
    if not os.environ.get(TEST_DB_ENV, "").startswith("postgresql"):
        elsewhere = [item for item in items if item.get_closest_marker("postgres_only")]
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may be skipped: {reason}"
    return report
