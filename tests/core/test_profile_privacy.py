"""Profiles: groups in common, recent posts the viewer may see, and who may see the details.

``profile_visibility``: everyone / members (of a group in common) / nobody. Anyone else gets the
reduced view (name and username), on the page and in the API alike; a block still means 404.
"""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import User

pytestmark = pytest.mark.plugins("plugins.reporting")


@pytest.fixture
def ada(make_user):
    return make_user("ada", display_name="Ada Lovelace", bio="Counting machines.")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


def _set(user, visibility: str) -> None:
    db.session.get(User, user.id).profile_visibility = visibility
    db.session.commit()


def test_profile_shows_groups_in_common_with_the_viewer(app, login, ada, bob, make_group):
    make_group(owner=ada, slug="shared", name="Shared Garden", members=(bob,))
    make_group(owner=ada, slug="only-ada", name="Ada Alone")
    html = login(app.test_client(), bob).get("/u/ada").text
    common = html[html.index("Groups in common"):html.index('id="profile-groups"')]
    assert "Shared Garden" in common and "Ada Alone" not in common


def test_own_profile_lists_no_groups_in_common(app, login, ada, make_group):
    make_group(owner=ada, slug="shared")
    assert "Groups in common" not in login(app.test_client(), ada).get("/u/ada").text


def test_profile_shows_recent_posts_from_public_groups_and_shared_private_ones(app, client, login, ada, bob,
                                                                              make_group, make_post):
    public = make_group(owner=ada, slug="open", name="Open")
    private = make_group(owner=ada, slug="closed", name="Closed", visibility="private", members=(bob,))
    make_post(public, ada, "Hello from the open group")
    make_post(private, ada, "Only for members")
    visitor = client.get("/u/ada").text
    assert "Hello from the open group" in visitor and "Only for members" not in visitor
    assert "Only for members" in login(app.test_client(), bob).get("/u/ada").text


def test_profile_posts_leave_out_what_moderators_hid(app, client, ada, make_group, make_post, enable_plugin):
    from plugins.reporting.models import HiddenContent

    enable_plugin("reporting")
    group = make_group(owner=ada, slug="open")
    post = make_post(group, ada, "Something rude")
    db.session.add(HiddenContent(content_type="post", content_id=post.id, group_id=group.id))
    db.session.commit()
    assert "Something rude" not in client.get("/u/ada").text


def test_a_blocked_person_gets_404_on_page_and_api(app, login, ada, bob, enable_plugin):
    from plugins.reporting.models import Block

    enable_plugin("reporting")
    db.session.add(Block(blocker_id=ada.id, blocked_id=bob.id))
    db.session.commit()
    viewer = login(app.test_client(), bob)
    assert viewer.get("/u/ada").status_code == 404
    assert viewer.get("/api/v1/users/ada").status_code == 404


@pytest.mark.parametrize("visibility", ["members", "nobody"])
def test_a_visitor_gets_the_reduced_view(client, ada, make_group, make_post, visibility):
    group = make_group(owner=ada, slug="open", name="Open Garden")
    make_post(group, ada, "A public post")
    _set(ada, visibility)
    response = client.get("/u/ada")
    assert response.status_code == 200
    assert "Ada Lovelace" in response.text and "@ada" in response.text
    for detail in ("Counting machines.", "Open Garden", "A public post", "Member since"):
        assert detail not in response.text
    api = client.get("/api/v1/users/ada").json
    assert api == {"username": "ada", "display_name": "Ada Lovelace", "restricted": True, "bio": None,
                   "created_at": None, "groups": None, "groups_in_common": None}


def test_members_only_profile_is_shown_to_someone_in_a_group_with_them(app, login, ada, bob, make_group):
    make_group(owner=ada, slug="shared", name="Shared Garden", visibility="private", members=(bob,))
    _set(ada, "members")
    html = login(app.test_client(), bob).get("/u/ada").text
    assert "Counting machines." in html and "Shared Garden" in html
    api = login(app.test_client(), bob).get("/api/v1/users/ada").json
    assert api["restricted"] is False and api["bio"] == "Counting machines."
    assert api["groups_in_common"] == [{"slug": "shared", "name": "Shared Garden"}]


def test_members_only_profile_is_reduced_for_a_member_of_other_groups(app, login, ada, bob, make_group):
    make_group(owner=bob, slug="bobs")
    make_group(owner=ada, slug="adas")
    _set(ada, "members")
    html = login(app.test_client(), bob).get("/u/ada").text
    assert "Counting machines." not in html and "shows their profile only to members of their groups" in html


def test_nobody_means_fellow_members_get_the_reduced_view_too(app, login, ada, bob, make_group):
    make_group(owner=ada, slug="shared", members=(bob,))
    _set(ada, "nobody")
    html = login(app.test_client(), bob).get("/u/ada").text
    assert "Counting machines." not in html and "keeps their profile private" in html
    assert login(app.test_client(), bob).get("/api/v1/users/ada").json["restricted"] is True


def test_the_owner_and_site_admins_always_see_everything(app, login, ada, site_admin):
    _set(ada, "nobody")
    assert "Counting machines." in login(app.test_client(), ada).get("/u/ada").text
    assert "Counting machines." in login(app.test_client(), site_admin).get("/u/ada").text


def test_the_setting_is_saved_from_the_profile_form(app, login, ada):
    client = login(app.test_client(), ada)
    response = client.post("/settings/profile", data={"display_name": "Ada", "bio": "", "locale": "en",
                                                      "country": "", "profile_visibility": "members"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, ada.id).profile_visibility == "members"
    assert 'value="members" selected' in client.get("/settings/profile").text


def test_an_unknown_setting_is_refused_at_the_field(app, login, ada):
    response = login(app.test_client(), ada).post("/settings/profile", data={
        "display_name": "Ada", "bio": "", "locale": "en", "country": "", "profile_visibility": "friends"})
    assert response.status_code == 422 and "Choose one of the options." in response.text
    db.session.expire_all()
    assert db.session.get(User, ada.id).profile_visibility == "everyone"


def test_the_setting_is_changed_through_the_api(app, ada, login):
    client = login(app.test_client(), ada)
    assert client.patch("/api/v1/me", json={"profile_visibility": "nobody"}).json["profile_visibility"] == "nobody"
    bad = client.patch("/api/v1/me", json={"profile_visibility": "friends"})
    assert bad.status_code == 422 and "profile_visibility" in bad.json["errors"]["json"]


def test_bio_longer_than_1000_characters_is_refused_at_the_field(app, login, ada):
    response = login(app.test_client(), ada).post("/settings/profile", data={
        "display_name": "Ada", "bio": "x" * 1001, "locale": "en", "country": ""})
    assert response.status_code == 422 and "Use at most 1000 characters." in response.text


def test_profile_page_costs_the_same_for_few_and_many_groups_and_posts(app, login, ada, bob, make_group, make_post,
                                                                       count_queries, enable_plugin):
    enable_plugin("reporting")
    group = make_group(owner=ada, slug="first", members=(bob,))
    make_post(group, ada, "first post")
    client = login(app.test_client(), bob)
    client.get("/u/ada")
    db.session.expire_all()
    with count_queries() as small:
        assert client.get("/u/ada").status_code == 200
    for n in range(12):
        other = make_group(owner=ada, slug=f"g{n}", visibility="private" if n % 2 else "public",
                           members=(bob,) if n % 3 else ())
        make_post(other, ada, f"post {n}")
    db.session.expire_all()
    with count_queries() as large:
        assert client.get("/u/ada").status_code == 200
    assert len(small) == len(large), "\n".join(large)
    # plugin state, viewer, profile owner (unless hidden), their groups with the viewer's memberships, posts,
    # placeholders
    assert len(large) == 6, "\n".join(large)
    assert not [s for s in large if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
