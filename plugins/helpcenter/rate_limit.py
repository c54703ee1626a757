"""The referral form's rate limits, under keys nobody can trace back to a person afterwards.

A counter has to recognise the same member (or address) again within its window, so its key is
derived from the user id or address. The old key, ``HMAC(SECRET_KEY, user id)``, stayed
reversible for as long as the key existed and beyond: hash every user id with the site's secret
and the counter says who used the help form. Now the key is ``HMAC(salt, user id)`` with a
random salt that belongs to one window only:

- windows follow the clock: "5 per hour" counts per clock hour, "20 per day" per UTC day;
- the first request of a window makes the salt and stores it in the limiter's own storage with
  an expiry at the window's end, so every worker (Redis in production) uses the same one;
- when the window ends the salt is gone, and the counters left behind are keys of random
  bytes: nothing — not the secret key, not the database — links them to anyone.

Supported storages: ``memory://`` (one process, salts kept in that process) and Redis in all
its forms. With another shared storage each process keeps its own salts, which makes these
limits per process (a warning says so once).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import time
import weakref
from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage, RedisStorage, Storage

from core.plugin_api import limiter

log = logging.getLogger(__name__)

# (config key, default): a member may ask a few times; an address (shared by a school or an
# office, say) somewhat more. Beyond either, the page still shows everything but sends no email.
RATE_LIMITS = {
    "member": ("HELPCENTER_RATELIMIT_MEMBER", "5 per hour;20 per day"),
    "address": ("HELPCENTER_RATELIMIT_ADDRESS", "30 per hour;200 per day"),
}
NAMESPACE = "helpcenter-referral"

# Salts of storages that live in this process: {storage: {salt key: (salt, expires at)}}.
_local_salts: weakref.WeakKeyDictionary[Storage, dict[str, tuple[bytes, float]]] = weakref.WeakKeyDictionary()
_warned: set[type] = set()


def within_rate_limit(user: Any, now: float | None = None) -> bool:
    """Count this submission per address and per member; False once either is over its limit."""
    if not limiter.enabled:
        return True
    now = time.time() if now is None else now
    namespace = [part for part in (current_app.config.get("RATELIMIT_KEY_PREFIX"), NAMESPACE) if part]
    allowed = True
    for kind, value in identities(user).items():
        setting, default = RATE_LIMITS[kind]
        for item in parse_many(current_app.config.get(setting, default)):
            key = limit_key(kind, value, item.get_expiry(), now)
            if not limiter.limiter.hit(item, *namespace, key):
                allowed = False
    return allowed


def identities(user: Any) -> dict[str, str]:
    who = {"address": get_remote_address() or ""}
    if getattr(user, "is_authenticated", False):
        who["member"] = str(user.id)
    return who


def limit_key(kind: str, value: str, window: int, now: float) -> str:
    """The counter key for ``value`` in the clock window of ``window`` seconds that contains ``now``."""
    salt = window_salt(window, now)
    return f"{kind}:{window}:" + hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()


def window_salt(window: int, now: float) -> bytes:
    """The random salt of the current window, made by whoever comes first and gone when it ends."""
    epoch = int(now // window)
    name = f"{current_app.config.get('RATELIMIT_KEY_PREFIX') or ''}/helpcenter-salt/{window}/{epoch}"
    ends_in = max(1, math.ceil((epoch + 1) * window - now))
    storage = limiter.storage
    if isinstance(storage, RedisStorage):
        return _shared_salt(storage.get_connection(), name, ends_in)
    if not isinstance(storage, MemoryStorage) and type(storage) not in _warned:
        _warned.add(type(storage))
        log.warning("helpcenter: %s cannot hold the rate-limit salts; each process keeps its own, "
                    "so the help form's limits count per process (use Redis)", type(storage).__name__)
    return _local_salt(storage, name, now + ends_in, now)


def _shared_salt(client: Any, name: str, ends_in: int) -> bytes:
    fresh = secrets.token_hex(32)
    if client.set(name, fresh, nx=True, ex=ends_in):
        return fresh.encode()
    stored = client.get(name)
    if stored is None:  # it expired between the two calls: the window just ended
        client.set(name, fresh, nx=True, ex=ends_in)
        stored = client.get(name) or fresh.encode()
    return stored if isinstance(stored, bytes) else str(stored).encode()


def _local_salt(storage: Storage, name: str, expires_at: float, now: float) -> bytes:
    salts = _local_salts.setdefault(storage, {})
    for old in [key for key, (_salt, until) in salts.items() if until <= now]:
        del salts[old]  # a finished window's salt is forgotten, not just ignored
    if name not in salts:
        salts[name] = (secrets.token_bytes(32), expires_at)
    return salts[name][0]

