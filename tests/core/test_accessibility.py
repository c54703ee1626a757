"""Accessibility basics on every core page a visitor, a member and the site admin can reach.

Each page is parsed (``html.parser``) and must have: a language on ``<html>``; exactly one
``<h1>``; the banner, navigation, main and contentinfo landmarks, one of each main; a label
for every form control (``<label for>``, a wrapping ``<label>`` or ``aria-label(ledby)``);
unique ids (a duplicate breaks label association); an accessible name on every button and
link and alt text on every image.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.core.site_tour import build_world, core_rules, page_is_html

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageAudit(HTMLParser):
    """Collects what the checks need in one pass over a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.h1 = 0
        self.landmarks: list[str] = []
        self.controls: list[dict] = []  # attrs + whether inside a <label>
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.images_without_alt: list[str] = []
        self.unnamed: list[str] = []
        self._open: list[tuple[str, dict, list[str]]] = []  # (tag, attrs, text) of open elements

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag in ("header", "nav", "main", "footer"):
            self.landmarks.append(attrs.get("role") or {"header": "banner", "nav": "navigation", "main": "main",
                                                        "footer": "contentinfo"}[tag])
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src", "?"))
        if tag in ("input", "select", "textarea") and attrs.get("type", "text") not in UNLABELLED_INPUT_TYPES:
            inside_label = any(open_tag == "label" for open_tag, _a, _t in self._open)
            self.controls.append({**attrs, "tag": tag, "inside_label": inside_label})
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and not (
                attrs.get("value") or attrs.get("aria-label")):
            self.unnamed.append(f"<input type={attrs['type']}>")
        if tag not in VOID:
            self._open.append((tag, attrs, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self._open:
            open_tag, attrs, text = self._open.pop()
            name = "".join(text).strip() or attrs.get("aria-label") or attrs.get("aria-labelledby") or attrs.get(
                "title")
            if open_tag in ("button", "a") and not name and attrs.get("aria-hidden") != "true":
                self.unnamed.append(f"<{open_tag} {attrs}>")
            if self._open:
                self._open[-1][2].extend(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def problems(self) -> list[str]:
        found = []
        if not self.lang:
            found.append("<html> has no lang")
        if self.h1 != 1:
            found.append(f"{self.h1} <h1> elements")
        for landmark in ("banner", "navigation", "main", "contentinfo"):
            if landmark not in self.landmarks:
                found.append(f"no {landmark} landmark")
        if self.landmarks.count("main") > 1:
            found.append("more than one main landmark")
        for control in self.controls:
            labelled = (control["inside_label"] or control.get("id") in self.label_for
                        or control.get("aria-label") or control.get("aria-labelledby"))
            if not labelled:
                found.append(f"unlabelled <{control['tag']} name={control.get('name')!r}>")
        duplicates = sorted({i for i in self.ids if self.ids.count(i) > 1})
        if duplicates:
            found.append(f"duplicate ids {duplicates}")
        found += [f"<img src={src!r}> without alt" for src in self.images_without_alt]
        found += [f"{element} without an accessible name" for element in self.unnamed]
        return found


def audit(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser.problems()


@pytest.fixture
def world(make_user, make_group, make_post, make_comment):
    return build_world(make_user, make_group, make_post, make_comment)


def audit_every_page(app, client, world) -> tuple[int, dict[str, list[str]]]:
    """(pages audited, problems by URL) for every core GET route ``client`` can open."""
    pages, problems = 0, {}
    for rule in core_rules(app):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = world.url_for(rule)
        response = client.get(url)
        if not page_is_html(response):
            continue
        pages += 1
        found = audit(response.get_data(as_text=True))
        if found:
            problems[url] = found
    return pages, problems


@pytest.mark.parametrize("who, at_least", [("visitor", 8), ("member", 20), ("owner", 30)])
def test_every_reachable_core_page_passes_the_basic_checks(app, client, login, world, who, at_least):
    if who != "visitor":
        login(client, world.member if who == "member" else world.owner)
    pages, problems = audit_every_page(app, client, world)
    assert problems == {}
    assert pages >= at_least


def test_error_pages_pass_the_basic_checks_too(client, member_client):
    for c, url in ((client, "/g/no-such-group"), (member_client, "/admin/"), (client, "/g/?after=forged")):
        response = c.get(url)
        assert response.status_code in (400, 404)
        assert audit(response.get_data(as_text=True)) == [], url


def test_pages_declare_the_language_they_are_written_in(app, client, make_user, login):
    german = login(app.test_client(), make_user("greta", locale="de"))
    assert '<html lang="de">' in german.get("/g/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="de">' in client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)


@pytest.mark.parametrize("html, problem", [
    ('<html><body><header></header><nav></nav><main><h1>T</h1></main><footer></footer></body></html>',
     "<html> has no lang"),
    ('<html lang="en"><header></header><nav></nav><main><h1>A</h1><h1>B</h1></main><footer></footer></html>',
     "2 <h1> elements"),
    ('<html lang="en"><header></header><nav></nav><div><h1>T</h1></div><footer></footer></html>',
     "no main landmark"),
    ('<html lang="en"><header></header><nav></nav><main><h1>T</h1><input name="q"></main><footer></footer></html>',
     "unlabelled <input name='q'>"),
    ('<html lang="en"><header></header><nav></nav><main><h1>T</h1><label for="a">A</label><textarea id="b" '
     'name="body"></textarea></main><footer></footer></html>', "unlabelled <textarea name='body'>"),
    ('<html lang="en"><header></header><nav></nav><main><h1>T</h1><p id="x"></p><p id="x"></p></main>'
     '<footer></footer></html>', "duplicate ids ['x']"),
    ('<html lang="en"><header></header><nav></nav><main><h1>T</h1><img src="a.png"></main><footer></footer></html>',
     "<img src='a.png'> without alt"),
    ('<html lang="en"><header></header><nav></nav><main><h1>T</h1><button></button></main><footer></footer></html>',
     "<button {}> without an accessible name"),
])
def test_the_audit_catches_each_problem(html, problem):
    """Guard for the checks themselves: each one fails on a page that breaks it."""
    assert problem in audit(html)


def test_the_audit_accepts_every_way_of_labelling():
    html = ('<html lang="en"><header></header><nav></nav><main><h1>T</h1>'
            '<label for="a">A</label><input id="a" name="a">'
            '<label>B <select name="b"><option>x</option></select></label>'
            '<input name="c" aria-label="C"><span id="d-label">D</span><textarea name="d" aria-labelledby="d-label">'
            '</textarea><input type="hidden" name="csrf_token"><button type="submit">Go</button>'
            '<a href="/x" aria-label="Close"></a><img src="a.png" alt=""></main><footer></footer></html>')
    assert audit(html) == []
