"""Refuse input no database column can hold, before any view or schema sees it.

PostgreSQL refuses NUL characters in text, neither driver can encode a lone UTF-16 surrogate
(JSON allows ``"\\ud800"``), and an integer beyond 32 bits overflows every id column. Each
would otherwise surface as a 500 from deep inside a query — in core or in any plugin — and
only on one of the two databases. No real text contains them, so one check for every request
is simpler and safer than a rule in every schema:

- in the URL path: nothing with that name can exist, so 404;
- in the query string, a form or a JSON body: the API answers 422 naming the field (in the
  same ``errors`` layout as schema validation), pages answer 400 with an explanation.

A JSON body nested deeper than ``MAX_JSON_DEPTH`` is refused with 400 before anything else
parses it: the JSON decoder, the checks here and the schemas all recurse, and a body of a
thousand ``[`` would otherwise end in a ``RecursionError`` (a 500). Bodies larger than
``MAX_CONTENT_LENGTH`` never get this far: reading them raises 413 before a byte is parsed.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from flask_smorest import abort as api_abort

from core.errors import wants_json
from core.routing import MAX_ID

UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, problem) for every string, key or integer in ``value`` that cannot be stored.

    Walks with its own stack rather than recursing, so no nesting can exhaust Python's.
    """
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if UNSTORABLE_TEXT.search(value):
                yield path, _("Remove the control character (NUL) or broken Unicode from this text.")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_ID:
                yield path, _("Use a number between %(low)s and %(high)s.", low=-MAX_ID, high=MAX_ID)
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                if isinstance(key, str) and UNSTORABLE_TEXT.search(key):
                    yield (*path, key), _("Remove the control character (NUL) or broken Unicode from this name.")
                else:
                    children.append((item, (*path, key)))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(item, (*path, index)) for index, item in enumerate(value)]))


def nesting_depth(value: Any, stop_after: int) -> int:
    """How many arrays/objects deep ``value`` goes, counting no further than ``stop_after + 1``."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        deepest = max(deepest, depth)
        if deepest > stop_after:
            break
        stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


class NestedTooDeeply(Exception):
    """The JSON body has more levels than ``MAX_JSON_DEPTH``."""


def json_body() -> Any:
    """The request's JSON body (None if there is none or it is malformed: the schemas say so).

    Raises ``NestedTooDeeply`` for a body nested beyond the configured depth, including one
    too deep for the decoder itself.
    """
    raw = request.get_data(cache=True)
    if not raw:
        return None
    limit = int(current_app.config["MAX_JSON_DEPTH"])
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise NestedTooDeeply from exc
    except ValueError:
        return None
    if nesting_depth(value, limit) > limit:
        raise NestedTooDeeply
    return value


def _nest(errors: dict, location: str, path: tuple, message: str) -> None:
    path = tuple(UNSTORABLE_TEXT.sub("\ufffd", str(key)) for key in path)
    node = errors.setdefault(location, {})
    if not path:
        node.setdefault("_schema", []).append(message)
        return
    for key in path[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            return
    node.setdefault(path[-1], []).append(message)


def _problems() -> dict:
    errors: dict = {}
    for location, data in (("query", request.args), ("form", request.form)):
        for key, value in data.items(multi=True):
            for _path, message in unstorable(key + value):
                _nest(errors, location, (key,), message)
    if request.is_json:
        for path, message in unstorable(json_body()):
            _nest(errors, "json", path, message)
    return errors


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_unstorable_input() -> None:
        if any(isinstance(v, str) and UNSTORABLE_TEXT.search(v) for v in (request.view_args or {}).values()):
            abort(404)
        try:
            errors = _problems()
        except NestedTooDeeply:
            _refuse_nesting()
        if not errors:
            return
        message = _("The request contains text or numbers that cannot be stored.")
        if wants_json():
            api_abort(422, message=message, errors=errors)
        abort(400, description=message)


def _refuse_nesting() -> None:
    message = _("The JSON body is nested too deeply: use at most %(levels)s levels of arrays and objects.",
                levels=current_app.config["MAX_JSON_DEPTH"])
    if wants_json():
        api_abort(400, message=message, errors={"json": {"_schema": [message]}})
    abort(400, description=message)
