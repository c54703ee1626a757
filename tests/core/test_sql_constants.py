"""Words of the code go into the SQL as constants; anything else stays a bound parameter."""
from __future__ import annotations

import pytest
from sqlalchemy import column, select
from sqlalchemy.dialects import sqlite

from core.sql_constants import sql_constant

pytestmark = pytest.mark.database_independent


def compiled(value: str):
    return select(column("kind")).where(column("kind") == sql_constant(value)).compile(dialect=sqlite.dialect())


@pytest.mark.parametrize("word", ["moderator", "post", "comment_reply", ""])
def test_a_word_of_the_code_is_written_into_the_sql(word):
    statement = compiled(word)
    assert f"kind = '{word}'" in str(statement) and not statement.params


@pytest.mark.parametrize("value", ["it's", "Post", "a b", "x'; DROP TABLE users; --"])
def test_anything_else_stays_a_bound_parameter(value):
    statement = compiled(value)
    assert "kind = ?" in str(statement) and list(statement.params.values()) == [value]
