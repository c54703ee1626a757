"""The page cache's versions in the database are replaced inside the write's own transaction.

Readers see the new versions and what they stand for together, and a write pays for no second
transaction. (Redis, which cannot take part in the transaction, is replaced right after the
commit: ``page_cache/test_invalidation.py`` runs every kind of write against both stores.)
"""
from __future__ import annotations

from core.extensions import db
from core.page_cache.versions import SITE


def commits_during(action) -> int:
    """How many transactions committed on the database while ``action`` ran."""
    from sqlalchemy import event

    count = [0]

    def counted(_connection):
        count[0] += 1

    event.listen(db.engine, "commit", counted)
    try:
        action()
    finally:
        event.remove(db.engine, "commit", counted)
    return count[0]


def version_of(key: str) -> int | None:
    from core.models import PageVersion

    with db.engine.connect() as connection:
        return connection.scalar(db.select(PageVersion.version).where(PageVersion.key == key))


def test_database_versions_are_replaced_in_the_writes_own_transaction(app, make_user):
    ada = make_user("ada")

    def rename():
        ada.display_name = "Ada L."
        db.session.commit()

    before = version_of(SITE)
    assert commits_during(rename) == 1  # no second transaction for the versions
    assert version_of(SITE) not in (None, before)


def test_a_comment_replaces_its_groups_version_in_the_same_transaction(app, make_user, make_group, make_post):
    from core.models import Comment
    from core.page_cache.versions import group_key

    ada = make_user("ada")
    group = make_group(owner=ada)
    post = make_post(group, ada)
    before = version_of(group_key(group.id))

    def comment():
        db.session.add(Comment(post_id=post.id, author_id=ada.id, body_source="Hi", body_html="<p>Hi</p>"))
        db.session.commit()

    assert commits_during(comment) == 1
    assert version_of(group_key(group.id)) not in (None, before)


def test_a_rolled_back_write_replaces_no_version(app, make_user):
    ada = make_user("ada")
    before = version_of(SITE)
    ada.display_name = "Never"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert version_of(SITE) == before


def test_a_released_savepoint_replaces_nothing_until_the_commit(app, make_user):
    ada = make_user("ada")
    before = version_of(SITE)
    with db.session.begin_nested():
        ada.display_name = "Ada L."
    assert version_of(SITE) == before
    db.session.commit()
    assert version_of(SITE) != before
