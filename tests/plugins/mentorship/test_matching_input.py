"""Unusable input is refused on construction, naming the person and the field."""
from __future__ import annotations

import pytest

from plugins.mentorship.matching import InvalidParticipant, Mentee, Mentor, Preferences, Weights, suggest_matches
from tests.plugins.mentorship.matching_pools import WEEK

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run

VALID = {"topics": {"baking"}, "languages": {"en"}, "time_zone": "Europe/Berlin"}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("time_zone", "Mars/Olympus", "'Mars/Olympus' is not a known IANA time zone"),
    ("time_zone", "", "is not a known IANA time zone"),
    ("topics", "baking", "expected a collection of strings"),
    ("languages", {"en", ""}, "every entry must be a non-empty string"),
    ("availability", {(7, 10)}, "(7, 10) is out of range"),
    ("availability", {(1, 24)}, "(1, 24) is out of range"),
    ("availability", {(1,)}, "is not a (weekday, hour) pair"),
    ("availability", {("mon", 9)}, "is not a (weekday, hour) pair"),
])
def test_a_bad_field_is_refused_naming_the_person_and_field(field, value, message):
    with pytest.raises(InvalidParticipant) as caught:
        Mentee(id=42, **{**VALID, field: value})
    assert caught.value.person_id == 42 and caught.value.field == field
    assert message in str(caught.value) and str(caught.value).startswith(f"mentee 42, {field}:")


@pytest.mark.parametrize("capacity", [-1, 1.5, True])
def test_a_capacity_that_is_not_a_whole_number_of_mentees_is_refused(capacity):
    with pytest.raises(InvalidParticipant, match="mentor 7, capacity"):
        Mentor(id=7, capacity=capacity, **VALID)


def test_collections_are_normalised_to_frozen_sets():
    mentee = Mentee(id=1, topics=["a", "a"], languages=("en",), time_zone="UTC", availability=[[0, 9], (0, 9)])
    assert mentee.topics == frozenset({"a"}) and mentee.availability == frozenset({(0, 9)})


def test_a_bad_preference_is_refused():
    with pytest.raises(ValueError, match="preferences, traits"):
        Preferences(traits="founder")


@pytest.mark.parametrize(("weights", "field"), [
    ({"shared_topic": -1}, "shared_topic"),
    ({"max_counted_hours": 2.5}, "max_counted_hours"),
    ({"require_shared_topic": 1}, "require_shared_topic"),
    ({"wish_met": 10**6}, "wish_met"),
])
def test_bad_weights_are_refused_naming_the_field(weights, field):
    with pytest.raises(ValueError, match=f"weights, {field}"):
        Weights(**weights)


def test_a_person_listed_twice_in_one_role_is_refused():
    with pytest.raises(ValueError, match="mentee 1 appears twice"):
        suggest_matches([], [Mentee(id=1, **VALID), Mentee(id=1, **VALID)], week=WEEK)


def test_ids_of_mixed_types_are_refused():
    with pytest.raises(ValueError, match="one comparable type"):
        suggest_matches([Mentor(id=1, **VALID), Mentor(id="1", **VALID)], [], week=WEEK)


def test_mentors_and_mentees_cannot_be_swapped():
    with pytest.raises(TypeError, match="expected Mentor values among the mentors"):
        suggest_matches([Mentee(id=1, **VALID)], [], week=WEEK)
