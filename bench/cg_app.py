"""Common Ground as the benchmark serves it.

``BENCH_PLUGINS=real`` installs the built-in plugins (reporting, helpcenter, mentorship,
resources, conversations); otherwise the example plugin and two no-op plugins. Whether they
are *enabled* is the database's business (``seed.py --enable``), so the same code serves both
sides of the plugins-cost comparison. Configure with COMMONGROUND_* variables.
"""
import os

from core import create_app

REAL_PLUGINS = ["plugins.reporting", "plugins.helpcenter", "plugins.mentorship", "plugins.resources",
                "plugins.conversations"]
EXAMPLE_PLUGINS = ["commonground_hello", "bench.noop_plugins.noop_site", "bench.noop_plugins.noop_group"]
PLUGINS = REAL_PLUGINS if os.environ.get("BENCH_PLUGINS") == "real" else EXAMPLE_PLUGINS

app = create_app(plugins=PLUGINS)
