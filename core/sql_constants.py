"""Fixed words of the code written into SQL as constants, not as bound parameters.

Statements that run on every page (the login statement, search, the lists' plugin columns)
carry names of states, kinds, roles and sources. SQLAlchemy works through each bound parameter
again on every run, and renders an expanding ``IN`` into the SQL again each time. A word of the
code (lowercase letters, digits, underscores) is safe to write out; anything else stays bound.
"""
from __future__ import annotations

import re

from sqlalchemy import ColumnElement, String, literal, literal_column

WORD = re.compile(r"[a-z0-9_]*")


def sql_constant(value: str) -> ColumnElement:
    """``value`` as a string constant in the SQL when it is a word of the code, else a bound parameter."""
    return literal_column(f"'{value}'", String) if WORD.fullmatch(value) else literal(value, String)
