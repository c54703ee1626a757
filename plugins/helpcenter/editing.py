"""Writing the directory: one place turns validated input into rows (admin pages and shipped data)."""
from __future__ import annotations

from typing import Any

from core.plugin_api import db
from plugins.helpcenter.models import Channel, EmergencyNumber, Helpline

SOURCE_FIELDS = ("source_name", "source_url", "verified_on")
HELPLINE_FIELDS = ("name", "country", "description", "open_24_7", "hours", "free", "anonymous", "languages",
                   "topics", *SOURCE_FIELDS)


def apply_helpline(helpline: Helpline, data: dict[str, Any]) -> Helpline:
    """Copy loaded ``HelplineSchema`` data onto ``helpline`` and replace its channels."""
    for key in HELPLINE_FIELDS:
        setattr(helpline, key, data[key])
    channels = [Channel(kind="phone", value=e164, display=display) for e164, display in data["phones"]]
    channels += [Channel(kind="sms", value=e164, display=display) for e164, display in data["sms"]]
    for kind, key in (("chat", "chat_url"), ("email", "email"), ("webform", "webform_url")):
        if data.get(key):
            channels.append(Channel(kind=kind, value=data[key]))
    for position, channel in enumerate(channels):
        channel.position = position
    helpline.channels = channels
    db.session.add(helpline)
    return helpline


def helpline_form_values(helpline: Helpline, languages: list[str]) -> dict[str, Any]:
    """The edit form's initial values: what an admin would type to get this entry."""
    by_kind: dict[str, list[Channel]] = {}
    for channel in helpline.channels:
        by_kind.setdefault(channel.kind, []).append(channel)

    def first(kind: str) -> str:
        return by_kind[kind][0].value if kind in by_kind else ""

    values: dict[str, Any] = {key: getattr(helpline, key) for key in HELPLINE_FIELDS if key != "description"}
    values.update(
        phones="\n".join(c.text for c in by_kind.get("phone", [])),
        sms="\n".join(c.text for c in by_kind.get("sms", [])),
        chat_url=first("chat"), email=first("email"), webform_url=first("webform"),
        languages=", ".join(helpline.languages or []),
        verified_on=helpline.verified_on.isoformat() if helpline.verified_on else "",
        source_url=helpline.source_url or "",
    )
    for lang in languages:
        values[f"description_{lang}"] = (helpline.description or {}).get(lang, "")
    return values


def apply_emergency_number(number: EmergencyNumber, data: dict[str, Any]) -> EmergencyNumber:
    number.number = data["number"]
    for key in SOURCE_FIELDS:
        setattr(number, key, data[key])
    db.session.add(number)
    return number
