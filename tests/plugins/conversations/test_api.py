"""The JSON API: conversations, messages, requests and the team inbox, with the page rules."""
from __future__ import annotations


def test_start_read_and_answer_through_the_api(people, client_for):
    alice, bob = client_for(people.alice), client_for(people.bob)
    created = alice.post("/api/v1/conversations", json={"recipients": ["bob"], "body": "hi *Bob*"})
    assert created.status_code == 201, created.json
    cid = created.json["id"]
    listed = bob.get("/api/v1/conversations").json["items"]
    assert [c["id"] for c in listed] == [cid] and listed[0]["unread"] is True
    assert bob.post(f"/api/v1/conversations/{cid}/messages", json={"body": "hello"}).status_code == 201
    detail = alice.get(f"/api/v1/conversations/{cid}").json
    assert [m["author"] for m in detail["messages"]] == ["Alice A", "Bob B"]


def test_a_strangers_conversation_is_a_request_until_accepted(people, client_for):
    cid = client_for(people.stranger).post("/api/v1/conversations", json={"recipients": ["alice"],
                                                                           "body": "[x](https://x.example)"}).json["id"]
    alice = client_for(people.alice)
    assert alice.get("/api/v1/conversations").json["items"] == []
    request = alice.get(f"/api/v1/conversations/{cid}").json
    assert request["state"] == "request" and "https://x.example" not in request["messages"][0]["body_html"]
    assert alice.post(f"/api/v1/conversations/{cid}/accept").json["state"] == "active"


def test_api_refusals_name_the_field(people, client_for):
    alice = client_for(people.alice)
    response = alice.post("/api/v1/conversations", json={"recipients": ["alice"], "body": "me"})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["recipients"] == ["You cannot send a message to yourself."]
    empty = alice.post("/api/v1/conversations", json={"recipients": ["bob"], "body": ""})
    assert empty.status_code == 422 and "body" in empty.json["errors"]["json"]


def test_a_conversation_you_are_not_in_is_404_by_api(people, client_for):
    cid = client_for(people.alice).post("/api/v1/conversations", json={"recipients": ["bob"], "body": "hi"}).json["id"]
    for outsider in (people.carol, people.moderator, people.admin):
        client = client_for(outsider)
        assert client.get(f"/api/v1/conversations/{cid}").status_code == 404
        assert client.post(f"/api/v1/conversations/{cid}/messages", json={"body": "x"}).status_code == 404


def test_team_inbox_through_the_api(people, client_for):
    cid = client_for(people.alice).post("/api/v1/groups/garden/team", json={"body": "help"}).json["id"]
    mod = client_for(people.moderator)
    assert [c["id"] for c in mod.get("/api/v1/groups/garden/team-inbox").json["items"]] == [cid]
    assert mod.post(f"/api/v1/groups/garden/team-inbox/{cid}/messages",
                    json={"body": "note", "internal": True}).status_code == 201
    assert "note" not in str(client_for(people.alice).get(f"/api/v1/conversations/{cid}").json)
    other = client_for(people.other_moderator)
    assert other.get("/api/v1/groups/garden/team-inbox").status_code == 404
    assert other.get(f"/api/v1/groups/garden/team-inbox/{cid}").status_code == 404


def test_the_openapi_document_lists_the_conversation_paths(people, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/conversations", "/api/v1/conversations/{conversation_id}",
                 "/api/v1/conversations/{conversation_id}/messages", "/api/v1/groups/{slug}/team-inbox",
                 "/api/v1/conversations/counts"):
        assert path in paths


def test_the_header_counts_through_the_api(people, client_for):
    client_for(people.alice).post("/api/v1/groups/garden/team", json={"body": "help"})
    client_for(people.stranger).post("/api/v1/conversations", json={"recipients": ["mod"], "body": "hi"})
    counts = client_for(people.moderator).get("/api/v1/conversations/counts")
    assert counts.status_code == 200
    assert counts.json == {"unread": 0, "requests": 1, "team_open": 1, "capped_at": 100}
    assert client_for(people.bob).get("/api/v1/conversations/counts").json["team_open"] == 0


def test_the_counts_need_a_login(people, client):
    assert client.get("/api/v1/conversations/counts").status_code == 401
