"""Which pages a bulk statement retires: every page, unless its table or the statement says less."""
from __future__ import annotations

from sqlalchemy import update

from core.extensions import db
from core.models import User
from core.page_cache.scopes import pending
from core.page_cache.versions import SITE, user_key


def test_a_bulk_update_of_a_shown_table_retires_every_page(app, make_user):
    ada = make_user("ada")
    db.session.commit()
    db.session.execute(update(User).where(User.id == ada.id).values(bio="Gardener"))
    assert pending(db.session) == {SITE}


def test_a_bulk_update_naming_its_pages_retires_only_those(app, make_user):
    ada = make_user("ada")
    db.session.commit()
    db.session.execute(update(User).where(User.id == ada.id).values(bio="Gardener")
                       .execution_options(page_cache_keys=(user_key(ada.id),)))
    assert pending(db.session) == {user_key(ada.id)}


def test_a_bulk_update_naming_no_pages_retires_none(app, make_user):
    ada = make_user("ada")
    db.session.commit()
    db.session.execute(update(User).where(User.id == ada.id).values(bio="Gardener")
                       .execution_options(page_cache_keys=()))
    assert pending(db.session) == set()
