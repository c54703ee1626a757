"""``IdentityMemo``: built once per set of objects and values, never handed to other objects."""
from __future__ import annotations

from core.identity_memo import IdentityMemo


class Counted:
    def __init__(self) -> None:
        self.builds = 0

    def __call__(self) -> object:
        self.builds += 1
        return object()


def test_the_same_objects_and_values_get_the_value_built_once():
    memo, build, part = IdentityMemo(8), Counted(), [1]
    first = memo.get((part,), ("en",), build)
    assert memo.get((part,), ("en",), build) is first
    assert build.builds == 1


def test_equal_but_other_objects_or_other_values_get_their_own():
    memo, build = IdentityMemo(8), Counted()
    first = memo.get(([1],), ("en",), build)
    assert memo.get(([1],), ("en",), build) is not first
    assert memo.get(([1],), ("de",), build) is not first


def test_the_parts_are_kept_so_their_ids_stay_theirs():
    memo, build = IdentityMemo(8), Counted()
    memo.get(([1],), (), build)
    (parts, _value), = memo.found.values()
    assert parts == ([1],)


def test_it_is_emptied_when_full():
    memo, build = IdentityMemo(2), Counted()
    kept = [[n] for n in range(3)]
    for part in kept:
        memo.get((part,), (), build)
    assert len(memo) == 1 and build.builds == 3
