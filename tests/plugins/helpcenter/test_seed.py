"""The directory ships with TelefonSeelsorge and the 112 emergency number, as data with its sources."""
from __future__ import annotations

import json
from pathlib import Path

from core.extensions import db
from core.plugins import get_plugins
from core.plugins import state as plugin_state
from plugins.helpcenter.models import EmergencyNumber, Helpline
from plugins.helpcenter.seed import DATA_DIR


def test_enabling_the_plugin_fills_an_empty_directory(telefonseelsorge):
    ts = telefonseelsorge
    assert ts.country == "DE" and ts.free and ts.anonymous and ts.open_24_7 and ts.languages == ["de"]
    assert [(c.kind, c.value, c.text) for c in ts.channels] == [
        ("phone", "+498001110111", "0800 111 0 111"),
        ("phone", "+498001110222", "0800 111 0 222"),
        ("chat", "https://online.telefonseelsorge.de/", "online.telefonseelsorge.de"),
        ("webform", "https://online.telefonseelsorge.de/", "online.telefonseelsorge.de"),
    ]
    assert ts.source_url == "https://www.telefonseelsorge.de/" and ts.source_name
    assert ts.verified_on.isoformat() == "2026-11-21" and ts.verified
    assert set(ts.description) == {"en", "de"}
    germany = db.session.get(EmergencyNumber, "DE")
    assert germany.number == "112" and germany.source_url.startswith("https://") and germany.verified_on


def test_112_is_shipped_for_every_eu_member_state(app):
    eu = set("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
    numbers = {n.country: n.number for n in db.session.scalars(db.select(EmergencyNumber))}
    assert set(numbers) == eu and set(numbers.values()) == {"112"}


def test_every_shipped_entry_names_its_source_and_verification_date():
    for name in ("helplines.json", "emergency_numbers.json"):
        for entry in json.loads((DATA_DIR / name).read_text(encoding="utf-8")):
            assert entry["source_name"] and entry["source_url"].startswith("https://"), entry
            assert entry["verified_on"], entry


def test_re_enabling_keeps_what_the_admin_did_with_the_directory(app, telefonseelsorge):
    from core.models.base import utcnow

    telefonseelsorge.retired_at = utcnow()
    db.session.commit()
    plugin_state.set_enabled("helpcenter", False)
    plugin_state.set_enabled("helpcenter", True)
    [only] = db.session.scalars(db.select(Helpline)).all()
    assert only.retired_at is not None


def test_seed_demo_fills_an_empty_directory_once(app):
    db.session.execute(db.delete(Helpline))
    db.session.execute(db.delete(EmergencyNumber))
    db.session.commit()
    for _ in range(2):
        get_plugins().call("seed_demo", app=app)
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Helpline.id))) == 1
    assert db.session.scalar(db.select(db.func.count(EmergencyNumber.country))) == 27


def test_shipped_data_files_are_package_data():
    setup_cfg = (Path(__file__).parents[3] / "setup.cfg").read_text()
    assert "*.json" in setup_cfg.split("[options.package_data]", 1)[1].split("[", 1)[0]
