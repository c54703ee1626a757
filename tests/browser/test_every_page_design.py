"""Every page, for every role, on a 360 × 740 phone: never wider than the screen, and no serious or
critical accessibility violation found by axe-core.

The tour (``page_tour``) covers core's pages and those of every built-in plugin and both
examples, with the plugins switched on site-wide and in the group, as a visitor, a member, a
group admin and the site admin. One browser for the session, one page per role.
"""
from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.page_tour import log_in, start_paths, tour_as
from tests.core.site_tour import build_world

PLUGINS = ["plugins.conversations", "plugins.helpcenter", "plugins.resources", "plugins.reporting",
           "plugins.mentorship", "commonground_events", "commonground_hello"]
PHONE = {"width": 360, "height": 740}
PASSWORD = "correct horse battery"
#: axe-core rule sets: WCAG 2.1 A and AA, and the best practices (landmarks, headings…).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture
def app_plugins() -> list[str]:
    return PLUGINS


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, make_user, make_group, make_post, make_comment, add_member, csrf_client):
    """Core's world (site_tour) with every plugin on, its demo data, and a group admin."""
    from core.extensions import db
    from core.models import Group
    from core.plugins import get_plugins
    from core.plugins import state as plugin_state

    world = build_world(make_user, make_group, make_post, make_comment)
    commons = db.session.scalar(db.select(Group).where(Group.slug == "commons"))
    add_member(commons, make_user("gwen"), role="admin")
    for plugin_id in ("conversations", "helpcenter", "resources", "reporting", "mentorship", "events", "hello"):
        plugin_state.set_enabled(plugin_id, True)
    for plugin_id in ("resources", "mentorship", "events"):
        plugin_state.set_group_enabled(plugin_id, commons, True)
    get_plugins().call("seed_demo", app=app)
    db.session.commit()
    plugin_content(commons, world, csrf_client)
    return world


def plugin_content(commons, world, csrf_client) -> None:
    """One of each plugin's objects, made as people make them, so their pages have ids to reach:
    an open mentorship programme, a report (a moderation case) and a private conversation."""
    from core.extensions import db
    from plugins.mentorship.programmes import create_from_template
    from plugins.mentorship.template_files import shipped_templates

    programme = create_from_template(commons, world.owner, shipped_templates()[("skill_development", "en")])
    programme.state = "open"
    db.session.commit()
    from plugins.reporting.models import Case

    member = csrf_client(world.member)
    post_id = world.values["post_id"]
    reported = member.post(f"/report/post/{post_id}", data={"category": "harassment"})
    sent = member.post("/messages/new", data={"recipients": world.owner.username, "body": "Hello Olga"})
    case_id = db.session.scalar(db.select(Case.id))
    # Pages reached through links only in some states (a message request, a claimed case): started from.
    world.values["extra_paths"] = [reported.headers["Location"], sent.headers["Location"],
                                   f"/moderation/cases/{case_id}"]


ROLES = {"visitor": None, "member": ("mira", PASSWORD), "group admin": ("gwen", PASSWORD),
         "site admin": ("olga", PASSWORD)}


#: One round trip a page: the page's width (and the elements sticking out past ``limit``), then
#: axe-core's serious and critical violations (``null`` when axe is not in the page yet). With
#: ``known`` (digests of pages already checked), the page's digest is taken first and axe is not run
#: again on a page seen before: same markup and styles (the header and footer aside, checked on a
#: role's first page, and hidden form values, which nobody sees), same viewport, same colours.
FINDINGS = """async ([limit, withAxe, context, options, blocking, known]) => {
  const width = document.scrollingElement.scrollWidth;
  const culprits = width <= limit ? [] : [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit + 1)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= limit + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  if (!withAxe) return {width, culprits, violations: []};
  if (typeof window.axe === 'undefined') return null;
  let digest = null;
  if (known !== null) {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('body > header, body > footer').forEach(e => e.remove());
    copy.querySelectorAll('input[type=hidden]').forEach(e => e.removeAttribute('value'));
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const text = [innerWidth, innerHeight, dark, JSON.stringify(context), copy.outerHTML].join('\\n');
    const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    digest = [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join('');
    if (known.includes(digest)) return {width, culprits, digest, violations: null};
  }
  const found = (await axe.run(context || document, options)).violations;
  const violations = found.filter(v => blocking.includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map(node => node.target)}));
  return {width, culprits, digest, violations};
}"""


def measure(page: Any, axe: bool = True, context: Any = None, checked: dict[str, list] | None = None
            ) -> dict[str, Any]:
    """``page``'s width and (``axe``) axe-core's findings in ``context`` (default: the whole
    document), in one round trip; axe is injected first when the page does not have it yet
    (``with_axe`` makes every page of a context start with it). ``checked`` (digest: findings)
    remembers the findings of pages checked before and is given them back for the same page."""
    arguments = [PHONE["width"], axe, context, AXE_OPTIONS, list(BLOCKING_IMPACTS),
                 None if checked is None else list(checked)]
    result = page.evaluate(FINDINGS, arguments)
    if result is None:
        page.evaluate(AXE_SCRIPT)
        result = page.evaluate(FINDINGS, arguments)
    if checked is not None:
        if result["violations"] is None:
            result["violations"] = checked[result["digest"]]
        else:
            checked[result["digest"]] = result["violations"]
    return result


def width_problem(measured: dict[str, Any]) -> str | None:
    if measured["width"] <= PHONE["width"]:
        return None
    return f"{measured['width']} px wide, because of {measured['culprits']}"


def violation_problems(measured: dict[str, Any]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['targets']}" for v in measured["violations"]]


def too_wide(page: Any) -> str | None:
    return width_problem(measure(page, axe=False))


def axe_violations(page: Any, context: Any = None) -> list[str]:
    """The serious and critical violations axe-core finds on ``page`` (axe injected if needed)."""
    return violation_problems(measure(page, context=context))


def with_axe(page: Any) -> Any:
    """``page``, whose context loads axe-core into every document it opens (no injection per page)."""
    page.context.add_init_script(script=AXE_SCRIPT)
    return page


#: axe's findings by page digest, shared by the tours of every role in this process: a page the
#: visitor and the member see alike (a help article) is checked once and its findings reported
#: to both (a third of the tours' pages; see ``FINDINGS``).
CHECKED_PAGES: dict[str, list] = {}


def both_checks(checked: dict[str, list] | None = None) -> Any:
    """Width, then axe, in one round trip; the header and footer (the same on every page) are
    checked on the first page only, which keeps the tour of some 300 pages quick. With ``checked``
    a page checked before (its digest in ``checked``) gets its findings from there."""
    checked_frame = []

    def check(page: Any) -> list[str]:
        context = {"exclude": [["body > header"], ["body > footer"]]} if checked_frame else None
        checked_frame.append(page.url)
        measured = measure(page, context=context, checked=checked if context else None)
        width = width_problem(measured)
        return violation_problems(measured) + ([width] if width else [])

    return check


#: Pages each role's tour must reach (a guard for the tour itself), and how many kinds at least.
REACHED = {
    "visitor": (("/", "/g", "/g/commons", "/help", "/login", "/signup", "/resources"), 20),
    "member": (("/g/commons/p/N", "/notifications", "/messages", "/messages/N", "/settings/profile",
                "/mentorship/mine", "/g/commons/mentorship/N", "/reports", "/reports/N"), 45),
    "group admin": (("/g/commons/settings", "/g/commons/members", "/moderation/g/commons"), 50),
    "site admin": (("/admin/plugins", "/admin/users", "/moderation", "/moderation/cases/N", "/admin/helpcenter",
                    "/admin/setup"), 60),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_phone_and_passes_axe(app, live_server, new_page, world, role):
    starts = start_paths(app, {**world.values, "plugin_id": "reporting"}) + world.values["extra_paths"]
    page = with_axe(new_page(viewport=PHONE, bypass_csp=True))
    tour = tour_as(page, live_server, ROLES[role], starts, both_checks(CHECKED_PAGES), app.url_map.bind("localhost"))
    assert tour.failures() == []
    expected, at_least = REACHED[role]
    assert set(expected) <= tour.shapes(), (f"the tour never reached {set(expected) - tour.shapes()} in "
                                            f"{len(tour.pages)} pages: {sorted(tour.shapes())}")
    assert len(tour.pages) >= at_least


def test_the_width_check_catches_a_page_wider_than_the_phone(app, live_server, new_page, world):
    page = new_page(viewport=PHONE, bypass_csp=True)
    page.goto(live_server + "/")
    assert too_wide(page) is None
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<p id=\"too-wide\" style=\"white-space:nowrap;width:720px\">x</p>')")
    assert "px wide" in (too_wide(page) or "")


def test_the_axe_check_reports_a_serious_violation(app, live_server, new_page, world):
    page = new_page(viewport=PHONE, bypass_csp=True)
    page.goto(live_server + "/")
    assert axe_violations(page) == []
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert any(problem.startswith("label") for problem in axe_violations(page))


def test_a_page_checked_before_gets_its_findings_again_without_a_second_axe_run(app, live_server, new_page, world):
    """The roles' tours share their findings by page digest: a violation found on a page is
    reported again wherever the same page is met, and a changed page is checked afresh."""
    checked: dict[str, list] = {}
    check = both_checks(checked)
    page = with_axe(new_page(viewport=PHONE, bypass_csp=True))
    page.goto(live_server + "/help")
    assert check(page) == []  # the first page: header and footer included, nothing remembered
    broken = "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text id=probe>')"
    page.evaluate(broken)
    first = check(page)
    assert any(problem.startswith("label") for problem in first) and len(checked) == 1
    page.goto(live_server + "/help")
    page.evaluate(broken)
    assert check(page) == first and len(checked) == 1  # the same page: its findings, from memory
    page.evaluate("document.getElementById('probe').setAttribute('aria-label', 'Name')")
    assert check(page) == [] and len(checked) == 2  # another page now: axe ran again


DARK_PAGES = ("/", "/g/", "/g/commons", "/g/commons/p/{post_id}", "/settings/profile", "/notifications/",
              "/admin/plugins", "/admin/setup/", "/help", "/moderation/", "/reports", "/messages/", "/login")


def test_key_pages_pass_axe_and_fit_in_the_dark_scheme_too(app, live_server, new_page, world):
    """The dark colours are a second palette: its contrast is checked on the pages with the most
    kinds of element (forms, cards, tables, flashes, badges), as the site admin who sees them all."""
    page = with_axe(new_page(viewport=PHONE, bypass_csp=True, color_scheme="dark"))
    log_in(page, live_server, *ROLES["site admin"])
    failures = []
    for path in (path.format(**world.values) for path in DARK_PAGES):
        page.goto(live_server + path, wait_until="load")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        failures += [f"{path}: {problem}" for problem in both_checks()(page)]
    assert failures == []
