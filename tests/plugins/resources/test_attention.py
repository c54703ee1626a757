"""The editors' list per hub: resources past their review-by date, translations missing or out of date."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models.base import utcnow


@pytest.fixture
def editor(app, login, writer):
    return login(app.test_client(), writer)


def attention_rows(browser, path="/resources/wellbeing/attention") -> str:
    response = browser.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""


def republish_original(resource, writer, reviewer, title):
    from plugins.resources.editing import publish, save_text, text_for

    text = text_for(resource, "en")
    revision = save_text(text, {"title": title, "summary": "", "body": "New words.", "audience": "", "note": "",
                                "version": text.version}, writer.id)
    publish(revision, reviewer.id)
    db.session.commit()


def test_a_resource_past_its_review_date_is_listed_as_overdue(editor, make_resource, translate):
    overdue = make_resource(title="Old advice", review_by=utcnow().date() - timedelta(days=1))
    fresh = make_resource(title="Fresh advice", review_by=utcnow().date() + timedelta(days=30))
    translate(overdue, "de", title="Alter Rat")
    translate(fresh, "de", title="Frischer Rat")
    rows = attention_rows(editor)
    assert "Old advice" in rows and "overdue" in rows
    assert "Fresh advice" not in rows


def test_a_missing_translation_is_listed_per_locale(editor, make_resource, translate):
    make_resource(title="Only in English")
    translate(make_resource(title="In both"), "de", title="In beiden")
    rows = attention_rows(editor)
    assert "Only in English" in rows and "missing" in rows
    assert "In both" not in rows


def test_a_translation_older_than_the_original_is_out_of_date(editor, make_resource, translate, writer, reviewer):
    resource = make_resource(title="Changing advice")
    translate(resource, "de", title="Sich ändernder Rat")
    assert "Changing advice" not in attention_rows(editor)
    republish_original(resource, writer, reviewer, "Changed advice")
    rows = attention_rows(editor)
    assert "Changed advice" in rows and "out of date" in rows and "missing" not in rows
    translate(resource, "de", title="Geänderter Rat")  # translated from the new original
    assert "Changed advice" not in attention_rows(editor)


def test_a_waiting_draft_translation_is_pointed_out(editor, make_resource, translate):
    resource = make_resource(title="Draft only")
    translate(resource, "de", title="Entwurf", published=False)
    rows = attention_rows(editor)
    assert "missing" in rows and "draft waiting for review" in rows
    assert f"/r/{resource.id}/history/de" in rows


def test_unpublished_resources_are_not_due_yet(editor, make_resource):
    make_resource(title="Not yet published", published=False, review_by=utcnow().date() - timedelta(days=3))
    assert "Not yet published" not in attention_rows(editor)


def test_a_hub_with_nothing_to_do_says_so(editor, hub):
    page = editor.get("/resources/wellbeing/attention").get_data(as_text=True)
    assert "Nothing needs attention" in page


def test_the_list_comes_in_pages(app, editor, make_resource, monkeypatch):
    from plugins.resources import attention

    monkeypatch.setattr(attention, "PAGE_SIZE", 2)
    made = [make_resource(title=f"Untranslated {i}") for i in range(3)]
    first = editor.get("/resources/wellbeing/attention").get_data(as_text=True)
    assert "Untranslated 0" in first and "Untranslated 1" in first and "Untranslated 2" not in first
    assert f"after={made[1].id}" in first
    second = editor.get(f"/resources/wellbeing/attention?after={made[1].id}").get_data(as_text=True)
    assert "Untranslated 2" in second and "Untranslated 0" not in second and 'rel="next"' not in second


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_only_editors_see_the_list(app, client, login, make_user, hub, who):
    browser = client if who == "visitor" else login(app.test_client(), make_user("reader"))
    response = browser.get("/resources/wellbeing/attention")
    assert response.status_code in ((302,) if who == "visitor" else (404,))


def test_the_list_has_a_constant_query_count(editor, make_resource, translate, writer, reviewer, count_queries):
    def counted() -> int:
        editor.get("/resources/wellbeing/attention")
        with count_queries() as statements:
            editor.get("/resources/wellbeing/attention")
        return len(statements)

    make_resource(title="One", review_by=utcnow().date() - timedelta(days=1))
    few = counted()
    for i in range(10):
        resource = make_resource(title=f"More {i}", review_by=utcnow().date() - timedelta(days=1))
        translate(resource, "de", title=f"Mehr {i}")
        republish_original(resource, writer, reviewer, f"More {i} again")
    assert counted() == few <= 5
