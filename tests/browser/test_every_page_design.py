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


def too_wide(page: Any) -> str | None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width <= PHONE["width"]:
        return None
    culprits = page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > limit + 1)
             .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= limit + 1)
             .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
        PHONE["width"])
    return f"{width} px wide, because of {culprits}"


def axe_violations(page: Any, context: Any = None) -> list[str]:
    """The serious and critical violations axe-core finds on ``page`` (axe injected if needed)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("([context, options]) => axe.run(context || document, options).then(r => r.violations)",
                               [context, AXE_OPTIONS])
    return [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}"
            for v in violations if v["impact"] in BLOCKING_IMPACTS]


def both_checks() -> Any:
    """Width, then axe; the header and footer (the same on every page) are checked on the first
    page only, which keeps the tour of some 250 pages quick."""
    checked_frame = []

    def check(page: Any) -> list[str]:
        width = too_wide(page)
        context = {"exclude": [["body > header"], ["body > footer"]]} if checked_frame else None
        checked_frame.append(page.url)
        return axe_violations(page, context) + ([width] if width else [])

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
    page = new_page(viewport=PHONE, bypass_csp=True)
    tour = tour_as(page, live_server, ROLES[role], starts, both_checks(), app.url_map.bind("localhost"))
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


DARK_PAGES = ("/", "/g/", "/g/commons", "/g/commons/p/{post_id}", "/settings/profile", "/notifications/",
              "/admin/plugins", "/admin/setup/", "/help", "/moderation/", "/reports", "/messages/", "/login")


def test_key_pages_pass_axe_and_fit_in_the_dark_scheme_too(app, live_server, new_page, world):
    """The dark colours are a second palette: its contrast is checked on the pages with the most
    kinds of element (forms, cards, tables, flashes, badges), as the site admin who sees them all."""
    page = new_page(viewport=PHONE, bypass_csp=True, color_scheme="dark")
    log_in(page, live_server, *ROLES["site admin"])
    failures = []
    for path in (path.format(**world.values) for path in DARK_PAGES):
        page.goto(live_server + path, wait_until="load")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        failures += [f"{path}: {problem}" for problem in both_checks()(page)]
    assert failures == []
