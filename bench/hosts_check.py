"""Checks for ``bench/hosts.sh``: two hosts behind a proxy behave as one site.

Usage: python -m bench.hosts_check HOST_A HOST_B PROXY   (loopback URLs; environment as hosts.sh sets it)
Each check writes through one host and reads through the other (and through the proxy, which
alternates between them); any difference is an error and the script exits non-zero.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from bench.login import PASSWORD, USERNAME

FEED = "/g/bench-group"


class Browser:
    """One person's cookie jar, used against any host (the session cookie is the same site's)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def get(self, base: str, path: str) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(base + path))

    def post(self, base: str, path: str, data: dict, token_from: str | None = None) -> tuple[int, str, dict]:
        if token_from is not None:
            data = {"csrf_token": csrf(self.get(base, token_from)[1]), **data}
        return self._open(urllib.request.Request(base + path, data=urllib.parse.urlencode(data).encode()))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is an answer to look at, not to follow
        return None


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on the page")
    return match.group(1)


def check(name: str, condition: bool, detail: str = "") -> None:
    print(f"{'ok  ' if condition else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not condition:
        raise SystemExit(1)


def flask(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", *args], check=True, capture_output=True,
                   env={**os.environ, "FLASK_APP": "bench.cg_app:app"})


def main() -> None:
    a, b, proxy = sys.argv[1:4]
    hosts = {"A": a, "B": b}

    # Sessions: log in through the proxy; both hosts know the session; logging out on A ends it on B.
    me = Browser()
    status, _, _ = me.post(proxy, "/login", {"login": USERNAME, "password": PASSWORD}, token_from="/login")
    check("log in through nginx", status == 302, f"status {status}")
    for label, base in hosts.items():
        check(f"the session is valid on host {label}", "Log out" in me.get(base, FEED)[1])
    upstreams = Counter(me.get(proxy, FEED)[2].get("X-Upstream") for _ in range(6))
    check("nginx spreads requests over both hosts", len(upstreams) == 2, str(dict(upstreams)))

    # What pages show: a post written on A, edited on B, deleted on A – the next read anywhere sees it.
    status, _, headers = me.post(a, f"{FEED}/posts", {"body": "Written on host A"}, token_from=FEED)
    check("post written on host A", status == 302, f"status {status}")
    post_path = urllib.parse.urlsplit(headers["Location"]).path if "/p/" in headers.get("Location", "") else None
    feeds = [me.get(base, FEED)[1] for base in (b, proxy, proxy)]
    check("the new post shows on host B and through nginx at once", all("Written on host A" in f for f in feeds))
    if post_path is None:
        post_id = re.search(r'/g/bench-group/p/(\d+)/edit', me.get(b, FEED)[1]).group(1)
        post_path = f"{FEED}/p/{post_id}"
    status, _, _ = me.post(b, f"{post_path}/edit", {"body": "Edited on host B"}, token_from=f"{post_path}/edit")
    check("post edited on host B", status == 302, f"status {status}")
    pages = [me.get(base, FEED)[1] for base in (a, proxy, proxy)]
    check("the edit shows on host A and through nginx at once",
          all("Edited on host B" in p and "Written on host A" not in p for p in pages))
    status, _, _ = me.post(a, f"{post_path}/delete", {}, token_from=post_path)
    check("post deleted on host A", status == 302, f"status {status}")
    check("the deletion shows on host B at once", "Edited on host B" not in me.get(b, FEED)[1])

    # Plugin state: switched off (as an admin would, here with the CLI) – every host stops showing it.
    flask("plugins", "disable", "conversations")
    check("plugin switched off: no host shows its nav item",
          all('href="/messages' not in me.get(base, FEED)[1] for base in (a, b, proxy, proxy)))
    flask("plugins", "enable", "conversations")
    check("switched on again: every host shows it",
          all('href="/messages' in me.get(base, FEED)[1] for base in (a, b, proxy, proxy)))

    # Rate limits: failed log-ins count once for the site, whichever host gets them.
    stranger = Browser()
    token = csrf(stranger.get(a, "/login")[1])
    remaining, answers = [], []
    for n in range(11):
        status, _, headers = stranger.post((a, b)[n % 2], "/login",
                                           {"csrf_token": token, "login": "nobody-here", "password": "wrong"})
        answers.append(status)
        remaining.append(headers.get("X-RateLimit-Remaining"))
    # The log-in through nginx above counted too (same address). Per-host counters would give
    # 9, 9, 8, 8, ... and refuse only after twenty attempts; one shared counter counts down by one.
    counting = [int(r) for r in remaining if r is not None]
    first_refusal = answers.index(429) if 429 in answers else None
    check("failed log-ins on alternating hosts count down one shared limit",
          counting[:first_refusal] == list(range(counting[0], counting[0] - first_refusal, -1))
          and first_refusal is not None and first_refusal <= 10 and set(answers[first_refusal:]) == {429},
          f"answers {answers}, remaining {remaining}")

    # Logging out on A ends the session on B too (sessions are kept on the server, in the database).
    me.post(a, "/logout", {}, token_from=FEED)
    check("logged out on host A: host B no longer knows the session", "Log out" not in me.get(b, FEED)[1])
    print("All hosts consistent.")


if __name__ == "__main__":
    main()
