"""Disabled means gone (buttons, queues, blocks, hiding); re-enabled, everything is back intact."""
from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.plugins import state as plugin_state
from plugins.reporting.models import Case


def test_disabling_removes_everything_and_reenabling_restores_it(community, client_for, make_post):
    make_post(community.group, community.carol, "sunflowers everywhere")
    alice, moderator = client_for(community.alice), client_for(community.moderator)
    alice.post(f"/report/post/{community.post.id}", data={"category": "harassment"})
    alice.post(f"/report/comment/{community.comment.id}", data={"category": "spam"})
    post_case = db.session.scalar(select(Case).where(Case.content_type == "post"))
    moderator.post(f"/moderation/cases/{post_case.id}/decide", data={"actions": ["hide"], "explanation": "Rude"})
    alice.post("/blocks", data={"user_id": community.carol.id})
    post_url = f"/g/garden/p/{community.post.id}"
    assert "/report/" in alice.get(post_url).text
    assert "tomatoes" not in alice.get(post_url).text
    assert "sunflowers" not in alice.get("/g/garden").text
    assert "/moderation/g/garden" in moderator.get("/g/garden").text

    plugin_state.set_enabled("reporting", False)

    page = alice.get(post_url).text
    assert "/report/" not in page and "/blocks/confirm/" not in page
    assert "tomatoes" in page, "a hidden item shows again"
    assert "sunflowers" in alice.get("/g/garden").text, "blocks no longer filter"
    assert alice.get("/u/carol").status_code == 200
    assert "/report/" not in alice.get("/u/bob").text
    assert "/moderation/g/garden" not in moderator.get("/g/garden").text
    for path in ("/moderation/", "/moderation/g/garden", f"/moderation/cases/{post_case.id}", "/blocks",
                 f"/report/post/{community.post.id}", "/reports", "/care"):
        assert alice.get(path).status_code == 404, path
        assert moderator.get(path).status_code == 404, path
    assert alice.post(f"/report/post/{community.post.id}", data={"category": "spam"}).status_code == 404
    assert alice.get("/api/v1/reports").status_code == 404
    assert moderator.get("/api/v1/moderation/queue?group=garden").status_code == 404

    plugin_state.set_enabled("reporting", True)

    assert "/report/" in alice.get(post_url).text
    assert "tomatoes" not in alice.get(post_url).text
    assert "sunflowers" not in alice.get("/g/garden").text
    assert "Carol Member" in alice.get("/blocks").text
    queue = moderator.get("/moderation/g/garden")
    assert queue.status_code == 200 and "Carol Member" in queue.text
    assert "Bob Author" in moderator.get("/moderation/g/garden?state=resolved").text
