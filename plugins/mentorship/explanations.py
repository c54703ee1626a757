"""The engine's factor and reason codes as sentences in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from plugins.mentorship.matching import Factor, FactorCode, Obstacle, Reason, Unmatched
from plugins.mentorship.schemas import LANGUAGES


def _languages(codes: Any) -> str:
    return ", ".join(str(LANGUAGES.get(code, code)) for code in codes)


def factor_text(factor: Factor) -> str:
    params = factor.params
    if factor.code == FactorCode.SHARED_TOPICS:
        if not params["topics"]:
            return _("No shared topics")
        return _("Shared topics: %(topics)s", topics=", ".join(params["topics"]))
    if factor.code == FactorCode.SHARED_LANGUAGES:
        return _("Shared languages: %(languages)s", languages=_languages(params["languages"]))
    if factor.code == FactorCode.AVAILABILITY_OVERLAP:
        hours = params["minutes"] // 60
        if not hours:
            return _("No common free time in the week")
        return ngettext("%(num)s hour a week when both are free", "%(num)s hours a week when both are free", hours)
    wishes = [*(_languages(params.get("languages") or ())).split(", "), *(params.get("traits") or ())]
    wishes = ", ".join(w for w in wishes if w)
    if factor.code == FactorCode.MENTEE_WISHES_MET:
        return _("The mentee's wishes met: %(wishes)s", wishes=wishes)
    return _("The mentor's wishes met: %(wishes)s", wishes=wishes)


def obstacle_text(obstacle: Obstacle) -> str:
    return {
        Obstacle.SAME_PERSON: _("the same person"),
        Obstacle.NO_SHARED_LANGUAGE: _("no shared language"),
        Obstacle.NO_SHARED_TOPIC: _("no shared topic"),
    }[obstacle]


def reason_text(unmatched: Unmatched) -> str:
    params = unmatched.params
    if unmatched.reason == Reason.NO_MENTORS:
        return _("No mentor has a free place in this programme.")
    if unmatched.reason == Reason.NO_SHARED_LANGUAGE:
        return _("No mentor speaks %(languages)s.", languages=_languages(params["languages"]))
    if unmatched.reason == Reason.NO_SHARED_TOPIC:
        return _("No mentor who shares a language offers %(topics)s.", topics=", ".join(params["topics"]))
    if unmatched.reason == Reason.RULED_OUT:
        return _("The mentors who would fit cannot be suggested for this mentee.")
    return ngettext(
        "The %(num)s mentor who would fit is full.", "All %(num)s mentors who would fit are full.", params["mentors"]
    )
