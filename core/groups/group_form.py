"""The group form: rules are typed one per line in a textarea and validated as a list."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from core.forms import load_form
from core.models import Group


def load_group_form(schema: Schema, form: MultiDict) -> tuple[dict[str, Any] | None, dict, dict]:
    """Validate the submitted group form; ``values`` keep the rules as the typed text."""
    formdata = MultiDict(form)
    text = form.get("rules", "")
    formdata.setlist("rules", [line for line in text.splitlines() if line.strip()])
    data, errors, values = load_form(schema, formdata)
    values["rules"] = text
    return data, errors, values


def group_values(group: Group) -> dict[str, Any]:
    """The settings form filled with the group's current settings."""
    return {
        "name": group.name, "description": group.description, "rules": "\n".join(group.rules or []),
        "visibility": group.visibility, "join_mode": group.join_mode, "join_question": group.join_question or "",
    }
