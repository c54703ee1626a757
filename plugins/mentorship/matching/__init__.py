"""The mentorship matching engine: explained, optimal suggested matches for a whole pool.

Pure Python + numpy + OR-Tools (imported on first use), no Flask and no database: the plugin builds :class:`Mentor`
and :class:`Mentee` values from sign-ups, calls :func:`suggest_matches`, and shows each
:class:`Suggestion` with its :class:`Explanation` (factors and points adding up to the score)
and each :class:`Unmatched` mentee with a :class:`Reason` code to translate.
:func:`explain_pair` scores any single pair, e.g. one an admin is about to pair by hand.

    result = suggest_matches(
        [Mentor(id=7, topics={"soap-making"}, languages={"de"}, time_zone="Europe/Berlin",
                availability={(0, 19), (2, 20)}, capacity=2)],
        [Mentee(id=9, topics={"soap-making", "business"}, languages={"de", "en"},
                time_zone="Europe/Vienna", availability={(0, 19)},
                preferences=Preferences(traits={"runs-a-business"}))],
        week=programme_start, forbidden={(7, 3)}, priority={9})
    for suggestion in result.suggestions:        # mentor, mentee, score, explanation
        for factor in suggestion.explanation.factors:
            ...                                   # factor.code, factor.points, factor.params
    for unmatched in result.unmatched:            # mentee, reason (a Reason code), params
        ...
"""
from typing import TYPE_CHECKING, Any

from plugins.mentorship.matching.explanation import Explanation, Factor, FactorCode, Obstacle, explain_pair
from plugins.mentorship.matching.participants import InvalidParticipant, Mentee, Mentor, PersonId, Preferences, Slot
from plugins.mentorship.matching.reasons import Reason, Unmatched
from plugins.mentorship.matching.weights import DEFAULT_WEIGHTS, Weights

if TYPE_CHECKING:
    from plugins.mentorship.matching.suggest import MatchResult, MatchStats, Suggestion, suggest_matches

# numpy and OR-Tools take a third of a second of CPU to import: loaded on first use of these
# names, so processes that never suggest matches (most of them) do not pay for them.
_SUGGEST = frozenset({"MatchResult", "MatchStats", "Suggestion", "suggest_matches"})


def __getattr__(name: str) -> Any:
    if name in _SUGGEST:
        from plugins.mentorship.matching import suggest

        return getattr(suggest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "DEFAULT_WEIGHTS", "Explanation", "Factor", "FactorCode", "InvalidParticipant", "MatchResult", "MatchStats",
    "Mentee", "Mentor", "Obstacle", "PersonId", "Preferences", "Reason", "Slot", "Suggestion", "Unmatched",
    "Weights", "explain_pair", "suggest_matches",
]
