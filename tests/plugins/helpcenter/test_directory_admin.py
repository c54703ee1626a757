"""Site admins keep the helpline directory: add, edit, retire, restore; stale entries are flagged."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.extensions import db
from core.models.base import utcnow
from plugins.helpcenter.models import Channel, EmergencyNumber, Helpline

ADMIN_PAGES = [
    ("get", "/admin/helpcenter/"),
    ("get", "/admin/helpcenter/helplines/new"),
    ("post", "/admin/helpcenter/helplines/new"),
    ("get", "/admin/helpcenter/helplines/{id}/edit"),
    ("post", "/admin/helpcenter/helplines/{id}/edit"),
    ("post", "/admin/helpcenter/helplines/{id}/retire"),
    ("post", "/admin/helpcenter/helplines/{id}/restore"),
    ("get", "/admin/helpcenter/emergency/new"),
    ("get", "/admin/helpcenter/emergency/DE/edit"),
    ("post", "/admin/helpcenter/emergency/DE/edit"),
    ("get", "/admin/helpcenter/stats"),
]

NEW_HELPLINE = {
    "name": "Nummer gegen Kummer – Kinder- und Jugendtelefon",
    "country": "DE",
    "description_en": "For children and young people.",
    "description_de": "Für Kinder und Jugendliche.",
    "phones": "0800 111 0 333",
    "chat_url": "https://www.nummergegenkummer.de/",
    "hours": "Mo–Sa 14–20 Uhr",
    "free": "on",
    "anonymous": "on",
    "languages": "de",
    "topics": ["young_people", "family"],
    "source_name": "Nummer gegen Kummer e.V.",
    "source_url": "https://www.nummergegenkummer.de/",
    "verified_on": "2026-11-01",
}


def field_errors(page: str, name: str) -> list[str]:
    block = re.search(rf'<ul class="field-errors" id="{name}-error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.mark.parametrize("who", ["visitor", "member"])
@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_directory_pages_answer_404_to_everyone_but_site_admins(app, login, make_user, telefonseelsorge,
                                                               who, method, url):
    client = app.test_client()
    if who == "member":
        login(client, make_user("mo"))
    response = getattr(client, method)(url.format(id=telefonseelsorge.id), data={"name": "x"})
    assert response.status_code == 404
    db.session.refresh(telefonseelsorge)
    assert telefonseelsorge.name == "TelefonSeelsorge" and telefonseelsorge.retired_at is None


def test_directory_lists_entries_with_their_channels_and_sources(admin_client):
    page = admin_client.get("/admin/helpcenter/").get_data(as_text=True)
    assert "TelefonSeelsorge" in page and "0800 111 0 111" in page and "0800 111 0 222" in page
    assert "TelefonSeelsorge Deutschland" in page
    assert "Emergency numbers" in page and "<td>112</td>" in page


def test_admin_adds_a_helpline_stored_in_e164_and_shown_as_people_dial_it(admin_client, send_form, client):
    response = send_form(admin_client, "/admin/helpcenter/helplines/new", **NEW_HELPLINE)
    assert response.status_code == 302
    helpline = db.session.scalar(db.select(Helpline).where(Helpline.name.startswith("Nummer gegen Kummer")))
    [phone, chat] = helpline.channels
    assert (phone.kind, phone.value, phone.display) == ("phone", "+498001110333", "0800 111 0 333")
    assert (chat.kind, chat.value) == ("chat", "https://www.nummergegenkummer.de/")
    assert helpline.description == {"en": "For children and young people.", "de": "Für Kinder und Jugendliche."}
    assert helpline.topics == ["young_people", "family"] and helpline.languages == ["de"]
    assert helpline.free and helpline.anonymous and not helpline.open_24_7
    assert helpline.verified_on.isoformat() == "2026-11-01"
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert 'href="tel:+498001110333"' in page and "0800 111 0 333" in page and "Mo–Sa 14–20 Uhr" in page


def test_a_number_typed_without_grouping_is_shown_in_the_national_format(admin_client, send_form):
    send_form(admin_client, "/admin/helpcenter/helplines/new", **{**NEW_HELPLINE, "phones": "+49 30 12345678"})
    channel = db.session.scalar(db.select(Channel).where(Channel.value == "+493012345678"))
    assert channel.display == "030 12345678"


@pytest.mark.parametrize("phones", ["0800 12", "not a number", "0800 111 0 111\n12345"])
def test_invalid_phone_number_gets_a_message_at_the_field_and_every_value_is_kept(admin_client, send_form,
                                                                                  phones):
    response = send_form(admin_client, "/admin/helpcenter/helplines/new", **{**NEW_HELPLINE, "phones": phones})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    [message] = field_errors(page, "phones")
    assert "is not a valid phone number in Germany" in message
    assert 'aria-invalid="true" aria-describedby="phones-error"' in page
    assert f">{phones}</textarea>" in page
    assert 'value="Nummer gegen Kummer – Kinder- und Jugendtelefon"' in page
    assert 'value="young_people" checked' in page
    assert db.session.scalar(db.select(db.func.count(Helpline.id))) == 1


@pytest.mark.parametrize("field", ["chat_url", "webform_url", "source_url"])
@pytest.mark.parametrize("value", ["not a url", "javascript:alert(1)", "ftp://example.org/x"])
def test_invalid_web_address_gets_a_message_at_the_field(admin_client, send_form, field, value):
    response = send_form(admin_client, "/admin/helpcenter/helplines/new", **{**NEW_HELPLINE, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(page, field) == ["Enter a full web address starting with https://"]
    assert f'value="{value}"' in page


def test_invalid_email_and_language_codes_get_messages_at_their_fields(admin_client, send_form):
    page = send_form(admin_client, "/admin/helpcenter/helplines/new",
                     **{**NEW_HELPLINE, "email": "kummer at example", "languages": "german, de"}).get_data(
        as_text=True)
    assert field_errors(page, "email") == ["Enter an email address like name@example.org."]
    assert field_errors(page, "languages") == ["Use language codes such as de, en or pt-BR (not: german)."]


def test_entry_needs_a_way_to_reach_it_hours_and_a_source_for_its_date(admin_client, send_form):
    page = send_form(admin_client, "/admin/helpcenter/helplines/new",
                     **{**NEW_HELPLINE, "phones": "", "chat_url": "", "hours": "", "source_url": ""}).get_data(
        as_text=True)
    assert field_errors(page, "phones") == ["Give at least one way to reach the helpline."]
    assert field_errors(page, "hours") == ["Give the opening hours, or tick “Open 24 hours, 7 days a week”."]
    assert field_errors(page, "source_url") == ["Give the web address you verified the entry against."]


def test_verification_date_cannot_be_in_the_future(admin_client, send_form):
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    page = send_form(admin_client, "/admin/helpcenter/helplines/new",
                     **{**NEW_HELPLINE, "verified_on": tomorrow}).get_data(as_text=True)
    assert field_errors(page, "verified_on") == ["The verification date cannot be in the future."]


def test_entry_without_a_verification_date_is_saved_as_unverified(admin_client, send_form):
    send_form(admin_client, "/admin/helpcenter/helplines/new", **{**NEW_HELPLINE, "verified_on": ""})
    helpline = db.session.scalar(db.select(Helpline).where(Helpline.name.startswith("Nummer gegen Kummer")))
    assert helpline.verified_on is None and not helpline.verified


def test_edit_form_shows_the_entry_as_an_admin_would_type_it(admin_client, telefonseelsorge):
    page = admin_client.get(f"/admin/helpcenter/helplines/{telefonseelsorge.id}/edit").get_data(as_text=True)
    assert ">0800 111 0 111\n0800 111 0 222</textarea>" in page
    assert 'value="https://online.telefonseelsorge.de/"' in page
    assert 'id="field-open_24_7" name="open_24_7" type="checkbox" checked' in page
    assert 'value="2026-11-21"' in page


def test_admin_edits_an_entry_and_the_change_reaches_the_form(admin_client, send_form, client, telefonseelsorge):
    edit = f"/admin/helpcenter/helplines/{telefonseelsorge.id}/edit"
    values = {"name": "TelefonSeelsorge", "country": "DE", "phones": "0800 111 0 111", "open_24_7": "on",
              "free": "on", "anonymous": "on", "languages": "de, en", "source_name": "TelefonSeelsorge",
              "source_url": "https://www.telefonseelsorge.de/", "verified_on": "2026-11-20"}
    assert send_form(admin_client, edit, token_from=edit, **values).status_code == 302
    db.session.refresh(telefonseelsorge)
    assert [c.display for c in telefonseelsorge.channels] == ["0800 111 0 111"]
    assert telefonseelsorge.languages == ["de", "en"]
    page = send_form(client, path="support", country="DE", language="en").get_data(as_text=True)
    assert "0800 111 0 111" in page and "0800 111 0 222" not in page
    assert "We know of no helpline here" not in page


def test_retiring_hides_an_entry_everywhere_and_restoring_brings_it_back(admin_client, send_form, client,
                                                                         telefonseelsorge):
    retire = f"/admin/helpcenter/helplines/{telefonseelsorge.id}/retire"
    assert send_form(admin_client, retire, token_from="/admin/helpcenter/").status_code == 302
    assert "0800 111 0 111" not in send_form(client, path="support", country="DE", language="de").get_data(
        as_text=True)
    assert "(retired)" in admin_client.get("/admin/helpcenter/").get_data(as_text=True)

    restore = f"/admin/helpcenter/helplines/{telefonseelsorge.id}/restore"
    assert send_form(admin_client, restore, token_from="/admin/helpcenter/").status_code == 302
    assert "0800 111 0 111" in send_form(client, path="support", country="DE", language="de").get_data(
        as_text=True)


def test_unknown_entry_is_404(admin_client):
    assert admin_client.get("/admin/helpcenter/helplines/9999/edit").status_code == 404
    assert admin_client.get("/admin/helpcenter/emergency/ZZ/edit").status_code == 404


def test_entries_not_verified_for_12_months_are_flagged_on_the_admin_dashboard(admin_client, telefonseelsorge):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Every directory entry was verified in the last 12 months." in page

    telefonseelsorge.verified_on = (utcnow() - timedelta(days=366)).date()
    db.session.get(EmergencyNumber, "AT").verified_on = None
    db.session.commit()
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "2 directory entries have not been verified in the last 12 months." in page
    assert f'href="/admin/helpcenter/helplines/{telefonseelsorge.id}/edit">TelefonSeelsorge</a>' in page
    assert 'href="/admin/helpcenter/emergency/AT/edit">Emergency number for Austria</a>' in page
    assert "Needs checking" in admin_client.get("/admin/helpcenter/").get_data(as_text=True)


def test_retired_entries_are_not_flagged(admin_client, telefonseelsorge):
    telefonseelsorge.verified_on = None
    telefonseelsorge.retired_at = utcnow()
    db.session.commit()
    assert "Every directory entry was verified" in admin_client.get("/admin/").get_data(as_text=True)


def test_admin_corrects_an_emergency_number(admin_client, send_form, client):
    url = "/admin/helpcenter/emergency/DE/edit"
    values = {"country": "DE", "number": "110", "source_name": "Polizei", "source_url": "https://www.polizei.de/",
              "verified_on": "2026-11-01"}
    assert send_form(admin_client, url, token_from=url, **values).status_code == 302
    assert db.session.get(EmergencyNumber, "DE").number == "110"
    assert 'href="tel:110"' in client.get("/help").get_data(as_text=True)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"country": "DE", "number": "11a"}, "number", "An emergency number has 2 to 6 digits."),
    ({"country": "XX", "number": "112"}, "country", "Choose a country from the list."),
    ({"country": "DE", "number": "112"}, "country", "This country already has an emergency number; edit it instead."),
])
def test_invalid_emergency_number_input_gets_a_message_at_the_field(admin_client, send_form, values, field,
                                                                    message):
    response = send_form(admin_client, "/admin/helpcenter/emergency/new", **values)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), field) == [message]


def test_admin_adds_an_emergency_number_for_a_new_country(admin_client, send_form, client):
    values = {"country": "CH", "number": "112", "source_name": "", "source_url": "", "verified_on": ""}
    assert send_form(admin_client, "/admin/helpcenter/emergency/new", **values).status_code == 302
    number = db.session.get(EmergencyNumber, "CH")
    assert number.number == "112" and not number.verified
    page = send_form(client, path="support", country="CH", language="de").get_data(as_text=True)
    assert "Call the emergency number in Switzerland now" in page and "Not verified" in page


def test_blank_name_is_required_and_a_bad_date_is_explained(admin_client, send_form):
    page = send_form(admin_client, "/admin/helpcenter/helplines/new",
                     **{**NEW_HELPLINE, "name": "   ", "verified_on": "21.11."}).get_data(as_text=True)
    assert field_errors(page, "name") == ["This field is required."]
    assert field_errors(page, "verified_on") == ["Enter a valid date."]


def test_a_german_admin_reads_the_messages_in_german(app, make_user, login, send_form):
    admin = login(app.test_client(), make_user("greta", is_site_admin=True, locale="de"))
    response = send_form(admin, "/admin/helpcenter/helplines/new", **{**NEW_HELPLINE, "phones": "0800 12"})
    page = response.get_data(as_text=True)
    assert field_errors(page, "phones") == ["Zeile 1: „0800 12“ ist keine gültige Telefonnummer in Deutschland."]
    assert "Telefonnummern, eine pro Zeile" in page
