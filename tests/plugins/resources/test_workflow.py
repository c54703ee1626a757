"""The editorial workflow: drafts, review by another editor, revisions with diffs, revert, conflicts."""
from __future__ import annotations

import re

from core.extensions import db


def latest_revision(resource, locale="en"):
    from plugins.resources.models import ResourceText, Revision

    text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource.id,
                                                           ResourceText.locale == locale))
    db.session.refresh(text)
    return db.session.get(Revision, text.latest_revision_id)


def form(**fields):
    base = {"title": "Coping with grief", "summary": "", "body": "Talk to someone.", "audience": "", "note": "",
            "version": "1"}
    base.update(fields)
    return base


def test_an_editor_creates_a_draft_that_readers_do_not_see(app, login, client, hub, topic, writer):
    response = login(app.test_client(), writer).post("/resources/wellbeing/new", data={
        "title": "New guide", "body": "Some text", "topic_id": str(topic.id), "kind": "guide", "language": "en"})
    assert response.status_code == 302
    assert "New guide" not in client.get("/resources/wellbeing/").get_data(as_text=True)


def test_another_editor_publishes_the_draft(app, login, client, hub, make_resource, reviewer):
    resource = make_resource(published=False)
    draft = latest_revision(resource)
    response = login(app.test_client(), reviewer).post(f"/resources/wellbeing/revisions/{draft.id}/publish",
                                                        data={"note": "Checked"})
    assert response.status_code == 302
    assert client.get(f"/resources/wellbeing/r/{resource.id}").status_code == 200
    db.session.refresh(draft)
    assert draft.status == "published" and draft.reviewer_id == reviewer.id and "Checked" in draft.note


def test_an_editor_cannot_publish_their_own_draft(app, login, client, hub, make_resource, writer):
    resource = make_resource(published=False)
    draft = latest_revision(resource)
    response = login(app.test_client(), writer).post(f"/resources/wellbeing/revisions/{draft.id}/publish")
    assert response.status_code == 403
    db.session.refresh(draft)
    assert draft.status == "draft"
    assert client.get(f"/resources/wellbeing/r/{resource.id}").status_code == 404


def test_a_member_who_is_not_an_editor_cannot_publish_or_edit(member_client, hub, make_resource):
    resource = make_resource(published=False)
    draft = latest_revision(resource)
    assert member_client.post(f"/resources/wellbeing/revisions/{draft.id}/publish").status_code == 404
    assert member_client.get(f"/resources/wellbeing/r/{resource.id}/edit/en").status_code == 404
    assert member_client.get("/resources/wellbeing/new").status_code == 404


def test_every_save_is_a_revision_with_author_and_readable_diff(app, login, hub, make_resource, writer, reviewer):
    resource = make_resource(body="Line one\nLine two")
    client = login(app.test_client(), reviewer)
    client.post(f"/resources/wellbeing/r/{resource.id}/edit/en", data={
        **form(body="Line one\nLine 2 changed", note="Clearer wording", version="1"),
        "topic_id": str(resource.topic_id), "kind": "article"})
    revision = latest_revision(resource)
    assert revision.number == 2 and revision.author_id == reviewer.id and revision.note == "Clearer wording"
    page = client.get(f"/resources/wellbeing/r/{resource.id}/history/en").get_data(as_text=True)
    assert "<ins>+ Line 2 changed</ins>" in page and "<del>− Line two</del>" in page
    assert "Clearer wording" in page and "Writer" in page


def test_revert_makes_a_draft_with_the_old_text(app, login, hub, make_resource, writer, reviewer):
    from plugins.resources.editing import publish, save_text, text_for

    resource = make_resource(body="Original words")
    first = latest_revision(resource)
    text = text_for(resource, "en")
    second = save_text(text, {"title": "Changed", "body": "Changed words", "version": text.version}, reviewer.id)
    publish(second, writer.id)
    db.session.commit()
    login(app.test_client(), writer).post(f"/resources/wellbeing/revisions/{first.id}/revert")
    reverted = latest_revision(resource)
    assert reverted.body == "Original words" and reverted.status == "draft" and reverted.author_id == writer.id
    assert "Reverted to revision 1" in reverted.note


def test_second_of_two_concurrent_saves_is_told_and_keeps_their_text(app, login, hub, make_resource, writer,
                                                                     reviewer):
    resource = make_resource(body="Start")
    base = {"topic_id": str(resource.topic_id), "kind": "article"}
    first = login(app.test_client(), writer).post(f"/resources/wellbeing/r/{resource.id}/edit/en",
                                                  data={**form(body="Writer's words", version="1"), **base})
    assert first.status_code == 302
    second = login(app.test_client(), reviewer).post(f"/resources/wellbeing/r/{resource.id}/edit/en",
                                                     data={**form(body="Reviewer's own words", version="1"), **base})
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Revision conflict" in page and "Reviewer&#39;s own words" in page  # their text, unsaved, re-shown
    assert "Writer&#39;s words" in page  # and what was saved meanwhile
    assert latest_revision(resource).body == "Writer's words"
    assert re.search(r'name="version" value="2"', page)


def test_owners_grant_the_editor_role(app, login, admin_client, hub, make_user, make_resource):
    newcomer = make_user("newcomer")
    assert admin_client.post("/resources/wellbeing/editors", data={"username": "newcomer"}).status_code == 302
    assert login(app.test_client(), newcomer).get("/resources/wellbeing/new").status_code == 200


def test_editors_cannot_grant_roles(app, login, hub, writer):
    assert login(app.test_client(), writer).get("/resources/wellbeing/editors").status_code == 404


def test_editors_see_missing_and_out_of_date_translations(app, login, hub, make_resource, translate, writer,
                                                         reviewer):
    from plugins.resources.editing import publish, save_text, text_for

    resource = make_resource()
    translate(resource, "de", title="Deutsch")
    client = login(app.test_client(), writer)
    assert "up to date" in client.get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    text = text_for(resource, "en")
    publish(save_text(text, {"title": "New original", "body": "x", "version": text.version}, writer.id), reviewer.id)
    db.session.commit()
    assert "out of date with the original" in client.get(f"/resources/wellbeing/r/{resource.id}").get_data(
        as_text=True)


def test_missing_translation_is_listed_for_editors(app, login, hub, make_resource, writer):
    resource = make_resource()
    page = login(app.test_client(), writer).get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "DE:" in page and "missing" in page


def test_changed_facts_wait_for_review_like_the_words(app, login, hub, make_resource, writer, reviewer):
    """A new external link is a revision too: readers keep the old one until another editor publishes."""
    resource = make_resource(link="https://old.example.org/")
    client = login(app.test_client(), writer)
    client.post(f"/resources/wellbeing/r/{resource.id}/edit/en", data={
        **form(version="1"), "topic_id": str(resource.topic_id), "kind": "article",
        "link": "https://new.example.org/"})
    db.session.refresh(resource)
    assert resource.link == "https://old.example.org/"
    draft = latest_revision(resource)
    history = login(app.test_client(), reviewer).get(f"/resources/wellbeing/r/{resource.id}/history/en")
    assert "<ins>+ https://new.example.org/</ins>" in history.get_data(as_text=True)
    login(app.test_client(), reviewer).post(f"/resources/wellbeing/revisions/{draft.id}/publish")
    db.session.refresh(resource)
    assert resource.link == "https://new.example.org/"
