"""URL rules: ids stay in their column's range, and URL builders are compiled when first used.

Werkzeug's ``int`` converter accepts any number of digits; ``/posts/99999999999999999999`` then
overflows SQLite's INTEGER or PostgreSQL's ``integer`` inside the query and answers 500. Ids
are 32-bit integer columns, so anything above that range cannot exist and is simply no match
(404) — for core and for every plugin's routes, since the converter is registered app-wide
before any blueprint.

Werkzeug compiles two Python functions (``compile()`` of a generated AST) for every rule as it
is added, to build its URLs; with some 370 rules that was over half of the CPU of building an
app, paid by every process and every app a test builds, while a process builds URLs for a few
dozen endpoints at most. :class:`LazyBuilderRule` compiles each builder on its first use.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, Rule

#: Largest value of a 32-bit ``INTEGER`` column (PostgreSQL ``integer``), the type of every id.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` capped at :data:`MAX_ID` unless a route asks for its own ``max``."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class LazyBuilderRule(Rule):
    """A rule whose URL builder is compiled on the first ``url_for`` for it, not when it is added."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_first(rule: Rule, **values: Any) -> tuple[str, str]:
            compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, compiled)  # later calls go straight to the compiled builder
            return compiled(**values)

        return build_first


def init_app(app: Flask) -> None:
    """Bounded ``int`` ids and lazily compiled builders; must run before any route is added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_rule_class = LazyBuilderRule
