"""Helpline placeholders: live entries from the help center's directory, the emergency number without it."""
from __future__ import annotations

from core.extensions import db


def test_country_placeholder_shows_the_current_directory_entries(client, hub, make_resource):
    resource = make_resource(body="If you need someone:\n\n{{ helpline:DE }}")
    page = client.get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "TelefonSeelsorge" in page and "{{" not in page
    assert 'href="tel:+49800' in page


def test_a_directory_change_shows_without_editing_the_resource(client, hub, make_resource):
    from plugins.helpcenter.models import Helpline

    resource = make_resource(body="{{ helpline:DE }}")
    line = db.session.scalar(db.select(Helpline).where(Helpline.name == "TelefonSeelsorge"))
    line.name = "TelefonSeelsorge Deutschland"
    db.session.commit()
    assert "TelefonSeelsorge Deutschland" in client.get(f"/resources/wellbeing/r/{resource.id}").get_data(
        as_text=True)


def test_topic_placeholder_uses_the_topics_helpline_topic(client, hub, make_resource):
    resource = make_resource(body="{{ helpline:topic }}")
    page = client.get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "TelefonSeelsorge" in page


def test_with_the_help_center_off_the_placeholder_shows_the_emergency_number(app, client, hub, make_resource):
    from core.plugins import state

    resource = make_resource(body="{{ helpline:DE }}")
    state.set_enabled("helpcenter", False)
    page = client.get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "TelefonSeelsorge" not in page and "112" in page


def test_unknown_placeholders_are_listed():
    from plugins.resources.placeholders import unknown_placeholders

    assert unknown_placeholders("{{ helpline:DE }} {{ helpline:topic }} {{ helpline:ZZ }} {{ x }}") == [
        "helpline:ZZ", "x"]
