"""``core.ui.page_constant``: a fragment built once per app, host, mount point, language and key."""
from __future__ import annotations

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from core.i18n import text
from core.ui import page_constant


def test_built_once_per_key_host_mount_point_and_language(app):
    built = []

    def build():
        built.append(1)
        return gettext("Settings")

    with app.test_request_context("/"):
        assert page_constant(("test", 1), build) == "Settings"
        assert page_constant(("test", 1), build) == "Settings"
        assert len(built) == 1
        page_constant(("test", 2), build)
        assert len(built) == 2
        with force_locale("de"):
            assert page_constant(("test", 1), build) == "Einstellungen"
            assert page_constant(("test", 1), build) == "Einstellungen"
        assert len(built) == 3
        assert page_constant(("test", 1), build) == "Settings"
    with app.test_request_context("/", base_url="http://localhost/community"):
        page_constant(("test", 1), build)
    with app.test_request_context("/", base_url="http://other.example/"):
        page_constant(("test", 1), build)
    assert len(built) == 5
    with app.app_context():  # outside a request: simply built
        page_constant(("test", 1), build)
        page_constant(("test", 1), build)
    assert len(built) == 7


def test_text_translates_lazy_labels_as_str_does(app):
    with app.test_request_context("/"):
        for label in (_l("Settings"), _l("%(n)s unread", n=3), "plain", 5):
            assert text(label) == str(label)
        with force_locale("de"):
            assert text(_l("Settings")) == str(_l("Settings")) == "Einstellungen"
