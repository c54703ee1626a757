"""Marshmallow's validation errors as plain text, wherever they leave a schema.

A message may be a lazy translation (``lazy_gettext``/``_l`` in ``error_messages``, or
``raise ValidationError(_l(...))`` in a validator): marshmallow keeps such a message as it
is, not wrapped in a list as it does for a ``str``, so a page iterating a field's messages
showed one letter per line. Every boundary where errors leave a schema – ``load_form`` for
pages, the API's error responses, the forms macros – goes through ``plain_messages``: each
field gets a list of strings, translated into the language of the request.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

SCHEMA_KEY = "_schema"


def plain_messages(messages: Any) -> Any:
    """Nested errors keep their shape (a dict per nested field or list index); every leaf
    becomes a list of ``str``: a single message, lazy or not, a one-item list."""
    if isinstance(messages, Mapping):
        return {key: plain_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        plain: list[Any] = []
        for item in messages:
            if isinstance(item, Mapping):
                plain.append(plain_messages(item))
            elif isinstance(item, list | tuple):
                plain.extend(plain_messages(item))
            else:
                plain.append(str(item))
        return plain
    return [str(messages)]


def field_errors(error: ValidationError) -> dict[str, Any]:
    """``{field: [message, ...]}``; errors about the whole input are under ``"_schema"``."""
    messages = plain_messages(error.messages)
    return messages if isinstance(messages, dict) else {SCHEMA_KEY: messages}


def message_list(value: Any) -> list[str]:
    """One field's messages as a flat list of strings (the forms macros' ``error_list`` filter)."""
    if value is None:
        return []
    plain = plain_messages(value)
    if isinstance(plain, dict):
        return [message for nested in plain.values() for message in message_list(nested)]
    return [message for item in plain for message in (message_list(item) if isinstance(item, dict) else [item])]
