"""Search: what the write paths put into the index, what each viewer finds, and how it is shown.

Every test runs on SQLite (FTS5) and on PostgreSQL (tsvector + GIN): the behaviour is the same.
Searches go through ``/api/v1/search`` (JSON is easy to assert on) and the ``/search`` page.
"""
from __future__ import annotations

import pytest
from sqlalchemy import text

from core.extensions import db
from core.models import Comment, Group, Post, SearchEntry, User
from core.search import reindex


def found(client, q: str, **params) -> list[tuple[str, str]]:
    """(type, title or snippet text) of every hit on the first page, best first."""
    response = client.get("/api/v1/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return [(hit["type"], hit["url"].split("localhost", 1)[1]) for hit in response.get_json()["items"]]


def urls(client, q: str, **params) -> list[str]:
    return [url for _type, url in found(client, q, **params)]


@pytest.fixture
def garden(make_user, make_group, member):
    """A public group with ``member`` in it; its owner is Olga."""
    olga = make_user("olga", display_name="Olga Owner")
    return make_group(owner=olga, slug="garden", name="Garden friends", description="Tomatoes and beans",
                      members=(member,))


def index_rows(source: str | None = None) -> list[SearchEntry]:
    db.session.expire_all()
    stmt = db.select(SearchEntry).order_by(SearchEntry.id)
    if source:
        stmt = stmt.where(SearchEntry.source == source)
    return list(db.session.scalars(stmt))


# --- the write paths keep the index current -----------------------------------------------------


def test_a_published_post_is_found_right_away(member_client, garden):
    response = member_client.post("/g/garden/posts", data={"body": "Our **pumpkins** grew enormous"})
    assert response.status_code == 302
    post_id = db.session.scalar(db.select(Post.id))
    assert urls(member_client, "pumpkins") == [f"/g/garden/p/{post_id}"]


def test_an_edited_post_is_found_by_its_new_words_only(member_client, member, garden, make_post):
    post = make_post(garden, member, "Slugs ate the lettuce")
    response = member_client.post(f"/g/garden/p/{post.id}/edit", data={"body": "Snails ate the cabbage"})
    assert response.status_code == 302
    assert urls(member_client, "cabbage") == [f"/g/garden/p/{post.id}"]
    assert urls(member_client, "lettuce") == []


def test_a_deleted_post_leaves_search_with_its_comments(member_client, member, garden, make_post, make_comment):
    post = make_post(garden, member, "Rhubarb season")
    make_comment(post, member, "Rhubarb crumble please")
    assert len(urls(member_client, "rhubarb")) == 2
    assert member_client.post(f"/g/garden/p/{post.id}/delete").status_code == 302
    assert urls(member_client, "rhubarb") == []
    assert index_rows("comment") == []


def test_comments_are_found_and_follow_edits_and_deletion(member_client, member, garden, make_post):
    post = make_post(garden, member, "Harvest day")
    member_client.post(f"/g/garden/p/{post.id}/comments", data={"body": "I bring a wheelbarrow"})
    comment = db.session.scalar(db.select(Comment))
    assert urls(member_client, "wheelbarrow") == [f"/g/garden/p/{post.id}#comment-{comment.id}"]
    member_client.post(f"/g/garden/c/{comment.id}/edit", data={"body": "I bring a spade"})
    assert urls(member_client, "wheelbarrow") == [] and len(urls(member_client, "spade")) == 1
    member_client.post(f"/g/garden/c/{comment.id}/delete")
    assert urls(member_client, "spade") == []


def test_a_group_is_found_by_its_name_and_description_as_they_change(client, login, garden, make_user):
    owner = db.session.get(User, garden.created_by_id)
    assert urls(client, "tomatoes") == ["/g/garden"]
    settings = {"name": "Allotment crew", "description": "Potatoes mostly", "visibility": "public",
                "join_mode": "open"}
    assert login(client, owner).post("/g/garden/settings", data=settings).status_code == 302
    assert urls(client, "allotment") == ["/g/garden"] and urls(client, "potatoes") == ["/g/garden"]
    assert urls(client, "tomatoes") == []


def test_a_new_group_is_found(member_client):
    member_client.post("/g/new", data={"slug": "knitting", "name": "Knitting circle", "description": "Wool",
                                       "visibility": "public", "join_mode": "open"})
    assert urls(member_client, "knitting") == ["/g/knitting"]


def test_people_are_found_by_name_username_and_bio_as_they_edit_their_profile(client, member_client, member):
    assert urls(client, "member") == [f"/u/{member.username}"]
    member_client.post("/settings/profile", data={"display_name": "Ada Lovelace", "bio": "I love engines",
                                                 "locale": "en", "country": "DE"})
    assert urls(client, "lovelace") == ["/u/member"] and urls(client, "engines") == ["/u/member"]


def test_an_index_row_is_written_in_the_same_transaction_as_the_post(app, member, garden):
    db.session.add(Post(group_id=garden.id, author_id=member.id, body_source="Zucchini", body_html="<p>Zucchini</p>"))
    db.session.flush()
    assert [row.body for row in index_rows("post")] == ["Zucchini"]
    db.session.rollback()
    assert index_rows("post") == []


def test_erasing_an_account_takes_their_content_and_replies_to_it_out_of_search(
        app, client, login, member, garden, make_user, make_post, make_comment):
    ben = make_user("ben")
    post = make_post(garden, member, "Compost tips from me")
    make_comment(post, ben, "Compost is gold, ben says")
    alone = make_user("hermit")
    db.session.add_all([Group(slug="cave", name="Compost cave", created_by_id=alone.id)])
    db.session.commit()
    assert len(urls(client, "compost")) == 3
    response = login(client, member).post("/settings/data", data={"password": "correct horse battery",
                                                                  "confirm": "y"})
    assert response.status_code == 302
    assert db.session.get(User, member.id) is None
    assert urls(client, "compost") == ["/g/cave"]
    assert urls(client, "member") == []


# --- what a viewer finds --------------------------------------------------------------------------


def test_a_private_groups_content_is_found_by_its_members_only(
        client, member_client, member, make_user, make_group, make_post, login):
    outsider = make_user("outsider")
    secret = make_group(slug="hideout", name="Hideout", visibility="private", members=(member,))
    post = make_post(secret, member, "The treasure map is under the oak")
    assert urls(member_client, "treasure") == [f"/g/hideout/p/{post.id}"]
    assert urls(login(client.application.test_client(), outsider), "treasure") == []
    assert urls(client, "treasure") == []


def test_a_private_groups_name_and_description_are_public_like_the_directory(client, make_group):
    make_group(slug="hideout", name="Hideout", description="Treasure hunters", visibility="private")
    assert urls(client, "treasure") == ["/g/hideout"]


def test_joining_a_private_group_reveals_its_content_without_reindexing(
        client, login, member, make_group, make_post, add_member, make_user):
    secret = make_group(slug="hideout", visibility="private")
    make_post(secret, db.session.get(User, secret.created_by_id), "Lantern festival plans")
    viewer = login(client, member)
    assert urls(viewer, "lantern") == []
    add_member(secret, member)
    assert len(urls(viewer, "lantern")) == 1


def test_making_a_group_private_hides_its_content_from_outsiders_at_once(client, login, garden, member, make_post):
    post = make_post(garden, member, "Plum jam recipe")
    assert urls(client, "plum") == [f"/g/garden/p/{post.id}"]
    garden.visibility = "private"
    db.session.commit()
    assert urls(client, "plum") == []
    assert urls(login(client.application.test_client(), member), "plum") == [f"/g/garden/p/{post.id}"]


def test_a_group_deleted_in_bulk_takes_its_rows_out_of_the_index(client, garden, member, make_post, make_comment):
    make_comment(make_post(garden, member, "Quince harvest"), member, "Quince jelly")
    db.session.execute(db.delete(Group).where(Group.id == garden.id))  # as erasing its last member does
    db.session.commit()
    assert urls(client, "quince") == [] and index_rows("post") == [] and index_rows("comment") == []


def test_search_scoped_to_one_group(member_client, member, garden, make_group, make_post):
    other = make_group(slug="orchard", name="Orchard", members=(member,))
    in_garden = make_post(garden, member, "Apples everywhere")
    in_orchard = make_post(other, member, "Apples in the orchard")
    assert urls(member_client, "apples", group="garden") == [f"/g/garden/p/{in_garden.id}"]
    assert sorted(urls(member_client, "apples")) == [f"/g/garden/p/{in_garden.id}", f"/g/orchard/p/{in_orchard.id}"]


def test_a_group_page_offers_a_search_within_the_group(member_client, member, garden, make_post):
    html = member_client.get("/g/garden").get_data(as_text=True)
    form = html[html.index('aria-label="Search this group"'):]
    form = form[:form.index("</form>")]
    assert 'name="group" value="garden"' in form and '<label for="group-search-q">Search this group</label>' in form
    make_post(garden, member, "Gooseberries ripen")
    page = member_client.get("/search?group=garden&q=gooseberries").get_data(as_text=True)
    assert "Only in the group “Garden friends”." in page
    assert page.count('class="card search-hit"') == 1


def test_search_by_type(member_client, member, garden, make_post):
    make_post(garden, member, "Garden party on Sunday")
    assert sorted(t for t, _ in found(member_client, "garden")) == ["group", "post"]
    assert [t for t, _ in found(member_client, "garden", type="post")] == ["post"]
    assert sorted(t for t, _ in found(member_client, "garden", type=["post", "group"])) == ["group", "post"]


# --- language, ranking, snippets ------------------------------------------------------------------


@pytest.mark.parametrize(("written", "searched"), [
    ("She runs every morning", "running"),
    ("Two communities met", "community"),
    ("Die Häuser am See", "Haus"),
    ("Wir lieben unsere Gärten", "garten"),
    ("STRAWBERRIES", "strawberry"),
])
def test_words_are_found_in_their_other_forms_in_english_and_german(member_client, member, garden, make_post,
                                                                     written, searched):
    post = make_post(garden, member, written)
    assert urls(member_client, searched) == [f"/g/garden/p/{post.id}"]


def test_every_word_must_match(member_client, member, garden, make_post):
    both = make_post(garden, member, "Red tomatoes and green beans")
    make_post(garden, member, "Red cabbage")
    assert urls(member_client, "red beans") == [f"/g/garden/p/{both.id}"]


def test_punctuation_and_query_syntax_are_just_words(member_client, member, garden, make_post):
    post = make_post(garden, member, "Is NEAR the shed OR behind it")
    assert urls(member_client, 'shed" OR * NEAR(") -behind') == [f"/g/garden/p/{post.id}"]


def test_title_matches_rank_above_body_matches_and_more_matches_above_fewer(
        client, make_user, make_group, garden, member, make_post):
    once = make_post(garden, member, "We talked about beekeeping for a minute, then lunch and more lunch")
    often = make_post(garden, member, "Beekeeping: beekeeping gear, beekeeping books, beekeeping")
    make_group(slug="bees", name="Beekeeping", description="Hives")
    assert urls(client, "beekeeping") == ["/g/bees", f"/g/garden/p/{often.id}", f"/g/garden/p/{once.id}"]


def test_snippets_mark_the_matches_and_escape_everything_else(client, member, garden, make_post, make_group):
    make_post(garden, member, "Watch out: <script>alert('moles')</script> moles dig " + "filler " * 40 + "the end")
    make_group(slug="evil", name="<b>Moles</b> & voles", description="")
    items = client.get("/api/v1/search", query_string={"q": "moles"}).get_json()["items"]
    by_type = {item["type"]: item for item in items}
    snippet = by_type["post"]["snippet_html"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>moles</mark>" in snippet and snippet.endswith("…")
    assert by_type["group"]["title_html"] == "&lt;b&gt;<mark>Moles</mark>&lt;/b&gt; &amp; voles"


def test_the_snippet_is_cut_around_the_matches(client, member, garden, make_post):
    make_post(garden, member, " ".join(f"word{n}" for n in range(100)) + " sunflower seeds " + "tail " * 50)
    snippet = client.get("/api/v1/search", query_string={"q": "sunflower"}).get_json()["items"][0]["snippet_html"]
    assert snippet.startswith("… ") and snippet.endswith(" …") and "<mark>sunflower</mark>" in snippet
    assert "word0 " not in snippet and "word99" in snippet


# --- pages of results -----------------------------------------------------------------------------


def test_results_come_in_keyset_pages_best_first_without_gaps_or_repeats(member_client, member, garden,
                                                                         make_post):
    posts = [make_post(garden, member, f"Seedling report {'seedling ' * (n % 5)}number {n}") for n in range(25)]
    seen: list[tuple[float, int]] = []
    sizes = []
    after = None
    while True:
        params = {"q": "seedling", "limit": 10, **({"after": after} if after else {})}
        page = member_client.get("/api/v1/search", query_string=params).get_json()
        sizes.append(len(page["items"]))
        seen.extend((item["score"], item["id"]) for item in page["items"])
        after = page["next"]
        if after is None:
            break
    assert sizes == [10, 10, 5]
    assert sorted(post_id for _, post_id in seen) == sorted(post.id for post in posts)
    assert seen == sorted(seen, key=lambda pair: (-pair[0], -pair[1]))  # best first, newer first among equals


def test_the_search_page_links_to_the_next_page(member_client, member, garden, make_post, app):
    app.config["PAGE_SIZE"] = 3
    for n in range(4):
        make_post(garden, member, f"Mulch note {n}")
    html = member_client.get("/search?q=mulch").get_data(as_text=True)
    assert html.count('class="card search-hit"') == 3
    assert 'rel="next"' in html
    next_url = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = member_client.get(next_url).get_data(as_text=True)
    assert second.count('class="card search-hit"') == 1 and 'rel="next"' not in second


# --- the page -------------------------------------------------------------------------------------


def test_every_page_has_a_labelled_search_box_in_its_header(client):
    html = client.get("/").get_data(as_text=True)
    header = html[html.index("<header"):html.index("</header>")]
    assert 'role="search"' in header and 'action="/search"' in header
    assert '<label for="header-search-q" class="visually-hidden">Search for</label>' in header


def test_the_search_page_without_a_query_shows_just_the_form(client):
    response = client.get("/search")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="search-q">Search for</label>' in html and "search-hit" not in html
    assert '<option value="post"' in html and '<option value="profile"' in html


def test_the_search_page_shows_hits_with_their_group_author_and_highlight(member_client, member, garden, make_post):
    post = make_post(garden, member, "Beans climb the fence")
    html = member_client.get("/search?q=beans").get_data(as_text=True)
    assert f'href="/g/garden/p/{post.id}"' in html
    assert "<mark>Beans</mark> climb the fence" in html
    assert "in Garden friends" in html and "by Member" in html


def test_the_search_page_says_when_nothing_is_found(member_client):
    html = member_client.get("/search?q=zeppelin").get_data(as_text=True)
    assert "Nothing found for “zeppelin”" in html


def test_an_empty_query_is_explained_next_to_the_field(client):
    response = client.get("/search?q=+++")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="q-error"' in html and "This field is required." in html


def test_a_query_without_letters_is_explained(client):
    response = client.get("/search?q=%21%21%21")
    assert response.status_code == 422
    assert "Type at least one letter or digit." in response.get_data(as_text=True)


def test_an_unknown_type_is_explained_next_to_its_field(client):
    response = client.get("/search?q=beans&type=spaceships")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="type-error"' in html and "Unknown type: spaceships" in html


def test_a_forged_cursor_on_the_page_is_a_bad_request(client):
    assert client.get("/search?q=beans&after=forged").status_code == 400


def test_the_search_page_speaks_german(client, member, garden, make_post):
    make_post(garden, member, "Bohnen am Zaun")
    html = client.get("/search?q=bohne", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "<h1>Suchen</h1>" in html and '<label for="search-q">Suchen nach</label>' in html
    assert "Beitrag" in html and "in Garden friends" not in html and "in der Gruppe Garden friends" in html


# --- the API --------------------------------------------------------------------------------------


def test_the_api_returns_hits_with_everything_a_client_needs(client, member, garden, make_post):
    post = make_post(garden, member, "Seed swap on Saturday")
    body = client.get("/api/v1/search", query_string={"q": "seed"}).get_json()
    (hit,) = [item for item in body["items"] if item["type"] == "post"]
    assert hit["id"] == post.id and hit["url"] == f"http://localhost/g/garden/p/{post.id}"
    assert hit["group"] == {"slug": "garden", "name": "Garden friends"}
    assert hit["author"] == {"username": "member", "display_name": "Member", "avatar_url": None}
    assert hit["snippet_html"] == "<mark>Seed</mark> swap on Saturday" and hit["score"] > 0
    assert body["next"] is None


@pytest.mark.parametrize(("params", "field"), [
    ({}, "q"),
    ({"q": ""}, "q"),
    ({"q": "x" * 201}, "q"),
    ({"q": "beans", "limit": 0}, "limit"),
    ({"q": "beans", "limit": 51}, "limit"),
    ({"q": "beans", "type": "spaceships"}, "type"),
    ({"q": "beans", "after": "forged"}, "after"),
])
def test_bad_api_input_is_a_422_naming_the_field(client, params, field):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["query"]) == [field]


def test_the_openapi_document_describes_the_search_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/search"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "type", "group", "after", "limit"} <= names
    assert "422" in operation["responses"]


# --- cost -----------------------------------------------------------------------------------------


def _fill(group: Group, author: User, count: int) -> None:
    from core.markdown import render_markdown

    db.session.add_all(Post(group_id=group.id, author_id=author.id, body_source=f"Harvest log {n}",
                            body_html=render_markdown(f"Harvest log **{n}**")) for n in range(count))
    db.session.commit()


def _queries(client, count_queries, url: str) -> list[str]:
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    return statements


@pytest.mark.parametrize("url", ["/search?q=harvest", "/api/v1/search?q=harvest"])
def test_queries_are_the_same_for_10_and_200_rows_and_within_budget(member_client, member, garden, count_queries,
                                                                    url):
    _fill(garden, member, 10)
    member_client.get(url)
    small = _queries(member_client, count_queries, url)
    _fill(garden, member, 190)
    large = _queries(member_client, count_queries, url)
    assert len(small) == len(large) <= 6, "\n".join(large)


def test_queries_are_the_same_for_one_hit_and_a_full_page(member_client, member, garden, make_post, count_queries):
    make_post(garden, member, "Unique kohlrabi")
    _fill(garden, member, 30)
    member_client.get("/search?q=kohlrabi")
    one = _queries(member_client, count_queries, "/search?q=kohlrabi")
    full = _queries(member_client, count_queries, "/search?q=harvest")
    assert len(one) == len(full)


# --- rebuilding -----------------------------------------------------------------------------------


def test_reindex_rebuilds_the_index_from_the_content(app, member, garden, make_post, make_comment):
    post = make_post(garden, member, "Onion braids")
    make_comment(post, member, "Garlic too")
    db.session.execute(db.delete(SearchEntry))
    db.session.execute(db.update(Post).values(body_html="<p>Onion braids and leeks</p>"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "post: 1 indexed" in result.output and "comment: 1 indexed" in result.output
    assert "profile: 2 indexed" in result.output and "group: 1 indexed" in result.output
    assert [row.body for row in index_rows("post")] == ["Onion braids and leeks"]
    status = app.test_cli_runner().invoke(args=["search", "status"])
    assert "post (core): 1" in status.output


def test_reindex_of_an_unknown_source_names_the_known_ones(app):
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--source", "spaceships"])
    assert result.exit_code != 0 and "unknown search source(s): spaceships" in result.output
    assert "post, comment, group, profile" in result.output


def test_reindex_of_one_source_leaves_the_others(app, member, garden, make_post):
    make_post(garden, member, "Parsnips")
    assert reindex(["post"]) == {"post": 1}
    assert {row.source for row in index_rows()} == {"post", "group", "profile"}


# --- the database structures ----------------------------------------------------------------------


def test_sqlite_full_text_table_stays_in_step_with_the_index(app, member, garden, make_post):
    if db.engine.dialect.name != "sqlite":
        assert db.session.scalar(text(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_search_index_document'")) == 1
        return
    post = make_post(garden, member, "Kale")
    post.body_html = "<p>Chard</p>"
    db.session.commit()
    db.session.delete(post)
    db.session.commit()
    db.session.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
    assert db.session.scalar(text("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'chard OR kale'")) == 0


# --- a caller's extra criteria (``where``) -------------------------------------------------------


def test_extra_criteria_narrow_the_ranked_query_and_keep_keyset_pages(app, member, garden, make_post):
    """``where`` goes into the one query: a match ranked below a full page of others is found on page one."""
    from core.search import search

    [make_post(garden, member, f"Seedling seedling seedling report {n}") for n in range(12)]
    wanted = [make_post(garden, member, f"A long note about many things, seedling {n}") for n in range(3)]
    ids = [post.id for post in wanted]
    with app.test_request_context():
        plain = search(member, "seedling", types=["post"], limit=10)
        assert not {hit.object_id for hit in plain.items} & set(ids)
        first = search(member, "seedling", types=["post"], limit=2, where=SearchEntry.object_id.in_(ids))
        rest = search(member, "seedling", types=["post"], limit=2, where=SearchEntry.object_id.in_(ids),
                      after=first.next)
    assert len(first.items) == 2 and first.next and len(rest.items) == 1 and rest.next is None
    assert sorted(hit.object_id for hit in first.items + rest.items) == sorted(ids)


def test_extra_criteria_keep_core_s_visibility_rules(app, client, make_user, make_group, make_post):
    from core.search import search

    owner = make_user("olga")
    secret = make_group(owner=owner, slug="secret", visibility="private")
    post = make_post(secret, owner, "Seedling secrets")
    with app.test_request_context():
        assert search(None, "seedling", where=SearchEntry.object_id == post.id).items == []
        assert [hit.object_id for hit in search(owner, "seedling", where=SearchEntry.object_id == post.id).items] \
            == [post.id]


def test_extra_criteria_reading_another_table_outside_a_subquery_are_refused(app, member, garden, make_post):
    from core.search import search

    make_post(garden, member, "Seedling report")
    with app.test_request_context(), pytest.raises(TypeError, match="posts"):
        search(member, "seedling", where=SearchEntry.object_id == Post.id)
    with app.test_request_context(), pytest.raises(TypeError, match="SQL expression"):
        search(member, "seedling", where="object_id = 1")
