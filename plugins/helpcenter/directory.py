"""Reading the directory: what the form offers, which helplines match, what admins must re-check."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Integer, null, or_
from sqlalchemy.orm import selectinload

from core.plugin_api import SupportResource, db, utcnow
from plugins.helpcenter.models import STALE_AFTER, EmergencyNumber, Helpline


@dataclass
class Referral:
    """What the form answers for a country and language; ``*_fallback`` say a choice was replaced."""

    country: str
    language: str
    emergency: EmergencyNumber | None
    helplines: list[Helpline] = field(default_factory=list)
    country_fallback: bool = False
    language_fallback: bool = False

    @property
    def in_language(self) -> list[Helpline]:
        return [h for h in self.helplines if h.speaks(self.language)]

    @property
    def other_languages(self) -> list[Helpline]:
        return [h for h in self.helplines if not h.speaks(self.language)]


def known_countries() -> set[str]:
    """Countries the directory has something for (a helpline or an emergency number)."""
    query = (
        db.select(Helpline.country).where(Helpline.retired_at.is_(None))
        .union(db.select(EmergencyNumber.country))
    )
    return set(db.session.scalars(query))


def known_languages() -> set[str]:
    """The site's languages plus every language an active helpline speaks."""
    languages = set(current_app.config["LANGUAGES"])
    for tags in db.session.scalars(db.select(Helpline.languages).where(Helpline.retired_at.is_(None))):
        languages.update(tags or ())
    return languages


def helplines_for(country: str, language: str) -> list[Helpline]:
    """Active helplines of a country with their channels; those speaking ``language`` first."""
    helplines = list(db.session.scalars(
        db.select(Helpline).where(Helpline.retired_at.is_(None), Helpline.country == country)
        .options(selectinload(Helpline.channels)).order_by(Helpline.name)
    ))
    return sorted(helplines, key=lambda h: not h.speaks(language))


def site_country() -> str:
    return current_app.config.get("DEFAULT_COUNTRY", "DE")


def referral(country: str, language: str, countries: set[str], languages: set[str]) -> Referral:
    """Resolve the person's choice against what the directory knows, falling back to site defaults."""
    country = (country or "").upper()
    country_fallback = country not in countries
    if country_fallback:
        country = site_country()
    language_fallback = language not in languages
    if language_fallback:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    return Referral(
        country=country,
        language=language,
        emergency=db.session.get(EmergencyNumber, country),
        helplines=helplines_for(country, language),
        country_fallback=country_fallback,
        language_fallback=language_fallback,
    )


def emergency_only(country: str, countries: set[str]) -> Referral:
    """Just the emergency number (the form page shows it before anything is chosen)."""
    country = country if country in countries else site_country()
    return Referral(country=country, language="", emergency=db.session.get(EmergencyNumber, country))


def needs_checking() -> list[tuple[str, int | None]]:
    """Entries not verified within a year: (helpline name, id) or (country, None) for emergency numbers."""
    cutoff = utcnow().date() - STALE_AFTER
    helplines = db.select(Helpline.name.label("label"), Helpline.id.label("id")).where(
        Helpline.retired_at.is_(None), or_(Helpline.verified_on.is_(None), Helpline.verified_on < cutoff)
    )
    numbers = db.select(EmergencyNumber.country, null().cast(Integer)).where(
        or_(EmergencyNumber.verified_on.is_(None), EmergencyNumber.verified_on < cutoff)
    )
    return [(label, id_) for label, id_ in db.session.execute(helplines.union_all(numbers).order_by("label"))]


# Helplines tagged with these topics come first when a concern of this kind is raised.
REASON_TOPICS = {"self_harm": frozenset({"suicide", "self_harm", "crisis"})}


def support_resources_for(locale: str, country: str | None, reason: str | None = None) -> list[SupportResource]:
    """The directory as ``SupportResource`` values for other plugins (emergency comes from core)."""
    country = (country or site_country()).upper()
    topics = REASON_TOPICS.get(reason or "", frozenset())
    helplines = sorted(helplines_for(country, locale or "en"), key=lambda h: not topics.intersection(h.topics))
    resources = []
    for helpline in helplines:
        phones = [c for c in helpline.channels if c.kind == "phone"]
        web = next((c for c in helpline.channels if c.kind in ("chat", "webform")), None)
        resources.append(SupportResource(
            name=helpline.name,
            kind="helpline",
            country=helpline.country,
            phone=phones[0].value if phones else None,
            phone_display=phones[0].text if phones else None,
            url=web.value if web else None,
            description=describe(helpline, locale),
            hours=hours_text(helpline),
            free=helpline.free,
            anonymous=helpline.anonymous,
            verified=helpline.verified,
            channels=tuple((c.kind, c.text, c.href) for c in helpline.channels),
        ))
    return resources


def describe(helpline: Helpline, locale: str | None) -> str:
    """The description in ``locale``, else the site's default language, else any there is."""
    texts = helpline.description or {}
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return texts.get(locale or default) or texts.get(default) or next(iter(texts.values()), "")


def hours_text(helpline: Helpline) -> str:
    if helpline.open_24_7:
        return _("Open 24 hours, 7 days a week")
    return helpline.hours
