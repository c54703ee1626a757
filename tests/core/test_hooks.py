"""Every hook, exercised through the core code that calls it (one ``test_hook_<name>`` each),
and the meta-tests that keep the contract, its docs and these tests in step."""
from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from core.extensions import db
from core.models import Comment, Membership, Notification, User
from core.plugin_api import touch_site
from core.plugins import get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import specs as hookspecs
from core.plugins import state as plugin_state
from tests.plugins.fixtures import listslots, recorder

ROOT = Path(__file__).resolve().parents[2]
RECORDER = "tests.plugins.fixtures.recorder"
LISTSLOTS = "tests.plugins.fixtures.listslots"


def hookspec_names() -> list[str]:
    marker = f"{hookspecs.PROJECT}_spec"
    return sorted(name for name, obj in vars(hookspecs).items() if callable(obj) and hasattr(obj, marker))


@pytest.fixture
def app_plugins():
    return [RECORDER]


@pytest.fixture(autouse=True)
def fresh_recorder():
    recorder.reset()
    yield
    recorder.reset()


@pytest.fixture
def enabled(app):
    plugin_state.set_enabled("recorder", True)
    recorder.reset()


@pytest.fixture
def scene(app, make_user, make_group, make_post, make_comment, member):
    author = make_user("author")
    group = make_group(slug="allotment", name="Allotment", owner=author, members=(member,))
    post = make_post(group, author, "Beans are up")
    comment = make_comment(post, author, "First comment by author")
    return {"author": author, "group": group, "post": post, "comment": comment}


def main_of(html: str) -> str:
    return html[html.find("<main"):html.find("</main>")]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# --- meta-tests -------------------------------------------------------------------------------


def test_every_hookspec_has_a_test_here():
    missing = [name for name in hookspec_names() if not hasattr(sys.modules[__name__], f"test_hook_{name}")]
    assert missing == []


def test_every_hookspec_has_a_section_with_its_signature_in_docs_hooks_md():
    text = (ROOT / "docs" / "hooks.md").read_text()
    headings = set(re.findall(r"^### `(\w+)\(", text, re.M))
    missing = [name for name in hookspec_names() if name not in headings]
    assert missing == []
    for name in hookspec_names():
        args = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"### `{name}({args})`" in text, name


def test_every_hookspec_has_a_docstring_with_arguments_return_and_example():
    for name in hookspec_names():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert "Called" in doc and "Example::" in doc and "Return" in doc, name


def test_every_slot_is_documented():
    text = (ROOT / "docs" / "hooks.md").read_text()
    for slot in hookspecs.SLOTS:
        assert f"`{slot}`" in text, slot


# --- setup ------------------------------------------------------------------------------------


@pytest.mark.fresh_app  # counts the calls made while the app is built
def test_hook_register_blueprints(app, client):
    assert [c["app"] for c in recorder.calls("register_blueprints")] == [app]  # once, while the app is built
    assert get_plugins().installed["recorder"].blueprints == ["recorder"]
    assert client.get("/recorder/ping").status_code == 404  # registered, but gated while disabled
    plugin_state.set_enabled("recorder", True)
    assert client.get("/recorder/ping").get_data(as_text=True) == "pong"


def test_hook_register_commands(app):
    result = app.test_cli_runner().invoke(args=["recorder-hello"])
    assert result.exit_code == 0 and "hello from the recorder plugin" in result.output


@pytest.mark.fresh_app  # counts the calls made while the app is built
def test_hook_register_jobs(app, job_queue):
    from core.jobs import enqueue

    assert [c["app"] for c in recorder.calls("register_jobs")] == [app]  # once, while the app is built
    enqueue("recorder.note", "hello")
    assert job_queue.run() == ["recorder.note"]
    assert recorder.calls("job recorder.note") == []  # the plugin is disabled: its jobs don't run
    plugin_state.set_enabled("recorder", True)
    enqueue("recorder.note", "hello")
    job_queue.run()
    assert recorder.calls("job recorder.note") == [{"word": "hello"}]


def test_hook_stored_files(app, make_app):
    """Asked by the clean-up of orphaned files, on installed plugins even when disabled: a file a
    plugin's column names is kept; when the plugin cannot answer, nothing is deleted."""
    import io
    from datetime import timedelta

    from core.models.base import utcnow
    from core.storage import get_backend, store_image
    from core.storage.orphans import sweep
    from tests.plugins.fixtures import filekeeper

    other = make_app(plugins=["tests.plugins.fixtures.filekeeper"])
    with other.app_context(), other.test_request_context():
        filekeeper.create_tables()
        try:
            kept, orphan = (store_image(io.BytesIO(_tiny_png())) for _ in range(2))
            db.session.add(filekeeper.Photo(file_key=kept.key))
            db.session.commit()
            assert not get_plugins(other).is_enabled("filekeeper")
            filekeeper.FAIL["on"] = True
            with pytest.raises(Exception, match="filekeeper"):
                sweep(now=utcnow() + timedelta(days=2))
            assert sorted(get_backend().keys()) == sorted([kept.key, orphan.key])
            filekeeper.FAIL["on"] = False
            assert sweep(now=utcnow() + timedelta(days=2)).deleted == 1
            assert get_backend().keys() == [kept.key]
        finally:
            filekeeper.FAIL["on"] = False
            db.session.rollback()
            filekeeper.drop_tables()
            db.session.remove()


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_hook_settings_schema(app, admin_client):
    assert plugin_settings.get_settings("recorder") == {"greeting": "hi"}
    html = html_of(admin_client, "/admin/plugins/recorder")
    assert 'name="greeting"' in html and 'value="hi"' in html
    admin_client.post("/admin/plugins/recorder/settings", data={"greeting": "hello"})
    assert plugin_settings.get_settings("recorder") == {"greeting": "hello"}


@pytest.mark.plugins("tests.plugins.fixtures.grouptab")
def test_hook_group_settings_schema(app, make_group, login, make_user):
    owner = make_user("owner")
    group = make_group(owner=owner, slug="allotment")
    plugin_state.set_enabled("grouptab", True)
    assert plugin_settings.get_group_settings("grouptab", group) == {"notes_shown": 5, "heading": "Pinned"}
    client = login(app.test_client(), owner)
    assert 'name="notes_shown"' in html_of(client, "/g/allotment/plugins/grouptab/settings")
    client.post("/g/allotment/plugins/grouptab/settings", data={"notes_shown": "7", "heading": "Beds"})
    assert plugin_settings.get_group_settings("grouptab", group) == {"notes_shown": 7, "heading": "Beds"}


def test_hook_user_blocked(app, make_user, enabled):
    from core.plugin_api import announce_user_blocked

    blocker, blocked = make_user("blocker"), make_user("blocked")
    with app.test_request_context("/"):
        announce_user_blocked(blocker, blocked)
    db.session.commit()
    assert recorder.calls("user_blocked") == [{"blocker": "blocker", "blocked": "blocked"}]


# --- registries -------------------------------------------------------------------------------


@pytest.mark.fresh_app  # counts the calls made while the app is built
def test_hook_register_notification_kinds(app, member, member_client):
    from core.notify import notify

    assert len(recorder.calls("register_notification_kinds")) == 1  # once, while the app is built
    plugin_state.set_enabled("recorder", True)
    notify(member, "recorder_ping", url="/recorder/ping", data={"n": 7})
    db.session.commit()
    assert '<a href="/recorder/ping">Ping number 7.</a>' in html_of(member_client, "/notifications/")
    plugin_state.set_enabled("recorder", False)
    assert "Ping number 7." not in html_of(member_client, "/notifications/")


@pytest.mark.fresh_app  # counts the calls made while the app is built
def test_hook_register_email_kinds(app, member_client):
    assert len(recorder.calls("register_email_kinds")) == 1
    assert "Pings from the recorder" not in html_of(member_client, "/notifications/settings")
    plugin_state.set_enabled("recorder", True)
    assert "Pings from the recorder" in html_of(member_client, "/notifications/settings")


# --- UI ---------------------------------------------------------------------------------------


def test_hook_nav_items(app, client, member_client, member, enabled):
    assert '<a href="/recorder/ping">Recorder link</a>' in html_of(client, "/")
    assert recorder.calls("nav_items")[-1]["authenticated"] is False
    html_of(member_client, "/")
    assert recorder.calls("nav_items")[-1]["user_id"] == member.id


def test_hook_group_tabs(app, member_client, member, scene, enabled):
    html = html_of(member_client, "/g/allotment")
    assert '<a href="/recorder/ping">Recorder tab</a>' in html
    assert recorder.calls("group_tabs")[-1] == {"group_id": scene["group"].id, "user_id": member.id}


@pytest.mark.plugins("tests.plugins.fixtures.loginbadge")
def test_hook_login_columns(app, member_client, member, make_group, make_post, count_queries):
    from tests.plugins.fixtures import loginbadge

    loginbadge.reset()
    plugin_state.set_enabled("loginbadge", True)
    make_post(make_group(slug="allotment", members=(member,)), member, "one")
    html_of(member_client, "/")
    with count_queries() as statements:
        assert ">Badge 1</a>" in html_of(member_client, "/")
    assert [s for s in statements if "count(posts.id)" in s] == [s for s in statements if "AS cg_u_id" in s]
    assert loginbadge.ASKED == [member.id]  # asked once per member and plugin state, read on every page
    loginbadge.reset()


def test_hook_template_slot(app, client, member_client, scene, enabled):
    html = html_of(client, "/")
    for name in ("head", "header", "page_top", "footer"):
        assert f"recorder in {name}" in html
    assert "recorder in post_actions" in html_of(member_client, f"/g/allotment/p/{scene['post'].id}")
    with app.test_request_context("/"):
        sidebar = get_plugins().runner.render_slot("sidebar")
        assert sidebar == Markup('<span class="recorder-slot">recorder in sidebar</span>')
        with pytest.raises(KeyError, match="no_such_slot"):
            get_plugins().runner.render_slot("no_such_slot")
    assert recorder.calls("template_slot")[-1]["context"] == {}


def card_of(html: str, kind: str, item_id: int) -> str:
    start = html.index(f'id="{kind}-{item_id}"')
    return html[start:html.find("</article>", start)]


@pytest.mark.plugins(RECORDER, LISTSLOTS)
def test_hook_template_slot_list(app, member_client, scene, enabled, make_post, make_comment):
    """One call per list and slot, each post and comment its own ids; a plugin filling the same slots
    with ``template_slot`` (the recorder) is still asked item by item, and both contributions show."""
    plugin_state.set_enabled("listslots", True)
    second = make_post(scene["group"], scene["author"], "Peas are up too")
    reply = make_comment(scene["post"], scene["author"], "Second comment by author")
    listslots.reset()
    feed = html_of(member_client, "/g/allotment")
    posts = [second.id, scene["post"].id]
    assert listslots.CALLS == [("post_actions", posts), ("post_footer", posts)]
    for post_id in posts:
        card = card_of(feed, "post", post_id)
        assert f"post_actions {post_id} of allotment" in card and f"post_footer {post_id} of allotment" in card
        assert card.count("listslots") == 2 and "recorder in post_actions" in card
    listslots.reset()
    page = html_of(member_client, f"/g/allotment/p/{scene['post'].id}")
    comments = [scene["comment"].id, reply.id]
    assert listslots.CALLS == [("post_actions", [scene["post"].id]), ("post_footer", [scene["post"].id]),
                               ("comment_actions", comments)]
    for comment_id in comments:
        assert f"comment_actions {comment_id} of allotment" in card_of(page, "comment", comment_id)


@pytest.mark.plugins(RECORDER, LISTSLOTS)
def test_a_failing_or_wrong_list_slot_is_dropped_and_the_others_still_show(app, scene, enabled):
    plugin_state.set_enabled("listslots", True)
    for switch in (listslots.FAIL, listslots.SHORT):
        listslots.reset()
        switch.append(True)
        with app.test_request_context("/"):
            found = get_plugins().runner.render_slot_list(
                "post_actions", [{"post": scene["post"], "group": scene["group"]}], group=scene["group"])
        assert found == [Markup('<span class="recorder-slot">recorder in post_actions</span>')]
    listslots.reset()


@pytest.mark.plugins(RECORDER, LISTSLOTS)
def test_a_list_slot_stops_and_starts_with_its_plugins_switch(app, scene, enabled):
    """Who fills a list slot is remembered per plugin state: switched off, a plugin is not asked on
    the next render; switched on again, it is."""
    items = [{"post": scene["post"], "group": scene["group"]}]

    def asked() -> list:
        listslots.reset()
        with app.test_request_context("/"):
            get_plugins().runner.render_slot_list("post_actions", items, group=scene["group"])
        return list(listslots.CALLS)

    plugin_state.set_enabled("listslots", True)
    assert asked() == [("post_actions", [scene["post"].id])]
    plugin_state.set_enabled("listslots", False)
    assert asked() == []
    plugin_state.set_enabled("listslots", True)
    assert asked() == [("post_actions", [scene["post"].id])]


def test_slot_member_actions_gives_each_member_and_the_whole_page(member_client, scene, enabled):
    """Rendered once per member, each call with the same page list, so a plugin can answer for all at once."""
    html = html_of(member_client, "/g/allotment/members")
    calls = [c["context"] for c in recorder.calls("template_slot") if c["name"] == "member_actions"]
    page = calls[0]["members"]
    assert len(page) >= 2
    assert [c["membership"].user_id for c in calls] == [m.user_id for m in page]
    assert all(c["members"] is page and c["group"].slug == "allotment" for c in calls)
    assert html.count("recorder in member_actions") == len(page)


def test_unknown_slot_renders_empty_in_production(make_app):
    production = make_app(TESTING=False)
    with production.test_request_context("/"):
        assert get_plugins().runner.render_slot("no_such_slot") == Markup("")


# --- content ----------------------------------------------------------------------------------


def test_hook_content_types(app, scene, make_user, make_group, make_post, enabled):
    types = {t.name: t for t in get_plugins().call_flat("content_types")}
    assert {"post", "comment", "profile", "recorder_note"} <= set(types)
    post, comment, author = scene["post"], scene["comment"], scene["author"]
    outsider = make_user("outsider")
    assert types["post"].load(post.id) is post and types["post"].load(999999) is None
    assert types["post"].author_id(post) == author.id and types["post"].group_id(post) == scene["group"].id
    assert types["post"].snapshot(post) == "Beans are up"
    assert types["comment"].load(comment.id) is comment and types["comment"].group_id(comment) == scene["group"].id
    assert types["profile"].load(author.id) is author and types["profile"].group_id(author) is None
    assert "author" in types["profile"].snapshot(author)
    secret = make_group(slug="secret", visibility="private")
    hidden_post = make_post(secret, secret_owner := db.session.get(User, secret.created_by_id), "Members only")
    assert types["post"].visible_to(post, outsider) is True
    assert types["post"].visible_to(hidden_post, outsider) is False
    assert types["post"].visible_to(hidden_post, secret_owner) is True
    with app.test_request_context("/"):
        assert types["post"].url(post) == f"/g/allotment/p/{post.id}"
        assert types["comment"].url(comment).endswith(f"#comment-{comment.id}")
        assert types["profile"].url(author) == "/u/author"


# --- policy -----------------------------------------------------------------------------------


def test_hook_can_interact(app, member_client, member, scene, enabled):
    recorder.DENIED.add(("member", "author"))
    url = f"/g/allotment/p/{scene['post'].id}/comments"
    assert member_client.post(url, data={"body": "Can I?"}).status_code == 403
    assert db.session.scalar(db.select(Comment).where(Comment.body_source == "Can I?")) is None
    assert {"actor": "member", "target": "author"} in recorder.calls("can_interact")

    # notifications are guarded too: nobody is notified by someone they may not be reached by
    from core.notify import notify

    with app.test_request_context("/"):
        assert notify(member, "post_reply", actor=scene["author"], group=scene["group"], url="/") is not None
        recorder.DENIED.add(("author", "member"))
        assert notify(member, "post_reply", actor=scene["author"], group=scene["group"], url="/") is None
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(Notification.user_id == member.id)) == 1


def test_hook_can_interact_guards_invitations(app, make_user, make_group, login, enabled):
    inviter = make_user("inviter")
    make_user("invitee")
    make_group(slug="club", owner=inviter)
    recorder.DENIED.add(("inviter", "invitee"))
    client = login(app.test_client(), inviter)
    response = client.post("/g/club/invite", data={"username": "invitee"})
    assert response.status_code == 422
    assert "You cannot invite this person." in response.get_data(as_text=True)
    recorder.DENIED.clear()
    assert client.post("/g/club/invite", data={"username": "invitee"}).status_code == 302


def test_hook_interaction_barriers(app, make_user, enabled):
    from core.plugin_api import interaction_barriers

    people = [make_user(name) for name in ("ann", "bea", "cem")]
    recorder.DENIED.add(("ann", "cem"))
    assert interaction_barriers(people) == {(people[0].id, people[2].id)}
    assert recorder.calls("interaction_barriers") == [{"user_ids": sorted(p.id for p in people), "group": None}]
    assert recorder.calls("can_interact") == []  # the bulk answer replaced the per-pair hook


def test_hook_interaction_barriers_falls_back_to_can_interact_when_the_bulk_answer_fails(app, make_user, enabled):
    from core.plugin_api import interaction_barriers

    people = [make_user(name) for name in ("ann", "bea", "cem")]
    recorder.DENIED.add(("bea", "ann"))
    recorder.BARRIERS_FAIL.append(True)
    assert interaction_barriers(people) == {(people[1].id, people[0].id)}
    assert len(recorder.calls("can_interact")) == 6  # every ordered pair, asked one by one


def test_hook_can_join_group(app, make_user, make_group, login, enabled):
    joiner = make_user("joiner")
    make_group(slug="open-garden", join_mode="open")
    recorder.BANNED.add(("joiner", "open-garden"))
    client = login(app.test_client(), joiner)
    assert client.post("/g/open-garden/join").status_code in (403, 404)
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == joiner.id)) is None
    assert {"user": "joiner", "group": "open-garden"} in recorder.calls("can_join_group")
    recorder.BANNED.clear()
    assert client.post("/g/open-garden/join").status_code == 302
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == joiner.id)) is not None


def test_hook_hidden_user_ids(app, member_client, scene, make_post, make_comment, enabled, count_queries):
    make_post(scene["group"], scene["author"], "Second by author")
    member_post = make_post(scene["group"], db.session.scalar(db.select(User).where(User.username == "member")),
                            "Post by member")
    make_comment(member_post, scene["author"], "Comment on member post by author")
    feed = "/g/allotment"
    comments = f"/g/allotment/p/{member_post.id}"
    members = "/g/allotment/members"
    member_client.get(feed)
    counts = {}
    for url in (feed, comments, members):
        with count_queries() as queries:
            html = html_of(member_client, url)
        counts[url] = len(queries)
        assert "author" in html.lower(), (url, main_of(html))

    recorder.HIDDEN.add("author")
    touch_site()  # what the recorder hides is kept outside the database: it tells the page cache
    for url in (feed, comments, members):
        with count_queries() as queries:
            html = html_of(member_client, url)
        assert len(queries) == counts[url], url  # filtered inside the same queries
        assert "/u/author" not in html, url
    assert "Post by member" in html_of(member_client, feed)
    assert "Beans are up" not in html_of(member_client, feed)
    assert "Comment on member post by author" not in html_of(member_client, comments)
    assert member_client.get("/u/author").status_code == 404


def test_hook_hidden_user_ids_never_blinds_group_staff_inside_their_group(app, login, scene, member, make_post,
                                                                         make_group, count_queries, enabled):
    """Core applies the staff exemption for every plugin; outside the group the answer holds."""
    member_post = make_post(scene["group"], member, "Post by member")
    other = make_group(slug="orchard", owner=member, members=(scene["author"],))
    make_post(other, member, "Orchard post by member")
    owner = login(app.test_client(), scene["author"])  # the allotment's owner
    recorder.HIDDEN.add("member")
    assert "Post by member" in html_of(owner, "/g/allotment")
    assert html_of(owner, f"/g/allotment/p/{member_post.id}")
    assert "/u/member" in html_of(owner, "/g/allotment/members")
    flagged = {c["name"] for c in recorder.calls("template_slot") if c["context"].get("hidden_elsewhere")}
    assert flagged == {"post_footer", "member_details"}  # so a plugin can say why staff see it
    assert "Orchard post by member" not in html_of(owner, "/g/orchard")
    assert owner.get("/u/member").status_code == 404


def test_hook_content_placeholders(app, member_client, scene, enabled):
    recorder.PLACEHOLDERS[("post", scene["post"].id)] = "Hidden by the recorder"
    html = html_of(member_client, "/g/allotment")
    assert "<em>Hidden by the recorder</em>" in html and "Beans are up" not in html, main_of(html)
    assert {"content_type": "post", "ids": [scene["post"].id]} in recorder.calls("content_placeholders")


def test_hook_list_columns(app, member_client, scene, enabled):
    post = scene["post"]
    html_of(member_client, "/g/allotment")
    assert {"content_type": "post", "group": "allotment"} in recorder.calls("list_columns")
    assert {"content_type": "post", "values": {post.id: post.id * 2}} in recorder.calls("list_values")


def test_hook_hidden_content_ids(app, client, member_client, scene, enabled):
    assert ("post", scene["post"].id) in _search(member_client, "beans")
    recorder.UNFINDABLE.add(scene["post"].id)
    assert _search(member_client, "beans") == [] and _search(client, "beans") == []
    asked = recorder.calls("hidden_content_ids")
    assert {"content_type": "post", "authenticated": False} in asked  # visitors too
    assert {call["content_type"] for call in asked} == {"post", "comment", "group", "profile"}


def _search(client, q: str) -> list[tuple[str, int]]:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    return [(hit["type"], hit["id"]) for hit in response.get_json()["items"]]


# --- events -----------------------------------------------------------------------------------


def test_hook_user_registered(app, client, enabled):
    response = client.post("/signup", data={"email": "new@example.org", "username": "newbie",
                                            "display_name": "Newbie", "password": "correct horse battery",
                                            "locale": "en", "adult": "on"})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.username == "newbie"))
    assert recorder.calls("user_registered") == [{"username": "newbie", "id": user.id}]


def test_hook_group_created(app, member_client, enabled):
    response = member_client.post("/g/new", data={"slug": "seed-swap", "name": "Seed swap",
                                                   "visibility": "public", "join_mode": "open"})
    assert response.status_code == 302
    assert recorder.calls("group_created")[0]["slug"] == "seed-swap"
    assert recorder.calls("group_created")[0]["username"] == "member"


def test_hook_member_joined(app, make_user, make_group, login, enabled):
    joiner = make_user("joiner")
    group = make_group(slug="open-garden", join_mode="open")
    assert login(app.test_client(), joiner).post("/g/open-garden/join").status_code == 302
    assert recorder.calls("member_joined") == [{"group_id": group.id, "user_id": joiner.id, "role": "member"}]


def test_hook_member_left(app, member_client, scene, enabled):
    assert member_client.post("/g/allotment/leave").status_code == 302
    assert recorder.calls("member_left") == [{"slug": "allotment", "username": "member"}]


def test_hook_post_created(app, member_client, scene, enabled):
    assert member_client.post("/g/allotment/posts", data={"body": "Tomatoes"}).status_code == 302
    assert [c["body"] for c in recorder.calls("post_created")] == ["Tomatoes"]


def test_hook_comment_created(app, member_client, scene, enabled):
    url = f"/g/allotment/p/{scene['post'].id}/comments"
    assert member_client.post(url, data={"body": "Nice"}).status_code == 302
    assert [c["body"] for c in recorder.calls("comment_created")] == ["Nice"]


# --- registries -------------------------------------------------------------------------------


def test_hook_search_sources(app, make_app, make_user, make_group, enable_plugin):
    """Asked once per app, on installed plugins; their rows are indexed on write and found in search."""
    from core.search import get_registry
    from tests.plugins.fixtures import searchable

    other = make_app(plugins=["tests.plugins.fixtures.searchable"])
    assert [s.name for s in get_registry(other)] == ["post", "comment", "group", "profile", "searchable"]
    assert "searchable" not in get_registry(app).sources
    with other.app_context():
        searchable.create_tables()
        try:
            owner = make_user("noter")
            group = make_group(owner=owner, slug="notes")
            plugin_state.set_enabled("searchable", True)
            plugin_state.set_group_enabled("searchable", group, True)
            db.session.add(searchable.Note(group_id=group.id, author_id=owner.id, title="Greenhouse keys"))
            db.session.commit()
            hits = other.test_client().get("/api/v1/search?q=greenhouse").get_json()["items"]
            assert [(hit["type"], hit["group"]["slug"]) for hit in hits] == [("searchable", "notes")]
        finally:
            db.session.remove()
            searchable.drop_tables()


# --- support ----------------------------------------------------------------------------------


def test_hook_support_resources(app, client, enabled):
    html = html_of(client, "/support?country=AT")
    assert "Recorder line AT en" in html and "0800 111" in html
    assert "Emergency services" in html and 'href="tel:112"' in html
    assert recorder.calls("support_resources")[-1] == {"locale": "en", "context": {"country": "AT",
                                                                                  "reason": "general"}}


def test_hook_support_page(app, client, enabled):
    assert '<a href="/support">Get help</a>' in html_of(client, "/")  # no answer: core's page
    assert client.get("/support").status_code == 200
    recorder.SUPPORT_PAGE.append("/recorder/ping")
    assert '<a href="/recorder/ping">Get help</a>' in html_of(client, "/")
    response = client.get("/support?country=AT&reason=self_harm")
    assert response.status_code == 302 and response.headers["Location"] == "/recorder/ping"
    assert recorder.calls("support_page")[-1] == {"context": {"country": "AT", "reason": "self_harm"}}
    plugin_state.set_enabled("recorder", False)
    assert '<a href="/support">Get help</a>' in html_of(client, "/")


# --- privacy ----------------------------------------------------------------------------------


def test_hook_export_user_data(app, member_client, enabled):
    response = member_client.get("/settings/data/export")
    assert response.status_code == 200
    assert response.json["plugins"]["recorder"] == {"recorded_for": "member"}


def test_hook_erase_user_data(app, member_client, member, enabled):
    member_id = member.id
    response = member_client.post("/settings/data", data={"password": "correct horse battery"})
    assert response.status_code == 302
    assert recorder.calls("erase_user_data") == [{"username": "member", "id": member_id}]
    db.session.expire_all()
    assert db.session.get(User, member_id) is None


def test_erase_user_data_reaches_disabled_plugins_too(app, member_client, member):
    assert not get_plugins().is_enabled("recorder")
    member_client.post("/settings/data", data={"password": "correct horse battery"})
    assert [c["username"] for c in recorder.calls("erase_user_data")] == ["member"]


# --- lifecycle --------------------------------------------------------------------------------


def test_hook_plugin_enabled(app, admin_client):
    admin_client.post("/admin/plugins/recorder/enable")
    assert recorder.calls("plugin_enabled") == [{"plugin_id": "recorder", "group": None}]


def test_hook_plugin_disabled(app, admin_client, enabled):
    admin_client.post("/admin/plugins/recorder/disable")
    assert recorder.calls("plugin_disabled") == [{"plugin_id": "recorder", "group": None}]
    assert not get_plugins().is_enabled("recorder")


def test_hook_seed_demo(app, enabled):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert [c["app"] for c in recorder.calls("seed_demo")] == [app]
    assert db.session.scalar(db.select(db.func.count(Membership.id))) > 0


# --- renamed hooks ----------------------------------------------------------------------------


def test_a_renamed_hook_warns_its_implementers_and_still_works(monkeypatch, make_app, app):
    monkeypatch.setitem(hookspecs.RENAMED_HOOKS, "navigation_items", "nav_items")
    with pytest.warns(DeprecationWarning, match="'navigation_items' was renamed to 'nav_items'"):
        other = make_app(plugins=["tests.plugins.fixtures.oldname"])
    with other.app_context():
        plugin_state.set_enabled("oldname", True)
    assert "Old-style link" in html_of(other.test_client(), "/")
