"""Orphaned files: stored files no avatar, post image or logo names are deleted by a daily job, on both backends.

Only files older than the grace period are considered, so an upload whose row is not committed
yet keeps its file; when the app cannot tell (a plugin with data is not loaded) nothing goes.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models.base import utcnow
from core.storage.renditions import rendition_keys
from tests.core.image_files import png, upload

LATER = timedelta(days=2)  # past the default grace period of a day


@pytest.fixture
def app_config(storage_config):
    return storage_config


def _store(prefix: str = "images", size=(800, 600)):
    """A file stored as an upload stores it, with no row naming it (yet)."""
    import io

    from core.storage import store_image

    return store_image(io.BytesIO(png(size=size)), max_side=1600, prefix=prefix, square=prefix == "avatars")


def _sweep(after: timedelta = LATER):
    from core.storage.orphans import sweep

    return sweep(now=utcnow() + after)


def test_an_old_file_no_row_names_is_deleted_with_its_renditions(app, stored_keys):
    with app.test_request_context():
        stored = _store("avatars", size=(300, 300))
    assert len(stored_keys()) == 3  # the avatar and its 64 and 128 px copies
    result = _sweep()
    assert (result.checked, result.deleted, result.skipped) == (3, 3, None)
    assert stored_keys() == []
    assert stored.key not in stored_keys()


def test_a_file_within_the_grace_period_is_kept_for_its_upload_in_flight(app, stored_keys):
    with app.test_request_context():
        stored = _store()
    assert _sweep(after=timedelta(hours=1)).deleted == 0
    assert stored.key in stored_keys()


def test_files_named_by_an_avatar_a_post_image_and_the_logo_are_kept(app, member, member_client, make_group,
                                                                     stored_keys):
    from core.models import PostImage
    from core.models.site import SiteProfile

    make_group(slug="club", members=[member], visibility="public")
    member_client.post("/settings/avatar", data={"avatar": upload(png(size=(300, 300)), "me.png")},
                       content_type="multipart/form-data")
    member_client.post("/g/club/posts", data={"body": "Look", "images": [upload(png(size=(900, 600)), "stall.png")]},
                       content_type="multipart/form-data")
    with app.test_request_context():
        logo = _store(size=(200, 100))
        orphan = _store()
    db.session.merge(SiteProfile(id=1, name="Our Street", logo_key=logo.key))
    db.session.commit()
    db.session.refresh(member)
    image_key = db.session.scalar(db.select(PostImage.file_key))
    kept = sorted([member.avatar_key, *rendition_keys(member.avatar_key), image_key, *rendition_keys(image_key),
                   logo.key])
    assert _sweep().deleted == 2  # the orphan and its 640 px copy
    assert stored_keys() == kept
    assert orphan.key not in stored_keys()


def test_the_file_of_a_replaced_avatar_left_behind_is_deleted(app, member, stored_keys):
    """A crash after the new avatar was committed, before the old file was deleted."""
    with app.test_request_context():
        old, new = _store("avatars", size=(100, 100)), _store("avatars", size=(100, 100))
    member.avatar_key = new.key
    db.session.commit()
    _sweep()
    assert stored_keys() == sorted([new.key, *(copy.key for copy in new.renditions)])
    assert old.key not in stored_keys()


def test_nothing_is_deleted_while_a_plugin_with_data_is_not_loaded(app, stored_keys):
    """A blocked or removed plugin may name files in its tables: they cannot be told from orphans."""
    from core.models.plugin_state import PluginState

    db.session.add(PluginState(plugin_id="ghost", enabled=True, settings={}))
    db.session.commit()
    with app.test_request_context():
        stored = _store(size=(100, 100))
    result = _sweep()
    assert result.deleted == 0 and "ghost" in result.skipped
    assert stored_keys() == [stored.key]


def test_the_sweep_says_how_to_let_it_go_on_after_an_uninstall(app):
    from core.models.plugin_state import PluginState

    db.session.add(PluginState(plugin_id="ghost", enabled=False, settings={}))
    db.session.commit()
    assert "flask plugins forget ID" in _sweep().skipped


def test_once_an_uninstalled_plugin_is_forgotten_the_sweep_goes_on(app, stored_keys):
    from core.models.plugin_state import PluginState

    db.session.add(PluginState(plugin_id="ghost", enabled=True, settings={}))
    db.session.commit()
    with app.test_request_context():
        stored = _store(size=(100, 100))
    result = app.test_cli_runner().invoke(args=["plugins", "forget", "ghost", "--yes"])
    assert result.exit_code == 0, result.output
    assert _sweep().deleted == 1
    assert stored.key not in stored_keys()


def test_the_sweep_is_a_daily_job_on_the_queue(app, job_queue, stored_keys):
    from datetime import UTC, datetime

    from core.jobs import get_registry
    from core.storage.orphans import JOB

    assert JOB in get_registry()
    app.config["STORAGE_ORPHAN_GRACE_SECONDS"] = 0  # the job runs at the real time: any file is old enough
    with app.test_request_context():
        _store(size=(100, 100))
    assert JOB not in job_queue.tick(datetime(2030, 1, 1, 3, 29, tzinfo=UTC))
    assert stored_keys()
    assert JOB in job_queue.tick(datetime(2030, 1, 1, 4, 29, tzinfo=UTC))
    assert stored_keys() == []


def test_an_image_attached_in_a_composer_but_not_yet_published_is_kept(app, member, member_client, make_group,
                                                                       stored_keys):
    """Its ``PendingImage`` row names it; the pending-images job, not this one, decides when it goes."""
    make_group(slug="club", members=[member], visibility="public")
    response = member_client.post("/g/club/posts", data={"body": "Draft", "attach": "1",
                                                         "images": [upload(png(size=(300, 200)), "a.png")]},
                                  content_type="multipart/form-data")
    assert response.status_code == 200
    attached = stored_keys()
    assert len(attached) == 1
    assert _sweep().deleted == 0
    assert stored_keys() == attached
