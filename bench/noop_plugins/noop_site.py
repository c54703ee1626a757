"""A site-scope plugin answering every per-page hook with nothing."""
from core.plugins import PluginMeta
from core.plugins.specs import hookimpl

META = PluginMeta(id="noop_site", name="No-op (site)", version="1.0", description="Benchmark plugin.", scope="site")


@hookimpl
def nav_items(user):
    return []


@hookimpl
def template_slot(name, context):
    return None


@hookimpl
def hidden_user_ids(viewer):
    return None


@hookimpl
def content_placeholders(viewer, content_type, ids):
    return None


@hookimpl
def can_interact(actor, target):
    return True
