"""Log the benchmark member in through the real login form; print the session cookie for wrk.

Usage: python bench/login.py http://127.0.0.1:PORT  ->  prints ``session=...``
Only loopback URLs are accepted: the benchmark never talks to anything else.
"""
from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

#: Sent by the log-in and by wrk (``pages.sh``): Flask-Login's session protection ties the session
#: to the browser that logged in; requests from "another browser" (wrk sends no User-Agent) change
#: the session on each one (marked not fresh, a new cookie), which a real browser never causes.
USER_AGENT = "commonground-bench/1"
USERNAME = "bench"
PASSWORD = "bench password 123"


def login(base: str) -> str:
    if urllib.parse.urlsplit(base).hostname != "127.0.0.1":
        raise SystemExit("the benchmark only talks to 127.0.0.1")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    form = opener.open(f"{base}/login", timeout=30).read().decode()
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    data = urllib.parse.urlencode({"csrf_token": match.group(1), "login": USERNAME, "password": PASSWORD}).encode()
    opener.open(f"{base}/login", data=data, timeout=30).read()
    session = next((c for c in jar if c.name == "session"), None)
    if session is None:
        raise SystemExit("login did not set a session cookie")
    page = opener.open(f"{base}/g/bench-group", timeout=30).read().decode()
    if "Log out" not in page:
        raise SystemExit("the session cookie does not log the member in")
    return f"{session.name}={session.value}"


if __name__ == "__main__":
    print(login(sys.argv[1].rstrip("/")))
