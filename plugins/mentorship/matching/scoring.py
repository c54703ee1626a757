"""Every mentor–mentee pair of a pool scored at once, with numpy bitsets.

Topics, languages, traits and availability become rows of 64-bit words (one bit per topic,
language, trait or UTC time step), so the shared part of two people is an AND and its size a
popcount: 5 million pairs cost a few dozen vectorised operations. Mentees are scored in
blocks of rows to keep temporary arrays small. The points come from :class:`Weights`, the
same rules explanations use.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

import numpy as np

from plugins.mentorship.matching.availability import WEEK_MINUTES, availability_bits
from plugins.mentorship.matching.participants import Mentee, Mentor
from plugins.mentorship.matching.weights import Weights

NOT_MATCHABLE = -1
ROWS_PER_BLOCK = 128


class Vocabulary:
    """Strings to bits, in sorted order (so equal input gives equal bitsets)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.masks = {word: 1 << position for position, word in enumerate(sorted(set(words)))}

    def __len__(self) -> int:
        return len(self.masks)

    def bits(self, words: Iterable[str]) -> int:
        masks = self.masks
        value = 0
        for word in words:
            value |= masks[word]
        return value


def pack(bitsets: Sequence[int], width: int) -> np.ndarray:
    """Python-int bitsets as an ``(len, words)`` uint64 array, bit ``k`` in word ``k // 64``."""
    words = max(1, -(-width // 64))
    raw = b"".join(value.to_bytes(words * 8, "little") for value in bitsets)
    return np.frombuffer(raw, dtype="<u8").reshape(len(bitsets), words).astype(np.uint64)


@dataclass(frozen=True)
class Encoded:
    """One side of the pool as bitsets (``(people, words)`` uint64); row ``i`` is person ``i``.

    ``availability`` is a tuple of ``(minutes, bits)``: each bit of ``bits`` stands for a
    stretch of the UTC week lasting ``minutes`` (see :func:`availability_segments`).
    ``features`` are a person's traits and spoken languages, ``wishes`` the traits and
    languages they hope for, in one vocabulary: wishes met = ``|wishes & other's features|``.
    """

    topics: np.ndarray
    has_topics: np.ndarray
    languages: np.ndarray
    availability: tuple[tuple[int, np.ndarray], ...]
    features: np.ndarray
    wishes: np.ndarray


def encode_pool(mentors: Sequence[Mentor], mentees: Sequence[Mentee], monday: date,
                unit: int) -> tuple[Encoded, Encoded]:
    people = [*mentors, *mentees]
    topics = Vocabulary(word for person in people for word in person.topics)
    languages = Vocabulary(word for person in people for word in (*person.languages, *person.preferences.languages))
    traits = Vocabulary(word for person in people for word in (*person.traits, *person.preferences.traits))
    units = WEEK_MINUTES // unit
    mentor_hours, mentee_hours = (
        _unpack(pack([availability_bits(person.availability, person.time_zone, monday, unit) for person in side],
                     units), units)
        for side in (mentors, mentees))
    mentor_segments, mentee_segments = availability_segments(mentor_hours, mentee_hours, unit)
    # what a wish can name: traits first, then languages, in one bitset
    shift = len(traits)

    def encode(side: Sequence[Mentor | Mentee], segments) -> Encoded:
        spoken = [languages.bits(person.languages) for person in side]
        return Encoded(
            topics=pack([topics.bits(person.topics) for person in side], len(topics)),
            has_topics=np.array([bool(person.topics) for person in side], dtype=bool),
            languages=pack(spoken, len(languages)),
            availability=segments,
            features=pack([traits.bits(person.traits) | (bits << shift)
                           for person, bits in zip(side, spoken, strict=True)], shift + len(languages)),
            wishes=pack([traits.bits(person.preferences.traits)
                         | (languages.bits(person.preferences.languages) << shift) for person in side],
                        shift + len(languages)),
        )

    return encode(mentors, mentor_segments), encode(mentees, mentee_segments)


def _unpack(bits: np.ndarray, width: int) -> np.ndarray:
    return np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little", count=width).astype(bool)


def availability_segments(mentor_units: np.ndarray, mentee_units: np.ndarray, unit: int):
    """Fewer, longer bits for availability: drop the UTC steps when no mentor or no mentee is
    free (they add nothing to any pair), merge runs of neighbouring steps in which exactly the
    same people are free, and group the resulting stretches by length, one bitset per length.

    With quarter-hour steps (a Nepalese member forces them) this halves the words to compare;
    a pair's common minutes are ``sum(minutes * |a & b|)`` over the groups, still exact.
    """
    relevant = mentor_units.any(axis=0) & mentee_units.any(axis=0)
    everyone = np.concatenate([mentor_units, mentee_units])
    same_as_previous = np.r_[False, (everyone[:, 1:] == everyone[:, :-1]).all(axis=0) & relevant[:-1]]
    starts = np.flatnonzero(relevant & ~same_as_previous)
    segment_of = np.cumsum(relevant & ~same_as_previous) - 1
    lengths = np.bincount(segment_of[relevant], minlength=starts.size) * unit
    sides = []
    for people in (mentor_units, mentee_units):
        groups = []
        for minutes in sorted(set(lengths.tolist())):
            columns = starts[lengths == minutes]
            groups.append((minutes, np.packbits(np.ascontiguousarray(people[:, columns]), axis=1, bitorder="little")))
        sides.append(tuple((minutes, _as_words(packed)) for minutes, packed in groups))
    return sides[0], sides[1]


def _as_words(packed: np.ndarray) -> np.ndarray:
    width = -(-max(packed.shape[1], 1) // 8) * 8
    padded = np.zeros((packed.shape[0], width), dtype=np.uint8)
    padded[:, :packed.shape[1]] = packed
    return padded.view("<u8").astype(np.uint64)


class _PairCounter:
    """``|a & b|`` for a block of rows against all columns, reusing its buffers: fresh
    multi-megabyte temporaries per operation cost more (page faults) than the arithmetic."""

    def __init__(self, rows: int, columns: int) -> None:
        self.words = np.empty((rows, columns), dtype=np.uint64)
        self.bits = np.empty((rows, columns), dtype=np.uint8)

    def count(self, rows: np.ndarray, columns_by_word: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``out[i, j] = |rows[i] & columns[j]|``; ``columns_by_word`` is ``columns.T``."""
        height = rows.shape[0]
        words, bits = self.words[:height], self.bits[:height]
        out[...] = 0
        for word in range(rows.shape[1]):
            left, right = rows[:, word], columns_by_word[word]
            if left.any() and right.any():
                np.bitwise_and(left[:, None], right[None, :], out=words)
                np.bitwise_count(words, out=bits)
                out += bits
        return out


def _count_block(counter: _PairCounter, block: slice, cut: slice, rows: np.ndarray, columns_by_word: np.ndarray,
                 out: np.ndarray) -> np.ndarray:
    return counter.count(rows[block], columns_by_word, out[cut])


@dataclass(frozen=True)
class PoolScores:
    """``score[i, j]``: points of mentee ``i`` with mentor ``j``, ``NOT_MATCHABLE`` when an
    obstacle (no shared language or topic, same person) rules the pair out; and per mentee the
    number of mentors sharing a language and the number without obstacle (for the reasons)."""

    score: np.ndarray
    sharing_a_language: np.ndarray
    without_obstacle: np.ndarray


def score_pool(mentors: Encoded, mentees: Encoded, weights: Weights,
               same_person: Sequence[tuple[int, int]] = ()) -> PoolScores:
    """Score all pairs; ``same_person`` lists ``(mentee row, mentor row)`` of people in both roles."""
    n, m = mentees.topics.shape[0], mentors.topics.shape[0]
    score = np.empty((n, m), dtype=np.int32)
    sharing = np.zeros(n, dtype=np.int32)
    without_obstacle = np.zeros(n, dtype=np.int32)
    self_rows = np.array([pair[0] for pair in same_person], dtype=np.int64)
    self_columns = np.array([pair[1] for pair in same_person], dtype=np.int64)
    by_word = {name: np.ascontiguousarray(getattr(mentors, name).T)
               for name in ("topics", "languages", "features", "wishes")}
    availability_by_word = [np.ascontiguousarray(bits.T) for _, bits in mentors.availability]
    # points as lookup tables indexed by count, built from the same rules explanations use
    topic_points = weights.topic_points(np.arange(64 * mentees.topics.shape[1] + 1))
    language_points = weights.language_points(np.arange(64 * mentees.languages.shape[1] + 1))
    overlap_points = weights.overlap_points(np.arange(WEEK_MINUTES + 1))
    wish_points = weights.wish_points(np.arange(64 * mentees.wishes.shape[1] + 1))
    counter = _PairCounter(ROWS_PER_BLOCK, m)
    shape = (ROWS_PER_BLOCK, m)
    languages, topics, counts = (np.empty(shape, dtype=np.uint16) for _ in range(3))
    minutes, points, lookup = (np.empty(shape, dtype=np.int32) for _ in range(3))
    for start in range(0, n, ROWS_PER_BLOCK):
        block = slice(start, min(start + ROWS_PER_BLOCK, n))
        cut = slice(0, block.stop - block.start)
        count = partial(_count_block, counter, block, cut)
        shared_languages = count(mentees.languages, by_word["languages"], languages)
        here = (self_rows >= block.start) & (self_rows < block.stop)
        shared_languages[self_rows[here] - start, self_columns[here]] = 0
        shared_topics = count(mentees.topics, by_word["topics"], topics)
        total, common, looked_up = points[cut], minutes[cut], lookup[cut]
        np.take(topic_points, shared_topics, out=total)
        total += np.take(language_points, shared_languages, out=looked_up)
        common[...] = 0
        for (length, bits), columns_by_word in zip(mentees.availability, availability_by_word, strict=True):
            common += count(bits, columns_by_word, counts) * np.int32(length)
        total += np.take(overlap_points, common, out=looked_up)
        total += np.take(wish_points, count(mentees.wishes, by_word["features"], counts), out=looked_up)
        total += np.take(wish_points, count(mentees.features, by_word["wishes"], counts), out=looked_up)
        matchable = shared_languages > 0
        sharing[block] = matchable.sum(axis=1)
        if weights.require_shared_topic:
            matchable &= (shared_topics > 0) | ~mentees.has_topics[block, None]
        without_obstacle[block] = matchable.sum(axis=1)
        np.copyto(total, NOT_MATCHABLE, where=~matchable)
        score[block] = total
    return PoolScores(score, sharing, without_obstacle)
