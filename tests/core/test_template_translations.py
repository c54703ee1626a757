"""Templates look the catalog up once per request, yet follow every switch of language within it."""
from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh


def test_forced_locale_inside_a_request_translates_templates_and_switches_back(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string('{{ _("Log out") }}') == "Log out"
        with force_locale("de"):
            assert render_template_string('{{ _("Log out") }}') == "Abmelden"
            assert render_template_string('{{ ngettext("%(num)s comment", "%(num)s comments", 2) }}') == "2 Kommentare"
        assert render_template_string('{{ _("Log out") }}') == "Log out"


def test_refreshed_locale_is_picked_up_by_templates(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string('{{ _("Log out") }}') == "Log out"
        with app.test_request_context("/", headers={"Accept-Language": "de"}):
            refresh()
            assert render_template_string('{{ _("Log out") }}') == "Abmelden"


def test_templates_translate_outside_a_request(app):
    with app.app_context(), force_locale("de"):
        assert render_template_string('{{ _("Log out") }}') == "Abmelden"
