"""``CompiledCache``: a statement run again finds its compiled SQL by identity, without hashing
its cache key; anything else is found as SQLAlchemy's own cache finds it."""
from __future__ import annotations

from sqlalchemy import bindparam, select

from core import create_app
from core.compiled_cache import CompiledCache
from core.extensions import db
from core.models import User


class Hashed:
    """A part of a cache key that counts how often it is hashed (SQLAlchemy hashes the whole key)."""

    def __init__(self, name: str) -> None:
        self.name, self.hashes = name, 0

    def __hash__(self) -> int:
        self.hashes += 1
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hashed) and other.name == self.name


def key(statement_key: tuple, dialect: object = "sqlite", column_keys: tuple = ()) -> tuple:
    """A key as SQLAlchemy builds it for each execution: a new tuple around the statement's key."""
    return (dialect, statement_key, column_keys, False, False)


def test_the_same_statement_key_is_found_without_hashing_it():
    cache, part = CompiledCache(), Hashed("users")
    statement_key = (part, ("where", part))
    cache[key(statement_key)] = "compiled"
    hashed = part.hashes
    assert cache.get(key(statement_key)) == "compiled"
    assert part.hashes == hashed
    assert cache.identity_hits == 1


def test_an_equal_key_of_another_statement_is_found_by_its_value():
    cache = CompiledCache()
    cache[key((Hashed("users"),))] = "compiled"
    other = Hashed("users")
    assert cache.get(key((other,))) == "compiled"
    assert other.hashes == 1
    assert cache.identity_hits == 0


def test_a_key_found_by_value_is_found_by_identity_next_time():
    cache = CompiledCache()
    cache[key((Hashed("users"),))] = "compiled"
    statement_key = (Hashed("users"),)
    cache.get(key(statement_key))
    assert cache.get(key(statement_key)) == "compiled"
    assert cache.identity_hits == 1


def test_the_same_statement_for_another_dialect_or_columns_is_not_taken_for_it():
    cache, statement_key = CompiledCache(), (Hashed("users"),)
    cache[key(statement_key)] = "compiled for sqlite"
    assert cache.get(key(statement_key, dialect="postgresql")) is None
    assert cache.get(key(statement_key, column_keys=("name",))) is None
    assert cache.get(key(statement_key)) == "compiled for sqlite"


def test_a_missing_key_answers_the_default():
    assert CompiledCache().get(key((Hashed("users"),)), "default") == "default"


def test_the_identity_map_keeps_the_latest_used_within_its_size():
    cache = CompiledCache(identity_size=2)
    keys = [(Hashed(str(n)),) for n in range(3)]
    for n, statement_key in enumerate(keys):
        cache[key(statement_key)] = n
        cache.get(key(keys[0]))  # the first is used all along
    assert len(cache._same) == 2
    assert cache.get(key(keys[0])) == 0
    hits = cache.identity_hits
    assert cache.get(key(keys[1])) == 1  # pushed out of the identity map: found by value
    assert cache.identity_hits == hits


def test_clear_forgets_both_ways_of_finding():
    cache, statement_key = CompiledCache(), (Hashed("users"),)
    cache[key(statement_key)] = "compiled"
    cache.clear()
    assert cache.get(key(statement_key)) is None


def test_the_app_runs_a_reused_statement_from_the_cache_by_identity(app, make_user):
    member = make_user()
    cache = db.engine.get_execution_options()["compiled_cache"]
    assert isinstance(cache, CompiledCache)
    statement = select(User.username).where(User.id == bindparam("user_id"))
    db.session.execute(statement, {"user_id": member.id})
    hits = cache.identity_hits
    assert db.session.execute(statement, {"user_id": member.id}).scalar_one() == member.username
    assert cache.identity_hits == hits + 1


def test_a_compiled_cache_the_site_configured_is_kept(tmp_path):
    mine: dict = {}
    site = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'site.sqlite'}", "SECRET_KEY": "x",
                       "SQLALCHEMY_ENGINE_OPTIONS": {"execution_options": {"compiled_cache": mine}}}, plugins=[])
    with site.app_context():
        assert db.engine.get_execution_options()["compiled_cache"] is mine
