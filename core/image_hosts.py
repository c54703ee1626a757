"""Which remote hosts posts may show images from: the ``IMAGE_HOSTS_ALLOWED`` setting.

An image in a post is fetched by every reader's browser, so a remote one tells its host who
read the post, and when: a tracking pixel, even inside a private group. Posts therefore show
images from this site and from the hosts a site admin lists (``images.example.org``, or
``*.example.org`` for its subdomains; HTTPS only); any other image becomes a plain link. The
Content-Security-Policy's ``img-src`` names the same hosts, so a browser refuses every other
image, also in HTML stored before the setting changed (``flask content rerender`` rewrites that).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import current_app, has_app_context

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})+$")


class ImageHostsError(ValueError):
    """``IMAGE_HOSTS_ALLOWED`` names something that is not a host (it also goes into the CSP)."""


def parse(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Host names from the setting: a list, or one comma-separated string (as env vars give it)."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    hosts = []
    for item in items:
        host = str(item).strip().lower()
        if not host:
            continue
        if not _HOST.match(host):
            raise ImageHostsError(
                f"IMAGE_HOSTS_ALLOWED: {item!r} is not a host name; write it like 'images.example.org' "
                "or '*.example.org', without scheme, port or path")
        hosts.append(host)
    return tuple(dict.fromkeys(hosts))


def allowed() -> tuple[str, ...]:
    """The hosts of the running app (none outside an app: nothing remote is embedded)."""
    if not has_app_context():
        return ()
    return parse(current_app.config.get("IMAGE_HOSTS_ALLOWED"))


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


def embeddable(src: str, hosts: Iterable[str]) -> bool:
    """May an ``<img src=src>`` load? Same-site paths yes; remote ones only over HTTPS from ``hosts``."""
    if not src or "\\" in src:
        return False
    parts = urlsplit(src)
    if not parts.scheme and not parts.netloc:
        return not src.startswith("//")
    if parts.scheme != "https" or parts.port not in (None, 443):
        return False
    host = (parts.hostname or "").lower()
    return any(_matches(host, pattern) for pattern in hosts)


def csp_sources(hosts: Iterable[str]) -> list[str]:
    """The ``img-src`` sources for ``hosts``."""
    return [f"https://{host}" for host in hosts]
