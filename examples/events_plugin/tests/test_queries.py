"""The Events tab and an event's page cost a fixed, small number of SQL queries."""
from __future__ import annotations


def test_tab_needs_the_same_few_queries_for_1_or_15_events(events_on, make_event, make_user, as_, count_queries):
    member = as_("member")
    make_event(events_on, going=(make_user(),))
    with count_queries() as few:
        assert member.get("/g/garden/events").status_code == 200
    for n in range(14):
        make_event(events_on, f"Meeting {n}", hours=30 + n, by=make_user(), going=(make_user(), make_user()))
    with count_queries() as many:
        member.get("/g/garden/events")
    assert len(many) == len(few) <= 6


def test_event_page_needs_the_same_few_queries_for_1_or_12_going(events_on, make_event, make_user, as_,
                                                                 count_queries):
    member = as_("member")
    few_going = make_event(events_on, going=(make_user(),))
    many_going = make_event(events_on, going=tuple(make_user() for _ in range(12)))
    with count_queries() as few:
        member.get(f"/g/garden/events/{few_going.id}")
    with count_queries() as many:
        member.get(f"/g/garden/events/{many_going.id}")
    assert len(many) == len(few) <= 6
