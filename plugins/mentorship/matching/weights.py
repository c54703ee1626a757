"""How many points each factor is worth: one place, used by the bulk scorer and by
explanations alike, so a suggestion's explanation always adds up to its score."""
from __future__ import annotations

import sys
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import numpy as np

MAX_FACTOR_POINTS = 100_000


@dataclass(frozen=True, kw_only=True)
class Weights:
    """Points per factor, each counted up to a cap so no single factor drowns the others.

    ``require_shared_topic``: a mentee who named topics is only matched with a mentor sharing
    at least one (a mentee who named none is open to any mentor). A shared language is always
    required: a pair without one cannot talk.
    """

    shared_topic: int = 10
    max_counted_topics: int = 3
    shared_language: int = 5
    max_counted_languages: int = 2
    overlap_hour: int = 3
    max_counted_hours: int = 6
    wish_met: int = 5
    max_counted_wishes: int = 3
    require_shared_topic: bool = True

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name == "require_shared_topic":
                if not isinstance(value, bool):
                    raise ValueError(f"weights, {spec.name}: must be True or False")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"weights, {spec.name}: {value!r} is not a whole number ≥ 0")
        caps = {"shared_topic": self.max_counted_topics, "shared_language": self.max_counted_languages,
                "overlap_hour": self.max_counted_hours, "wish_met": 2 * self.max_counted_wishes}
        for name, cap in caps.items():
            if getattr(self, name) * cap > MAX_FACTOR_POINTS:
                raise ValueError(f"weights, {name}: at most {MAX_FACTOR_POINTS} points per factor")

    # Each rule takes a count as an int (explanations) or a numpy array (the bulk scorer) and
    # returns points of the same kind.

    def topic_points(self, shared: Count) -> Count:
        return self.shared_topic * _capped(shared, self.max_counted_topics)

    def language_points(self, shared: Count) -> Count:
        return self.shared_language * _capped(shared, self.max_counted_languages)

    def overlap_points(self, minutes: Count) -> Count:
        """Points per full hour of common time in the week."""
        return self.overlap_hour * _capped(minutes // 60, self.max_counted_hours)

    def wish_points(self, met: Count) -> Count:
        return self.wish_met * _capped(met, self.max_counted_wishes)


Count: TypeAlias = "int | np.ndarray"


def _capped(count: Count, cap: int) -> Count:
    # numpy is loaded only by the bulk scorer: an explanation of one pair does without it.
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(count, numpy.ndarray):
        return numpy.minimum(count.astype(numpy.int32, copy=False), cap)
    return min(int(count), cap)


DEFAULT_WEIGHTS = Weights()
