"""Faces beside names: the inbox and a conversation show the other people's avatars, at no extra query."""
from __future__ import annotations

import re

from core.extensions import db

PICTURE = "avatars/" + "c" * 64 + ".jpg"


def _entries(html: str) -> list[str]:
    return re.findall(r'<li class="card conversation-entry.*?</li>', html, re.S)


def test_the_inbox_shows_the_other_persons_picture(people, send, client_for):
    people.alice.avatar_key = PICTURE
    db.session.commit()
    send(people.alice, "bob", "Hello Bob")
    (entry,) = _entries(client_for(people.bob).get("/messages/").get_data(as_text=True))
    assert f'src="/files/{PICTURE}"' in entry
    assert "Alice A" in entry


def test_someone_without_a_picture_shows_as_initials_and_a_group_chat_shows_up_to_three(people, send, client_for):
    send(people.alice, "bob, carol", "Hello both", subject="Seeds")
    (entry,) = _entries(client_for(people.bob).get("/messages/").get_data(as_text=True))
    faces = re.search(r'<span class="conversation-faces several">(.*?)</span>', entry, re.S).group(1)
    assert re.findall(r">([A-Z?]{1,2})</text>", faces) == ["AA", "CC"]  # Alice A and Carol C, not Bob himself


def test_a_team_conversation_shows_the_groups_initials(people, client_for):
    alice = client_for(people.alice)
    alice.post("/api/v1/groups/garden/team", json={"body": "A question for the team"})
    html = alice.get("/messages/").get_data(as_text=True)
    (entry,) = _entries(html)
    assert "Team of" in entry and re.search(r'<svg class="avatar"', entry)


def test_the_conversation_heading_shows_the_other_persons_face(people, send, client_for):
    people.alice.avatar_key = PICTURE
    db.session.commit()
    response = send(people.alice, "bob", "Hello Bob")
    html = client_for(people.bob).get(response.headers["Location"]).get_data(as_text=True)
    heading = re.search(r'<h1 class="conversation-heading">.*?</h1>', html, re.S).group(0)
    assert f'src="/files/{PICTURE}"' in heading and "Alice A" in heading


def test_on_a_phone_the_menu_button_carries_the_count_of_what_waits_inside(people, send, client_for):
    """"Messages 1" sits behind the phone's closed menu: its button shows the count too."""
    send(people.alice, "bob", "Hello Bob")
    html = client_for(people.bob).get("/").get_data(as_text=True)
    summary = re.search(r"<summary>.*?</summary>", html, re.S).group(0)
    assert re.search(r'<span class="badge menu-count" aria-label="1 new in the menu">1</span>', summary)
    assert "menu-count" not in client_for(people.carol).get("/").get_data(as_text=True)
