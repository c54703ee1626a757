"""Owners change a hub's and a topic's names on their pages; reverting from an old history is refused."""
from __future__ import annotations

import pytest

from core.extensions import db


@pytest.fixture
def owner(app, login, make_editor):
    return login(app.test_client(), make_editor("keeper", role="owner"))


def test_an_owner_renames_a_hub_and_its_address_stays(owner, client, hub):
    form = owner.get("/resources/wellbeing/settings").get_data(as_text=True)
    assert 'value="Wellbeing"' in form
    response = owner.post("/resources/wellbeing/settings", data={"title_en": "Feeling well", "title_de": "Wohl",
                                                                 "intro_en": "Help."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/resources/wellbeing/")
    assert "<h1>Feeling well</h1>" in client.get("/resources/wellbeing/").get_data(as_text=True)


def test_a_hub_without_an_english_name_is_refused_at_the_field(owner, hub):
    response = owner.post("/resources/wellbeing/settings", data={"title_en": "", "title_de": "Nur Deutsch"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="title_en-error"' in page and 'value="Nur Deutsch"' in page


def test_editors_who_do_not_own_a_hub_get_404_for_its_settings_and_topics(app, login, hub, writer):
    editor = login(app.test_client(), writer)
    assert editor.get("/resources/wellbeing/settings").status_code == 404
    assert editor.get("/resources/wellbeing/t/grief/edit").status_code == 404


def test_an_owner_edits_a_topic_and_chooses_its_helplines(owner, hub):
    from plugins.resources.models import Topic

    assert owner.get("/resources/wellbeing/t/grief/edit").status_code == 200
    response = owner.post("/resources/wellbeing/t/grief/edit", data={"title_en": "Grief", "helpline_topic": "suicide"})
    assert response.status_code == 302
    topic = db.session.scalar(db.select(Topic).where(Topic.slug == "grief"))
    db.session.refresh(topic)
    assert topic.name["en"] == "Grief" and topic.helpline_topic == "suicide"


def test_an_unknown_helpline_topic_is_refused_at_the_field(owner, hub):
    response = owner.post("/resources/wellbeing/new-topic", data={"title_en": "Odd", "helpline_topic": "astrology"})
    assert response.status_code == 400 and 'id="helpline_topic-error"' in response.get_data(as_text=True)


def test_a_revert_from_an_outdated_history_page_saves_nothing(app, login, hub, make_resource, writer, reviewer):
    from plugins.resources.editing import save_text, text_for
    from plugins.resources.models import Revision

    resource = make_resource(title="First words")
    first = db.session.scalar(db.select(Revision.id))
    text = text_for(resource, "en")
    save_text(text, {"title": "Second words", "version": text.version}, writer.id)
    db.session.commit()
    response = login(app.test_client(), reviewer).post(f"/resources/wellbeing/revisions/{first}/revert",
                                                       data={"version": "1"}, follow_redirects=True)
    assert "nothing was reverted" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Revision.id))) == 2


def test_a_revert_from_the_current_history_page_makes_a_draft(app, login, hub, make_resource, reviewer):
    from plugins.resources.models import Revision

    make_resource(title="First words")
    first = db.session.scalar(db.select(Revision.id))
    response = login(app.test_client(), reviewer).post(f"/resources/wellbeing/revisions/{first}/revert",
                                                       data={"version": "1"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Revision.id))) == 2
