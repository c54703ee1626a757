"""The referral form at /help: two paths, country and language, the result on screen at once."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.extensions import db
from core.models.base import utcnow
from plugins.helpcenter.models import UsageCount


def form_html(page: str) -> str:
    return re.search(r'<form method="post" action="/help".*?</form>', page, re.S).group(0)


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select id="field-{name}" name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]+)" selected>', select).group(1)


def test_form_offers_two_paths_country_and_language_and_no_free_text(client):
    page = client.get("/help").get_data(as_text=True)
    form = form_html(page)
    assert 'value="support"' in form and "I need support" in form
    assert 'value="worried"' in form and "I'm worried about someone" in form
    assert 'name="country"' in form and 'name="language"' in form
    assert "<textarea" not in form
    assert not re.search(r'type="(text|email|search|url|tel)"', form)


def test_form_page_shows_the_emergency_number_before_anything_is_chosen(client):
    page = client.get("/help").get_data(as_text=True)
    assert "If someone is in immediate danger" in page
    assert 'href="tel:112"' in page
    assert page.index('href="tel:112"') < page.index("<form method=\"post\" action=\"/help\"")


def test_country_and_language_default_from_the_members_settings(app, make_user, login):
    member = make_user("anna", country="AT", locale="de")
    page = login(app.test_client(), member).get("/help").get_data(as_text=True)
    assert selected(page, "country") == "AT"
    assert selected(page, "language") == "de"


def test_country_and_language_default_from_the_browser_for_visitors(client):
    page = client.get("/help", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert selected(page, "country") == "AT"
    assert selected(page, "language") == "de"


def test_visitor_without_hints_gets_the_site_defaults(client):
    page = client.get("/help").get_data(as_text=True)
    assert selected(page, "country") == "DE"
    assert selected(page, "language") == "en"


def test_support_path_shows_emergency_number_first_then_every_channel_and_the_busy_note(client, send_form):
    response = send_form(client, path="support", country="DE", language="de")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index("If someone is in immediate danger") < page.index("TelefonSeelsorge")
    assert page.index('href="tel:112"') < page.index("TelefonSeelsorge")
    for expected in ('href="tel:+498001110111"', "0800 111 0 111", 'href="tel:+498001110222"', "0800 111 0 222",
                     'href="https://online.telefonseelsorge.de/"', "Chat", "Mail (web form)",
                     "Open 24 hours, 7 days a week", "Free of charge", "You can stay anonymous",
                     "Lines can be busy"):
        assert expected in page
    assert "suggested-message" not in page


def test_worried_path_adds_guidance_and_a_suggested_message_to_copy(client, send_form):
    page = send_form(client, path="worried", country="DE", language="de").get_data(as_text=True)
    assert "How to reach out" in page
    message = re.search(r'<textarea id="suggested-message" readonly[^>]*>(.*?)</textarea>', page, re.S)
    assert message and "I've been thinking about you" in message.group(1)
    assert "0800 111 0 111" in page and 'href="tel:112"' in page


@pytest.mark.parametrize("country", ["XX", "US", "", "de; drop table"])
def test_unknown_country_falls_back_to_the_site_default_and_says_so(client, send_form, country):
    response = send_form(client, path="support", country=country, language="de")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We have no information for the country you chose, so we show Germany" in page
    assert "0800 111 0 111" in page and 'href="tel:112"' in page


@pytest.mark.parametrize("language", ["tlh", "", "xx-YY"])
def test_unknown_language_falls_back_to_the_site_default_and_says_so(client, send_form, language):
    page = send_form(client, path="support", country="DE", language=language).get_data(as_text=True)
    assert "We don't know the language you chose, so we show English" in page
    assert "0800 111 0 111" in page


def test_helplines_not_speaking_the_language_are_still_shown_with_a_note(client, send_form):
    page = send_form(client, path="support", country="DE", language="en").get_data(as_text=True)
    assert "We know of no helpline here that speaks English" in page
    assert "0800 111 0 111" in page


def test_country_without_helplines_still_shows_its_emergency_number(client, send_form):
    page = send_form(client, path="support", country="FR", language="en").get_data(as_text=True)
    assert "Call the emergency number in France now" in page and 'href="tel:112"' in page
    assert "We don't know of a helpline in this country yet" in page
    assert "TelefonSeelsorge" not in page


def test_missing_path_rerenders_the_form_with_the_message_at_the_field_and_choices_kept(client, send_form):
    response = send_form(client, country="AT", language="de")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="path-error">\s*<li>Choose whether you need support or are worried about someone',
                     page)
    assert selected(page, "country") == "AT"
    assert db.session.scalar(db.select(db.func.count()).select_from(UsageCount)) == 0


def test_made_up_path_is_refused_at_the_field(client, send_form):
    response = send_form(client, path="gossip", country="DE", language="de")
    assert response.status_code == 400
    assert 'id="path-error"' in response.get_data(as_text=True)


class TestWithCsrfOn:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_form_replayed_without_csrf_token_is_refused_and_nothing_is_written(self, client, job_queue,
                                                                                  make_user, login):
        member_client = login(client, make_user("mia"))
        response = member_client.post("/help", data={"path": "support", "country": "DE", "language": "de"})
        assert response.status_code == 400
        assert db.session.scalar(db.select(db.func.count()).select_from(UsageCount)) == 0
        assert job_queue.queued() == []

    def test_form_with_its_token_is_accepted(self, client, send_form):
        assert send_form(client, path="support", country="DE", language="de").status_code == 200


def test_result_page_is_never_cached(client, send_form):
    response = send_form(client, path="support", country="DE", language="de")
    assert response.headers["Cache-Control"] == "no-store"


def test_retired_helpline_is_not_offered(client, send_form, telefonseelsorge):
    telefonseelsorge.retired_at = utcnow()
    db.session.commit()
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert "TelefonSeelsorge" not in page and "0800 111 0 111" not in page
    assert 'href="tel:112"' in page


@pytest.mark.parametrize("verified_on", [None, "stale"])
def test_unverified_or_stale_data_is_marked_and_never_shown_as_verified(client, send_form, telefonseelsorge,
                                                                       verified_on):
    telefonseelsorge.verified_on = (utcnow() - timedelta(days=400)).date() if verified_on else None
    db.session.commit()
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert "Not verified" in page
    assert "Checked on" not in page


def test_verified_entry_names_its_source_and_date(client, send_form, telefonseelsorge):
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert 'Checked on Nov 21, 2026 against <a href="https://www.telefonseelsorge.de/">' in page


def test_footer_links_to_the_help_center_on_every_page(client):
    for url in ("/", "/g/", "/help", "/login", "/does-not-exist"):
        assert '<a href="/help">Get help</a>' in client.get(url).get_data(as_text=True), url


@pytest.mark.parametrize("url", ["/help", "/help/get-help", "/help/help-a-friend", "/help/reporting"])
def test_help_pages_stay_within_the_query_budget(app, make_user, login, count_queries, url):
    member_client = login(app.test_client(), make_user("quentin", country="DE", locale="de"))
    member_client.get(url)
    with count_queries() as queries:
        assert member_client.get(url).status_code == 200
    assert len(queries) <= 6, queries


def test_a_get_of_the_help_pages_never_writes(client, count_queries):
    with count_queries() as queries:
        for url in ("/help", "/help/get-help", "/help/help-a-friend", "/help/reporting"):
            client.get(url)
    assert not [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_german_page_for_a_german_browser(client, send_form):
    client.get("/help", headers={"Accept-Language": "de-DE"})
    page = client.get("/help", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert "Ich mache mir Sorgen um jemanden" in page
    assert "Wenn jemand in akuter Gefahr ist" in page
