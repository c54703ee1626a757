"""The mentorship matching engine: explained, optimal suggested matches for a whole pool.

Pure Python + numpy + OR-Tools, no Flask and no database: the plugin builds :class:`Mentor`
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
from plugins.mentorship.matching.explanation import Explanation, Factor, FactorCode, Obstacle, explain_pair
from plugins.mentorship.matching.participants import InvalidParticipant, Mentee, Mentor, PersonId, Preferences, Slot
from plugins.mentorship.matching.reasons import Reason, Unmatched
from plugins.mentorship.matching.suggest import MatchResult, MatchStats, Suggestion, suggest_matches
from plugins.mentorship.matching.weights import DEFAULT_WEIGHTS, Weights

__all__ = [
    "DEFAULT_WEIGHTS", "Explanation", "Factor", "FactorCode", "InvalidParticipant", "MatchResult", "MatchStats",
    "Mentee", "Mentor", "Obstacle", "PersonId", "Preferences", "Reason", "Slot", "Suggestion", "Unmatched",
    "Weights", "explain_pair", "suggest_matches",
]
