"""Why a mentee was left without a suggestion, as a stable code with parameters to translate.

The reason names the first hurdle the mentee did not clear, in this order: there is no
mentor at all; no mentor shares a language; none of those shares a topic; every mentor who
does is ruled out; every mentor left is at capacity. The last is exact, not a guess: the
assignment matches as many mentees as possible, so a compatible mentor with a free place
would have been given this mentee.

"Ruled out" deliberately does not say why (a block, or an earlier "not a good fit"): blocks
are private to the person who made them, and an admin reading the reason must not learn one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from plugins.mentorship.matching.participants import Mentee, PersonId


class Reason(StrEnum):
    """Stable codes; params listed per code."""

    NO_MENTORS = "no_mentors"  # no params
    NO_SHARED_LANGUAGE = "no_shared_language"  # languages: the mentee's, sorted
    NO_SHARED_TOPIC = "no_shared_topic"  # topics: the mentee's, sorted; mentors_sharing_a_language
    RULED_OUT = "ruled_out"  # mentors: how many would fit but are ruled out
    MENTORS_FULL = "mentors_full"  # mentors: how many fit and are full; ruled_out: how many more are ruled out


@dataclass(frozen=True)
class Unmatched:
    mentee: PersonId
    reason: Reason
    params: Mapping[str, object]


def reason_for(mentee: Mentee, *, mentors_in_pool: int, sharing_a_language: int, without_obstacle: int,
               ruled_out: int) -> Unmatched:
    """The reason for one unmatched mentee from the counts of mentors clearing each hurdle."""
    if mentors_in_pool == 0:
        return Unmatched(mentee.id, Reason.NO_MENTORS, {})
    if sharing_a_language == 0:
        return Unmatched(mentee.id, Reason.NO_SHARED_LANGUAGE, {"languages": tuple(sorted(mentee.languages))})
    if without_obstacle == 0:
        return Unmatched(mentee.id, Reason.NO_SHARED_TOPIC,
                         {"topics": tuple(sorted(mentee.topics)), "mentors_sharing_a_language": sharing_a_language})
    if ruled_out == without_obstacle:
        return Unmatched(mentee.id, Reason.RULED_OUT, {"mentors": ruled_out})
    return Unmatched(mentee.id, Reason.MENTORS_FULL, {"mentors": without_obstacle - ruled_out, "ruled_out": ruled_out})
