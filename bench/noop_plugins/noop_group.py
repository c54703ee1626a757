"""A group-scope plugin (enabled for the benchmark group) answering every per-page hook with nothing."""
from core.plugins import PluginMeta
from core.plugins.specs import hookimpl

META = PluginMeta(id="noop_group", name="No-op (group)", version="1.0", description="Benchmark plugin.",
                  scope="group")


@hookimpl
def nav_items(user):
    return []


@hookimpl
def group_tabs(group, user):
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
