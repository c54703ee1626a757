"""A browser tour of every page a role can reach, for the design checks (width at 360 px, axe-core).

The tour starts from every GET route whose parameters the world can fill (core's and every loaded
plugin's) and follows the links on each page, so a plugin's pages with ids in their paths are
reached the way a person reaches them. Pages of the same shape (the same path with other
numbers, other query arguments) are visited once: the checks are about templates, not rows.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from werkzeug.routing import Rule

#: Paths the tour never opens: machine endpoints, files and the API (not pages).
SKIP_PREFIXES = ("/api/", "/static/", "/plugins/static/", "/uploads/", "/media/")
#: Endpoints whose GET ends a session or downloads a file (a browser cannot show it as a page).
SKIP_ENDPOINT_WORDS = ("logout", "export", "download", "static", "swagger", "openapi")
#: Blueprints that serve files, not pages.
SKIP_BLUEPRINTS = ("files", "api")
MAX_PAGES_PER_ROLE = 140


#: Route arguments that choose a different template (a guide's article); others only choose rows.
TEMPLATE_ARGUMENTS = ("article",)


def page_shape(url: str) -> str:
    """``/g/commons/p/12?after=3`` and ``/g/commons/p/40`` are one shape: ``/g/commons/p/N``."""
    path = urlsplit(url).path.rstrip("/") or "/"
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def page_kind(adapter: Any, url: str) -> str | None:
    """The endpoint serving ``url`` (plus any argument that picks another template): pages of one
    kind share their template. None for what the tour does not open (files, the API, log out)."""
    path = urlsplit(url).path
    if path.startswith(SKIP_PREFIXES):
        return None
    try:
        endpoint, arguments = adapter.match(path, method="GET")
    except Exception:  # a redirect, 404 or 405: still worth one visit, by its path
        return page_shape(url)
    if skipped_endpoint(endpoint):
        return None
    return ":".join([endpoint, *(str(arguments[name]) for name in TEMPLATE_ARGUMENTS if name in arguments)])


def start_paths(app: Any, values: dict[str, Any]) -> list[str]:
    """Every GET page route whose parameters are all in ``values``, filled in."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or _skipped_rule(rule):
            continue
        if not set(rule.arguments) <= set(values):
            continue
        paths.append(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule))
    return sorted(set(paths))


def _skipped_rule(rule: Rule) -> bool:
    return rule.rule.startswith(SKIP_PREFIXES) or skipped_endpoint(rule.endpoint)


def skipped_endpoint(endpoint: str) -> bool:
    blueprint = endpoint.split(".")[0]
    return blueprint.startswith(SKIP_BLUEPRINTS) or any(word in endpoint for word in SKIP_ENDPOINT_WORDS)


@dataclass
class TourPage:
    url: str
    status: int
    finding: Any


@dataclass
class Tour:
    """Where the tour went and what the check found on each page."""

    pages: list[TourPage] = field(default_factory=list)

    def failures(self) -> list[str]:
        return [f"{page.url} ({page.status}): {page.finding}" for page in self.pages if page.finding]

    def shapes(self) -> set[str]:
        return {page_shape(page.url) for page in self.pages}


def walk(page: Any, base: str, starts: list[str], check: Callable[[Any], Any], adapter: Any) -> Tour:
    """Open each start path and every same-site link found on the way (one page of each kind),
    running ``check(page)`` on every HTML page; a falsy result means the page passed."""
    tour, seen, queue = Tour(), set(), list(starts)
    while queue and len(tour.pages) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        kind = page_kind(adapter, path)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        response = page.goto(base + path, wait_until="load")  # the stylesheets applied
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 500:
            tour.pages.append(TourPage(path, response.status, "server error"))
            continue
        landed_path = page.url[len(base):] if page.url.startswith(base) else path
        landed = page_kind(adapter, landed_path)
        if landed != kind and landed in seen:  # redirected to a page already checked (e.g. log in)
            continue
        seen.add(landed)
        tour.pages.append(TourPage(landed_path, response.status, check(page)))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link, _fragment = urldefrag(href)
            if link.startswith(base):
                queue.append(link[len(base):] or "/")
    return tour


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("domcontentloaded")


def tour_as(page: Any, base: str, credentials: tuple[str, str] | None, starts: list[str],
            check: Callable[[Any], Any], adapter: Any) -> Tour:
    """``walk`` as the person with ``credentials`` (``None``: a visitor)."""
    if credentials is not None:
        log_in(page, base, *credentials)
    return walk(page, base, starts, check, adapter)
