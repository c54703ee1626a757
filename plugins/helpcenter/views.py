"""Public pages: the referral form at /help and the help section's guides."""
from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Blueprint, abort, current_app, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user

from core.plugin_api import country_name, db, load_form
from plugins.helpcenter import directory, mail, rate_limit, submission, usage
from plugins.helpcenter.padding import pad_response
from plugins.helpcenter.schemas import ReferralSchema
from plugins.helpcenter.topics import topic_label

bp = Blueprint("helpcenter", __name__, template_folder="templates", static_folder="static",
               static_url_path="/help/static")

bp.after_request(pad_response)

GUIDES = {
    "get-help": "helpcenter/guides/get_help.html",
    "help-a-friend": "helpcenter/guides/help_a_friend.html",
    "reporting": "helpcenter/guides/reporting.html",
}


def ui_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.app_template_filter("helpcenter_language")
def language_name(tag: str) -> str:
    """"de" -> "German" / "Deutsch", in the reader's language."""
    try:
        name = Locale.parse(tag, sep="-").get_display_name(ui_locale())
    except (ValueError, UnknownLocaleError):
        return tag
    return name[:1].upper() + name[1:] if name else tag


@bp.app_template_filter("helpcenter_country")
def country(code: str) -> str:
    return country_name(code, ui_locale())


@bp.app_template_filter("helpcenter_description")
def description(helpline: Any) -> str:
    """In the language being rendered (emails are rendered in the member's)."""
    return directory.describe(helpline, ui_locale())


@bp.app_template_filter("helpcenter_hours")
def hours(helpline: Any) -> str:
    return directory.hours_text(helpline)


@bp.app_template_filter("helpcenter_topic")
def topic(code: str) -> str:
    return topic_label(code)


def default_country(countries: set[str]) -> str:
    """The country asked for (``?country=``, e.g. from a link to "Get help"), else the member's, else
    the region of the browser's language ("de-AT" -> AT), else the site's."""
    asked = (request.args.get("country") or "").strip().upper()
    if asked in countries:
        return asked
    if current_user.is_authenticated and current_user.country in countries:
        return current_user.country
    for tag, _quality in request.accept_languages:
        parts = tag.replace("_", "-").split("-")
        if len(parts) > 1 and parts[-1].upper() in countries:
            return parts[-1].upper()
    return directory.site_country()


def default_language(languages: set[str]) -> str:
    """The member's language, else the visitor's chosen or browser language, else the site's."""
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(sorted(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _form_page(values: dict, errors: dict, countries: set[str], languages: set[str], status: int = 200):
    """The form, with the emergency number for the preselected country above it."""
    country_options = sorted(((c, country(c)) for c in countries), key=lambda pair: pair[1])
    language_options = sorted(((tag, language_name(tag)) for tag in languages), key=lambda pair: pair[1])
    here = directory.emergency_only(values.get("country", ""), countries)
    return render_template("helpcenter/form.html", values=values, errors=errors, here=here,
                           country_options=country_options, language_options=language_options), status


@bp.get("/help")
def index():
    countries, languages = directory.known_countries(), directory.known_languages()
    values = {"country": default_country(countries), "language": default_language(languages)}
    return _form_page(values, {}, countries, languages)


@bp.post("/help")
def submit():
    """Show the result at once; members also get it by email. The response is never cached or redirected."""
    countries, languages = directory.known_countries(), directory.known_languages()
    data, errors, values = load_form(ReferralSchema(), request.form)
    if errors:
        return _form_page(values, errors, countries, languages, status=400)
    result = directory.referral(data["country"], data["language"], countries, languages)
    path = data["path"]
    allowed = rate_limit.within_rate_limit(current_user)
    if not allowed:
        delivery = "limited"
    elif not current_user.is_authenticated:
        delivery = "visitor"
    elif not mail.can_receive_copy(current_user):
        delivery = "unconfirmed"
    else:
        delivery = "sent"
    reminder = False
    if allowed:
        usage.record_use(result.country, path)
        if delivery == "sent":
            submission.send_copy(current_user, result, path)
            if path == "worried" and data["remind"]:
                submission.schedule_reminder(current_user, result)
                reminder = True
        db.session.commit()
    response = current_app.make_response((render_template(
        "helpcenter/result.html", referral=result, path=path, delivery=delivery, reminder=reminder,
    ), 200 if allowed else 429))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/help/<article>")
def guide(article: str):
    """The help section's articles; helplines in them come from the directory, never from the text."""
    template = GUIDES.get(article)
    if template is None:
        abort(404)
    countries = directory.known_countries()
    # The page's own language is the one helplines are sorted by; it never needs a fallback.
    result = directory.referral(default_country(countries), ui_locale(), countries, languages={ui_locale()})
    return render_template(template, referral=result, guides=GUIDES)
