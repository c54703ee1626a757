"""The form's rate-limit counters cannot be traced back to a person once their window has passed.

The old key was ``HMAC(SECRET_KEY, user id)``: anyone with the secret and a copy of the limiter
storage could hash every user id and learn who used the help form, for as long as the key lived.
Keys are now ``HMAC(salt, id)`` with a random salt per clock window, shared by all workers
through the limiter's storage and gone when the window ends.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
import textwrap
import time

import pytest

from core.extensions import limiter
from plugins.helpcenter.rate_limit import limit_key

FORM = {"path": "support", "country": "DE", "language": "de"}
HOUR, DAY = 3600, 86400


def old_style_keys(app, *values: str) -> list[str]:
    secret = app.config["SECRET_KEY"].encode()
    return [hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32] for value in values]


def memory_keys() -> list[str]:
    return list(limiter.storage.storage)


def test_no_counter_key_can_be_recomputed_from_the_secret_key_and_the_member(app, member, login, send_form):
    client = login(app.test_client(), member)
    assert send_form(client, **FORM).status_code == 200
    keys = [key for key in memory_keys() if "helpcenter-referral" in key]
    assert len(keys) == 4  # member and address, per hour and per day
    forbidden = [*old_style_keys(app, str(member.id), "127.0.0.1"), f":{member.id}/", "127.0.0.1"]
    assert not [key for key in keys if any(part in key for part in forbidden)], keys


def test_the_same_member_meets_the_same_key_within_a_window(app):
    with app.test_request_context():
        start = (time.time() // HOUR) * HOUR
        assert limit_key("member", "7", HOUR, start + 1) == limit_key("member", "7", HOUR, start + HOUR - 1)
        assert limit_key("member", "7", HOUR, start + 1) != limit_key("member", "8", HOUR, start + 1)


def test_a_passed_window_salt_is_forgotten_so_its_keys_cannot_be_made_again(app):
    with app.test_request_context():
        start = (time.time() // HOUR) * HOUR
        during = limit_key("member", "7", HOUR, start + 10)
        next_window = limit_key("member", "7", HOUR, start + HOUR + 10)
        assert next_window != during
        # Asking for the finished window again cannot bring its salt back: a fresh one is drawn.
        assert limit_key("member", "7", HOUR, start + 20) != during


def test_windows_of_different_lengths_have_their_own_salts(app):
    with app.test_request_context():
        now = time.time()
        assert limit_key("member", "7", HOUR, now).split(":")[2] != limit_key("member", "7", DAY, now).split(":")[2]


class TestRedis:
    @pytest.fixture
    def app_config(self, redis_limits):
        return {**redis_limits.config, "HELPCENTER_RATELIMIT_MEMBER": "2 per hour"}

    def test_salts_live_in_redis_only_until_their_window_ends(self, app, member, login, send_form, redis_limits):
        client = login(app.test_client(), member)
        before = time.time()
        send_form(client, **FORM)
        salts = [key for key in redis_limits.keys() if "/helpcenter-salt/" in key]
        assert sorted(int(key.split("/")[-2]) for key in salts) == [HOUR, DAY]
        for key in salts:
            window = int(key.split("/")[-2])
            ttl = redis_limits.client.ttl(key)
            assert 0 < ttl <= window - before % window + 1, (key, ttl)  # gone when the window ends

    def test_the_counters_in_redis_do_not_name_the_member(self, app, member, login, send_form, redis_limits):
        client = login(app.test_client(), member)
        send_form(client, **FORM)
        counters = [key for key in redis_limits.keys() if "helpcenter-referral" in key]
        assert len(counters) == 3  # the member's hour; the address's hour and day share keys with nobody
        assert not [key for key in counters if any(part in key for part in old_style_keys(app, str(member.id)))]

    def test_another_worker_uses_the_same_salt_so_the_limit_holds(self, app, member, login, send_form,
                                                                   database_url, redis_limits):
        client = login(app.test_client(), member)
        assert [send_form(client, **FORM).status_code for _ in range(2)] == [200, 200]
        assert second_worker_status(database_url, redis_limits, member.id) == 429


SECOND_WORKER = textwrap.dedent("""
    import sys
    from core import create_app

    database_url, storage, prefix, user_id = sys.argv[1:]
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "another-worker", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": prefix,
                      "HELPCENTER_RATELIMIT_MEMBER": "2 per hour", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"},
                     plugins=["plugins.helpcenter"])
    client = app.test_client()
    with app.app_context():
        from core.auth import login_sessions
        from core.extensions import db
        from core.models import User

        _row, cookie_id = login_sessions.create(db.session.get(User, int(user_id)))
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = cookie_id
    print(client.post("/help", data={"path": "support", "country": "DE", "language": "de"}).status_code)
""")


def second_worker_status(database_url: str, redis_limits, user_id: int) -> int:
    """A POST /help from another process (another gunicorn worker), as the same member."""
    result = subprocess.run(
        [sys.executable, "-c", SECOND_WORKER, database_url, redis_limits.config["RATELIMIT_STORAGE_URI"],
         redis_limits.prefix, str(user_id)],
        capture_output=True, text=True, timeout=120, cwd=os.getcwd())
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])
