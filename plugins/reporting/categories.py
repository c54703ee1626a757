"""The vocabulary of reporting: report categories, moderation actions, outcomes.

Weights set a case's priority; a self-harm concern makes it urgent and sorts it first.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

SELF_HARM = "self_harm"
OTHER = "other"

CATEGORIES: dict[str, object] = {
    "spam": _l("Spam"),
    "harassment": _l("Harassment or bullying"),
    "hate": _l("Hate"),
    "impersonation": _l("Someone is falsely portrayed or impersonated"),
    SELF_HARM: _l("Self-harm or suicide concern"),
    "misinformation": _l("Misinformation"),
    OTHER: _l("Something else"),
}

WEIGHTS = {
    SELF_HARM: 1000,
    "harassment": 40,
    "hate": 40,
    "impersonation": 30,
    "misinformation": 20,
    "spam": 10,
    OTHER: 10,
}
PER_REPORTER = 5
MAX_REPORTER_BONUS = 100

# Priority as moderators read it: a self-harm concern is urgent; harassment or hate (or an
# item seven people reported) is high; anything else normal.
HIGH_PRIORITY = WEIGHTS["harassment"] + PER_REPORTER
PRIORITY_LEVELS: dict[str, object] = {
    "urgent": _l("Urgent"),
    "high": _l("High"),
    "normal": _l("Normal"),
}

KEEP = "keep"
SUPPORT = "support"
ACTIONS: dict[str, object] = {
    KEEP: _l("Keep (no violation)"),
    "hide": _l("Hide the item"),
    "delete": _l("Delete the item"),
    "warn": _l("Warn the author"),
    "remove": _l("Remove the author from the group"),
    "ban": _l("Ban the author from the group"),
    "suspend": _l("Suspend the account"),
    SUPPORT: _l("Send a caring message with help resources"),
}
# What happened, as the affected person reads it.
RESULTS: dict[str, object] = {
    "hide": _l("the item was hidden"),
    "delete": _l("the item was deleted"),
    "warn": _l("you received a warning"),
    "remove": _l("you were removed from the group"),
    "ban": _l("you were banned from the group"),
    "suspend": _l("your account was suspended"),
}

ITEM_LABELS: dict[str, object] = {
    "post": _l("post"),
    "comment": _l("comment"),
    "profile": _l("profile"),
}

# Actions that affect the reported person: they are told about these and may appeal them.
SANCTIONS = ("hide", "delete", "warn", "remove", "ban", "suspend")

OUTCOMES: dict[str, object] = {
    "action": _l("We took action"),
    "support": _l("We reached out with support"),
    "no_violation": _l("We found no violation"),
}

APPEAL_OUTCOMES: dict[str, object] = {
    "upheld": _l("Decision upheld"),
    "overturned": _l("Decision overturned"),
}


def priority(categories: dict[str, int], reporters: int) -> int:
    """Highest category weight plus a bounded bonus per distinct reporter."""
    base = max((WEIGHTS.get(c, 0) for c, n in categories.items() if n), default=0)
    return base + min(PER_REPORTER * reporters, MAX_REPORTER_BONUS)


def priority_level(case: Any) -> str:
    """``urgent``, ``high`` or ``normal`` (keys of ``PRIORITY_LEVELS``) for a case."""
    if case.urgent or case.priority >= WEIGHTS[SELF_HARM]:
        return "urgent"
    return "high" if case.priority >= HIGH_PRIORITY else "normal"


def priority_label(case: Any) -> str:
    return str(PRIORITY_LEVELS[priority_level(case)])


def outcome_for(actions: list[str]) -> str:
    if any(a in SANCTIONS for a in actions):
        return "action"
    if SUPPORT in actions:
        return "support"
    return "no_violation"


def category_label(key: str) -> str:
    return str(CATEGORIES.get(key, key))


def result_label(key: str) -> str:
    return str(RESULTS.get(key, key))


def item_label(content_type: str, fallback: object = None) -> str:
    """A lower-case noun for an item, in the current language (core types known, others as given)."""
    if content_type in ITEM_LABELS:
        return str(ITEM_LABELS[content_type])
    return str(fallback or content_type)


def case_title(case: Any) -> str:
    """What a case is about, as a heading: "Post by Ann", "Profile of Ann"."""
    name = case.author.display_name if case.author is not None else _("a deleted account")
    if case.content_type == "profile":
        return _("Profile of %(name)s", name=name)
    label = item_label(case.content_type)
    return _("%(item)s by %(author)s", item=label[:1].upper() + label[1:], author=name)
