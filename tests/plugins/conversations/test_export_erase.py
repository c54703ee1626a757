"""Export carries one's own messages and others' names; erasure leaves "deleted account" behind."""
from __future__ import annotations


def _start(client_for, sender, to, body):
    return client_for(sender).post("/api/v1/conversations", json={"recipients": [to], "body": body}).json["id"]


def test_export_has_my_messages_and_only_the_names_of_others(people, client_for, export_data):
    cid = _start(client_for, people.alice, "bob", "my words")
    client_for(people.bob).post(f"/api/v1/conversations/{cid}/messages", json={"body": "bob's words"})
    exported = export_data(people.alice)["plugins"]["conversations"]
    (conversation,) = exported["conversations"]
    assert conversation["with"] == ["Bob B"]
    assert [m["text"] for m in conversation["messages"]] == ["my words"]
    assert "bob's words" not in str(exported)


def test_erasure_removes_my_messages_and_others_see_a_deleted_account(people, client_for, erase_account):
    cid = _start(client_for, people.alice, "bob", "alice was here")
    erase_account(people.alice)
    page = client_for(people.bob).get(f"/messages/{cid}").get_data(as_text=True)
    assert "alice was here" not in page
    assert "Deleted account" in page
