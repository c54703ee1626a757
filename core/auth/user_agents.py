"""A short name for the browser and the system in a User-Agent header ("Firefox", "Android").

Settings → Sessions shows them so a member can tell their devices apart. Only these two names
are kept, never the header itself: the full string is detailed enough to help single a person out.
"""
from __future__ import annotations

# First match wins: Edge and Opera also say "Chrome/", Chrome also says "Safari/".
BROWSERS = (
    ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"), ("Vivaldi/", "Vivaldi"),
    ("SamsungBrowser/", "Samsung Internet"), ("FxiOS/", "Firefox"), ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ("curl/", "curl"), ("python-requests/", "Python"), ("python-httpx/", "Python"),
)
PLATFORMS = (
    ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"),
    ("Windows", "Windows"), ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
)


def _first(user_agent: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((name for marker, name in table if marker in user_agent), None)


def describe(user_agent: str | None) -> tuple[str | None, str | None]:
    """(browser, system) named in ``user_agent``; None for what it does not say."""
    user_agent = (user_agent or "")[:512]
    return _first(user_agent, BROWSERS), _first(user_agent, PLATFORMS)
