"""``support_resources``: other plugins (reporting's self-harm flow) show the directory's helplines."""
from __future__ import annotations

import re
from datetime import timedelta

from core.extensions import db
from core.models.base import utcnow
from core.plugins import get_plugins
from core.plugins import state as plugin_state


def resources(country: str = "DE", locale: str = "de", reason: str = "self_harm"):
    """What a plugin's page (reporting's self-harm flow) gets while it handles a request."""
    from flask import current_app

    with current_app.test_request_context("/", headers={"Accept-Language": locale}):
        return get_plugins().call_flat("support_resources", locale=locale,
                                       context={"country": country, "reason": reason})


def test_hook_returns_the_countrys_helplines_beside_cores_emergency_number(app):
    found = resources()
    kinds = sorted(r.kind for r in found)
    assert kinds == ["emergency", "helpline"]
    [helpline] = [r for r in found if r.kind == "helpline"]
    assert helpline.name == "TelefonSeelsorge" and helpline.country == "DE"
    assert (helpline.phone, helpline.phone_display) == ("+498001110111", "0800 111 0 111")
    assert helpline.free and helpline.anonymous and helpline.verified
    assert helpline.description.startswith("Geschulte Ehrenamtliche")
    assert ("phone", "0800 111 0 222", "tel:+498001110222") in helpline.channels
    assert helpline.url == "https://online.telefonseelsorge.de/"


def test_hook_speaks_the_callers_language(app):
    [helpline] = [r for r in resources(locale="en") if r.kind == "helpline"]
    assert helpline.description.startswith("Trained volunteers")


def test_hook_reports_stale_data_as_unverified(app, telefonseelsorge):
    telefonseelsorge.verified_on = (utcnow() - timedelta(days=400)).date()
    db.session.commit()
    [helpline] = [r for r in resources() if r.kind == "helpline"]
    assert helpline.verified is False


def test_hook_offers_nothing_for_a_country_without_helplines(app):
    assert [r.kind for r in resources(country="FR")] == ["emergency"]


def test_the_help_center_is_the_sites_one_get_help_page(client):
    for url in ("/", "/g/", "/login", "/help", "/does-not-exist"):
        page = client.get(url).get_data(as_text=True)
        help_links = re.findall(r'<a href="([^"]*)">(Get help|Help center)</a>', page)
        assert help_links == [("/help", "Get help")], (url, help_links)


def test_cores_support_page_leads_to_it_keeping_the_chosen_country(client):
    response = client.get("/support?country=AT")
    assert response.status_code == 302 and response.headers["Location"] == "/help?country=AT"
    page = client.get("/help?country=AT").get_data(as_text=True)
    assert '<option value="AT" selected>' in page and 'href="tel:112"' in page
    assert client.get("/support").headers["Location"] == "/help"


def test_the_help_center_shows_telefonseelsorge_and_the_emergency_number(client, send_form):
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert "TelefonSeelsorge" in page and "0800 111 0 111" in page and "tel:112" in page


def test_disabled_plugin_is_gone_and_core_still_shows_the_emergency_number(app, client, admin_client):
    plugin_state.set_enabled("helpcenter", False)

    assert [r.kind for r in resources()] == ["emergency"]
    support = client.get("/support?country=DE")
    assert support.status_code == 200  # core's page again, with the emergency number
    assert "tel:112" in support.get_data(as_text=True) and "TelefonSeelsorge" not in support.get_data(as_text=True)
    for url in ("/help", "/help/get-help", "/help/static/helpcenter.css"):
        assert client.get(url).status_code == 404, url
    assert client.post("/help", data={"path": "support"}).status_code in (400, 404)
    for url in ("/admin/helpcenter/", "/admin/helpcenter/stats"):
        assert admin_client.get(url).status_code == 404, url
    home = client.get("/").get_data(as_text=True)
    assert 'href="/help"' not in home and '<a href="/support">Get help</a>' in home
    assert "Help center" not in admin_client.get("/admin/").get_data(as_text=True)


def test_re_enabled_plugin_comes_back_with_its_data(app, client):
    plugin_state.set_enabled("helpcenter", False)
    plugin_state.set_enabled("helpcenter", True)
    assert client.get("/help").status_code == 200
    assert "TelefonSeelsorge" in [r.name for r in resources()]


def test_a_self_harm_concern_puts_helplines_for_it_first(app):
    from plugins.helpcenter.editing import apply_helpline
    from plugins.helpcenter.models import Helpline

    apply_helpline(Helpline(), {
        "name": "Aaa Elterntelefon", "country": "DE", "description": {}, "open_24_7": True, "hours": "",
        "free": True, "anonymous": True, "languages": ["de"], "topics": ["family"], "source_name": "",
        "source_url": None, "verified_on": None, "phones": [("+498001110550", "0800 111 0 550")], "sms": [],
    })
    db.session.commit()
    assert [r.name for r in resources() if r.kind == "helpline"] == ["TelefonSeelsorge", "Aaa Elterntelefon"]
    general = resources(reason="general")
    assert [r.name for r in general if r.kind == "helpline"] == ["Aaa Elterntelefon", "TelefonSeelsorge"]
