"""The database's part of ``flask plugins new``'s printed next steps, on SQLite and on PostgreSQL.

``test_scaffold.py`` runs the steps as printed (pip, flask and pytest processes) once, in the
SQLite run; here, in process, on each database: ``flask db upgrade`` applies the generated
plugin's own migration branch, making exactly the tables its models say, and its page reads them.
"""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from core.models import Group, Membership, User
from core.models.base import utcnow
from core.scaffold import DEMO_GROUP, PluginNames, create_plugin, page_path
from tests.core.test_migrations import built_app, flask_db, schema_differences


def demo_group() -> Group:
    """The public group ``flask seed`` makes, which the group scope's printed steps switch the plugin on in."""
    from core.extensions import db

    owner = User(username="olga", email="olga@example.org", display_name="Olga", locale="en",
                 adult_attested_at=utcnow(), email_confirmed_at=utcnow())
    owner.set_password("correct horse battery")
    db.session.add(owner)
    db.session.flush()
    group = Group(slug=DEMO_GROUP, name="Neighbours", created_by_id=owner.id, rules=[], member_count=1)
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=owner.id, role="owner"))
    return group


@pytest.mark.parametrize("scope", ["site", "group"])
def test_the_generated_migration_builds_the_tables_its_page_reads(tmp_path, monkeypatch, migrated_database_url,
                                                                   scope):
    from core.extensions import db
    from core.plugins import state as plugin_state

    names = PluginNames.from_id(f"tally_{scope}", scope)
    monkeypatch.syspath_prepend(str(create_plugin(names.plugin_id, tmp_path, scope=scope)))
    with built_app(migrated_database_url, plugins=[names.package], PASSWORD_HASH_METHOD="pbkdf2:sha256:1") as app:
        flask_db(app, "upgrade")
        assert names.table in inspect(db.engine).get_table_names()
        assert schema_differences(app) == []
        plugin_state.set_enabled(names.plugin_id, True)
        if scope == "group":
            plugin_state.set_group_enabled(names.plugin_id, demo_group(), True)
        db.session.commit()
        page = app.test_client().get(page_path(names))
    assert page.status_code == 200, page.get_data(as_text=True)[-2000:]
    assert names.title in page.get_data(as_text=True) and "Nothing here yet." in page.get_data(as_text=True)
