"""Common Ground as the benchmark serves it: the example plugin and two no-op plugins installed.

Whether they are *enabled* is the database's business (``seed.py --enable``), so the same code
serves both sides of the plugins-cost comparison. Configure with COMMONGROUND_* variables.
"""
from core import create_app

PLUGINS = ["commonground_hello", "bench.noop_plugins.noop_site", "bench.noop_plugins.noop_group"]

app = create_app(plugins=PLUGINS)
