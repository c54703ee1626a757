"""The deploy guide's configuration keeps what must stay private out of logs and compression.

The real gunicorn behaviour (no ``/help`` lines in its access log, the worker check) is tested
with a running server in ``test_rate_limit_workers.py``; this checks the nginx example that
operators copy.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run

ROOT = Path(__file__).resolve().parents[2]


def nginx_locations() -> dict[str, str]:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    [config] = re.findall(r"```nginx\n(.*?)```", guide, re.S)
    return dict(re.findall(r"location\s+(\S+)\s*\{(.*?)\}", config, re.S))


def test_nginx_keeps_the_help_center_out_of_the_access_log_and_uncompressed():
    help_center = nginx_locations()["/help"]
    assert "access_log off;" in help_center and "gzip off;" in help_center
    assert "proxy_pass http://127.0.0.1:8000;" in help_center


def test_the_guide_explains_the_worker_check_and_the_gunicorn_config():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert "gunicorn.conf.py" in guide and "COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true" in guide
    assert "WEB_CONCURRENCY" in guide
