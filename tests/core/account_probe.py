"""A tiny plugin for the account tests: records account events and takes part in export/erasure."""
from __future__ import annotations

from core.plugins import PluginMeta
from core.plugins.specs import hookimpl

META = PluginMeta(id="account_probe", name="Account probe", version="1.0",
                  description="Test plugin recording account hooks.")

registered: list[str] = []
erased: list[str] = []
notes: dict[int, list[str]] = {}


@hookimpl
def user_registered(user):
    registered.append(user.username)


@hookimpl
def export_user_data(user):
    return {"notes": notes.get(user.id, [])}


@hookimpl
def erase_user_data(user):
    erased.append(user.username)
    notes.pop(user.id, None)

hidden: set[int] = set()


@hookimpl
def hidden_user_ids(viewer):
    from sqlalchemy import select

    from core.models import User

    if not hidden:
        return None
    return select(User.id).where(User.id.in_(sorted(hidden)))
