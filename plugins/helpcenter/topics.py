"""The topics a helpline can be tagged with: a fixed vocabulary, so every label is translated."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

TOPICS = {
    "crisis": _l("Any crisis"),
    "suicide": _l("Thoughts of suicide"),
    "self_harm": _l("Self-harm"),
    "loneliness": _l("Loneliness"),
    "relationships": _l("Relationships"),
    "family": _l("Family"),
    "grief": _l("Grief and loss"),
    "violence": _l("Violence and abuse"),
    "addiction": _l("Addiction"),
    "eating": _l("Eating disorders"),
    "young_people": _l("Children and young people"),
    "lgbtq": _l("LGBTQ+"),
}


def topic_label(code: str) -> str:
    return str(TOPICS.get(code, code))
