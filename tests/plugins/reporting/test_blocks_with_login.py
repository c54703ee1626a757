"""The viewer's blocks ride along with their login (``login_columns``): the policy checks of a page
(the comment form under a post) ask no statement of their own, and still see every block, both ways."""
from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from core.auth.login_columns import VALUES
from core.extensions import db
from plugins.reporting import blocks

BLOCKS_ALONE = "SELECT reporting_blocks.blocker_id, reporting_blocks.blocked_id"


def comment_form(post) -> str:
    return f'action="/g/garden/p/{post.id}/comments"'


def block(client_for, blocker, blocked) -> None:
    assert client_for(blocker).post("/blocks", data={"user_id": blocked.id}).status_code == 302


@pytest.fixture
def carols_post(community, make_post):
    return make_post(community.group, community.carol, "Carol's seedlings")


def test_the_post_page_asks_no_statement_of_its_own_for_the_viewers_blocks(community, client_for, count_queries,
                                                                            carols_post):
    alice = client_for(community.alice)
    alice.get(f"/g/garden/p/{carols_post.id}")
    with count_queries() as statements:
        page = alice.get(f"/g/garden/p/{carols_post.id}").text
    assert comment_form(carols_post) in page
    assert not [s for s in statements if s.startswith(BLOCKS_ALONE)]
    assert any("reporting_blocks" in s and "AS cg_u_id" in s for s in statements)


def test_a_moderator_who_blocked_the_author_sees_the_post_but_cannot_comment(community, client_for, carols_post):
    block(client_for, community.moderator, community.carol)
    page = client_for(community.moderator).get(f"/g/garden/p/{carols_post.id}")
    assert page.status_code == 200 and "seedlings" in page.text
    assert comment_form(carols_post) not in page.text


def test_a_moderator_blocked_by_the_author_cannot_comment_either(community, client_for, carols_post):
    block(client_for, community.carol, community.moderator)
    page = client_for(community.moderator).get(f"/g/garden/p/{carols_post.id}")
    assert page.status_code == 200 and "seedlings" in page.text
    assert comment_form(carols_post) not in page.text


def test_a_block_of_someone_else_leaves_the_comment_form(community, client_for, carols_post):
    block(client_for, community.moderator, community.bob)
    block(client_for, community.alice, community.moderator)
    page = client_for(community.moderator).get(f"/g/garden/p/{carols_post.id}").text
    assert comment_form(carols_post) in page


def test_without_the_values_read_at_login_the_blocks_are_queried(community, client_for, carols_post, monkeypatch,
                                                                 count_queries):
    block(client_for, community.moderator, community.carol)
    monkeypatch.setattr(blocks, "login_values", lambda plugin_id, user: None)
    moderator = client_for(community.moderator)
    with count_queries() as statements:
        page = moderator.get(f"/g/garden/p/{carols_post.id}").text
    assert comment_form(carols_post) not in page
    assert [s for s in statements if s.startswith(BLOCKS_ALONE)]


def test_the_value_read_at_login_gives_each_block_with_its_direction(community, client_for, app, count_queries):
    block(client_for, community.alice, community.bob)
    block(client_for, community.carol, community.alice)
    block(client_for, community.bob, community.carol)  # not alice's: left out
    alice = community.alice
    read_at_login = db.session.scalar(select(blocks.login_column(alice.id)[blocks.LOGIN_COLUMN]))
    with app.test_request_context():
        g.setdefault(VALUES, (alice.id, {"reporting": {blocks.LOGIN_COLUMN: read_at_login}}))
        with count_queries() as statements:
            relations = blocks.relations_of(alice.id)
    assert relations == {community.bob.id: (True, False), community.carol.id: (False, True)}
    assert statements == []


def test_a_member_whose_login_read_no_block_is_answered_from_that_alone(community, app, monkeypatch):
    monkeypatch.setattr(blocks, "relations_of", lambda user_id: pytest.fail("relations_of was asked"))
    with app.test_request_context():
        g.setdefault(VALUES, (community.alice.id, {"reporting": {blocks.LOGIN_COLUMN: None}}))
        assert blocks.blocked_either_way(community.alice.id, community.bob.id) is False


def block_filters(statements: list[str]) -> list[str]:
    """Statements that filter by the viewer's blocks (the login statement only reads them)."""
    return [s for s in statements if "reporting_blocks" in s and "AS cg_u_id" not in s]


def test_a_member_who_blocks_nobody_gets_pages_without_a_block_filter(community, client_for, count_queries,
                                                                      carols_post):
    alice = client_for(community.alice)
    with count_queries() as statements:
        assert "seedlings" in alice.get(f"/g/garden/p/{carols_post.id}").text
        assert "seedlings" in alice.get("/g/garden").text
    assert statements and block_filters(statements) == []


def test_a_member_who_blocks_someone_gets_the_block_filter(community, client_for, count_queries, carols_post):
    block(client_for, community.alice, community.bob)
    alice = client_for(community.alice)
    with count_queries() as statements:
        feed = alice.get("/g/garden").text
    assert "seedlings" in feed and "tomatoes" not in feed, "bob's post is hidden from alice"
    assert block_filters(statements)


def test_a_member_blocked_by_someone_gets_the_block_filter(community, client_for, count_queries):
    block(client_for, community.bob, community.alice)
    with count_queries() as statements:
        feed = client_for(community.alice).get("/g/garden").text
    assert "tomatoes" not in feed, "bob blocked alice: she does not see his post"
    assert block_filters(statements)


def test_a_block_made_during_the_request_is_filtered_from_then_on(community, app):
    from core.visibility import hidden_user_select
    from plugins.reporting.models import Block

    alice = community.alice
    read_at_login = db.session.scalar(select(blocks.login_column(alice.id)[blocks.LOGIN_COLUMN]))
    with app.test_request_context():
        g.setdefault(VALUES, (alice.id, {"reporting": {blocks.LOGIN_COLUMN: read_at_login}}))
        assert hidden_user_select(alice) is None, "no block read with the login: no filter"
        db.session.add(Block(blocker_id=alice.id, blocked_id=community.bob.id))
        db.session.flush()
        hidden = hidden_user_select(alice)
        assert hidden is not None
        assert db.session.scalars(hidden).all() == [community.bob.id]
        db.session.rollback()


def test_without_a_login_the_database_is_asked_even_for_someone_who_blocks_nobody(community, app):
    from core.visibility import hidden_user_select

    with app.test_request_context():
        hidden = hidden_user_select(community.alice)
        assert hidden is not None and db.session.scalars(hidden).all() == []


def test_a_filter_built_into_the_login_statement_is_dropped_once_no_block_was_read(community, app):
    """Another plugin's login column (conversations' unread count) embeds the block filter before the
    blocks are read; the page's own statements, built after, need none."""
    from core.auth.login_columns import LoginViewer, keep
    from core.visibility import hidden_user_select

    alice = community.alice
    with app.test_request_context():
        assert hidden_user_select(LoginViewer(alice.id)) is not None, "nothing read yet: the database decides"
        keep(alice.id, (("reporting", blocks.LOGIN_COLUMN),), (None,))
        assert hidden_user_select(alice) is None
