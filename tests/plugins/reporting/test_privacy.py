"""The reporter's identity never reaches the reported person; export and erasure of reporting data."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from core.extensions import db
from core.models import ApiToken, Notification
from plugins.reporting.models import Appeal, Block, Case, Decision, Report

REPORTER_MARKS = ("alice", "Alice Reporter", "alice.reporter@example.org")


def assert_no_reporter(text: str, where: str) -> None:
    lowered = text.lower()
    for mark in REPORTER_MARKS:
        assert mark.lower() not in lowered, f"reporter identity ({mark!r}) leaked in {where}"


def test_reporter_identity_reaches_no_page_email_or_api_response_of_the_reported_person(
        community, client_for, app, outbox):
    alice, bob = client_for(community.alice), client_for(community.bob)
    # Alice reports Bob's post (her note names herself) and his profile; she also blocks him.
    alice.post(f"/report/post/{community.post.id}", data={"category": "self_harm",
                                                          "note": "It's Alice, his friend, I'm worried"})
    alice.post(f"/report/profile/{community.bob.id}", data={"category": "impersonation", "note": "Alice here"})
    post_case = db.session.scalar(select(Case).where(Case.content_type == "post"))
    moderator = client_for(community.moderator)
    moderator.post(f"/moderation/cases/{post_case.id}/notes", data={"text": "Alice reported; follow up with her"})
    moderator.post(f"/moderation/cases/{post_case.id}/decide", data={
        "actions": ["hide", "warn", "support"], "rule": "Be kind", "explanation": "We hid this post for now"})
    decision = db.session.scalar(select(Decision))
    bob.post(f"/decisions/{decision.id}/appeal", data={"text": "Please reconsider"})
    appeal = db.session.scalar(select(Appeal))
    client_for(community.moderator2).post(f"/moderation/appeals/{appeal.id}",
                                          data={"outcome": "upheld", "response": "It stays hidden"})

    seen: list[tuple[str, str]] = []

    def visit(path: str) -> None:
        response = bob.get(path)
        seen.append((path, response.get_data(as_text=True)))

    visit("/notifications")
    notes = list(db.session.scalars(select(Notification).where(Notification.user_id == community.bob.id)))
    assert {n.kind for n in notes} >= {"reporting_decision", "reporting_support", "reporting_appeal_decided"}
    for note in notes:
        assert note.actor_id is None
        seen.append((f"notification {note.kind} data", json.dumps(note.data)))
        if note.url:
            visit(note.url)
    for path in (f"/decisions/{decision.id}", "/care", f"/g/garden/p/{community.post.id}", "/g/garden", "/u/bob",
                 "/reports", "/blocks", "/settings/data/export", "/moderation/", "/moderation/g/garden",
                 f"/moderation/cases/{post_case.id}", f"/moderation/appeals/{appeal.id}"):
        visit(path)
    _token, secret = ApiToken.issue(community.bob, "privacy")
    db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    for path in ("/api/v1/notifications", "/api/v1/decisions", f"/api/v1/decisions/{decision.id}",
                 "/api/v1/reports", "/api/v1/blocks", "/api/v1/me", "/api/v1/me/export",
                 "/api/v1/moderation/queue?group=garden", f"/api/v1/moderation/cases/{post_case.id}"):
        response = api.get(path)
        seen.append((path, response.get_data(as_text=True)))
    for mail in outbox():
        if mail.to_addr == community.bob.email:
            seen.append((f"email {mail.subject}", f"{mail.subject}\n{mail.body_text}\n{mail.body_html or ''}"))

    assert any("We hid this post for now" in text for _where, text in seen), "the decision did reach Bob"
    assert any(where.startswith("email") for where, _text in seen), "Bob was emailed"
    for where, text in seen:
        assert_no_reporter(text, where)
    # ...while the moderators do see who reported.
    assert "Alice Reporter" in moderator.get(f"/moderation/cases/{post_case.id}").text


def test_a_reported_moderator_cannot_see_their_case_or_its_reporters(community, client_for, make_post):
    staff_post = make_post(community.group, community.moderator, "staff words")
    client_for(community.alice).post(f"/report/post/{staff_post.id}", data={"category": "hate"})
    case = db.session.scalar(select(Case))
    client_for(community.moderator2).post(f"/moderation/cases/{case.id}/decide",
                                          data={"actions": ["warn"], "explanation": "Careful"})
    reported = client_for(community.moderator)
    for path in ("/moderation/g/garden", "/moderation/g/garden?state=all", "/moderation/g/garden/audit",
                 "/moderation/g/garden/appeals", "/moderation/"):
        response = reported.get(path)
        assert response.status_code == 200
        assert_no_reporter(response.text, path)
    assert reported.get(f"/moderation/cases/{case.id}").status_code == 404


def test_export_contains_my_reports_blocks_and_decisions_about_me(community, client_for, app):
    from core.privacy import export_user_data

    client_for(community.alice).post(f"/report/post/{community.post.id}", data={"category": "spam"})
    client_for(community.alice).post("/blocks", data={"user_id": community.carol.id})
    case = db.session.scalar(select(Case))
    client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide",
                                         data={"actions": ["warn"], "explanation": "No ads"})
    with app.test_request_context():
        alice_data = export_user_data(community.alice)["plugins"]["reporting"]
        bob_data = export_user_data(community.bob)["plugins"]["reporting"]
    assert alice_data["reports"][0]["category"] == "spam" and alice_data["reports"][0]["outcome"] == "action"
    assert alice_data["blocks"][0]["username"] == "carol"
    assert bob_data["decisions_about_me"][0]["actions"] == ["warn"]
    assert_no_reporter(json.dumps(bob_data), "Bob's export")


def test_erasing_an_account_removes_its_reports_blocks_and_the_copy_of_its_words(community, client_for, app):
    from core.privacy import erase_user

    client_for(community.alice).post(f"/report/post/{community.post.id}", data={"category": "spam"})
    client_for(community.carol).post(f"/report/post/{community.post.id}", data={"category": "hate"})
    client_for(community.alice).post("/blocks", data={"user_id": community.carol.id})
    client_for(community.bob).post("/blocks", data={"user_id": community.alice.id})
    with app.test_request_context():
        erase_user(db.session.merge(community.alice))
        db.session.commit()
    assert db.session.scalar(select(func.count(Report.id))) == 1
    assert db.session.scalar(select(func.count(Block.id))) == 0
    with app.test_request_context():
        erase_user(db.session.merge(community.bob))
        db.session.commit()
    db.session.expire_all()
    case = db.session.scalar(select(Case))
    assert case is not None and case.snapshot == case.snapshot_html == "" and case.author_id is None
    assert all(r.snapshot == r.snapshot_html == "" for r in db.session.scalars(select(Report)))
