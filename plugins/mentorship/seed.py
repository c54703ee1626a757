"""Demo data for ``make run``: a running skill-sharing programme in the demo group, made once.

Shows every part at a glance: the programme from a shipped template with a partner
organisation, mentors and mentees signed up, suggestions waiting for the admin (two mentees
still unpaired), and one pair in its third week – a step done, a conversation, the fit check
due – that the demo member ``sam`` can open.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from core.plugin_api import Group, Membership, User, db, render_markdown, utcnow
from plugins.mentorship.models import Pair, PairPost, Programme, Signup
from plugins.mentorship.programmes import create_from_template
from plugins.mentorship.schemas import availability_slots
from plugins.mentorship.template_files import shipped_templates

DEMO_GROUP = "neighbours"
DEMO_OWNER = "admin@example.org"
DEMO_KEY = "skill_development"
PEOPLE = [  # username, display name, locale, role, topics, languages, time zone, availability, capacity
    ("lena", "Lena Seifensiederin", "de", "mentor", ["Crafts", "Selling what you make"], ["de", "en"],
     "Europe/Berlin", ["0-evening", "2-evening", "5-morning"], 2),
    ("omar", "Omar Bookkeeper", "en", "mentor", ["Bookkeeping", "Digital skills"], ["en", "ar"],
     "Europe/London", ["1-evening", "3-evening"], 1),
    ("yuki", "Yuki Writer", "en", "mentee", ["Writing", "Digital skills"], ["en"],
     "Europe/Dublin", ["1-evening", "5-morning"], 1),
    ("noah", "Noah Baker", "de", "mentee", ["Cooking", "Selling what you make"], ["de"],
     "Europe/Vienna", ["0-evening", "6-morning"], 1),
]
CONVERSATION = [
    ("lena", "Welcome, Sam! Tell me which soaps you make so far – and what you would like to sell first."),
    ("sam", "Hallo Lena! Bisher nur Olivenölseife für Freunde. Ein kleiner Marktstand wäre mein Traum."),
    ("lena", "A market stall is a great first goal. This week: price one bar, counting every ingredient."),
]


def seed_demo_programme() -> Programme | None:
    """Create the demo programme once; running again, or on a site that is not the demo, changes nothing.

    The demo site is ``flask seed``'s: the group ``neighbours`` created by ``admin@example.org``,
    with the member ``sam``. Any programme in that group means it was seeded (or is in use).
    """
    group = db.session.scalar(db.select(Group).where(Group.slug == DEMO_GROUP))
    if group is None:
        return None
    owner = db.session.get(User, group.created_by_id)
    sam = db.session.scalar(db.select(User).where(User.username == "sam"))
    if owner is None or owner.email != DEMO_OWNER or sam is None:
        return None
    if db.session.scalar(db.select(Programme.id).where(Programme.group_id == group.id).limit(1)) is not None:
        return None
    programme = create_from_template(group, owner, shipped_templates()[(DEMO_KEY, "en")])
    started = utcnow() - timedelta(weeks=2, days=3)
    programme.state, programme.started_at = "running", started
    programme.admin_matching = programme.member_requests = True
    programme.partner_name = "Sample Makers' Guild"
    programme.partner_url = "https://example.org/makers-guild"
    programme.partner_description = "A made-up partner organisation that wrote the weekly steps (demo)."
    people = {"sam": sam, **{name: _person(group, name, display, locale) for name, display, locale, *_ in PEOPLE}}
    for name, _display, _locale, role, topics, languages, zone, free, capacity in PEOPLE:
        _sign_up(programme, people[name], role, topics, languages, zone, free, capacity)
    _sign_up(programme, sam, "mentee", ["Crafts", "Selling what you make"], ["de", "en"], "Europe/Berlin",
             ["0-evening", "2-evening"], 1)
    db.session.flush()
    pair = Pair(programme_id=programme.id, mentor_id=people["lena"].id, mentee_id=sam.id, status="active",
                steps_done=1, started_at=started, last_activity_at=utcnow() - timedelta(days=2))
    db.session.add(pair)
    db.session.flush()
    for index, (author, body) in enumerate(CONVERSATION):
        db.session.add(PairPost(pair_id=pair.id, author_id=people[author].id, step=min(index, 1), body=body,
                                body_html=render_markdown(body), created_at=started + timedelta(days=2 * index + 1)))
    return programme


def _person(group: Group, username: str, display: str, locale: str) -> User:
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        now = utcnow()
        user = User(username=username, email=f"{username}@example.org", display_name=display, locale=locale,
                    adult_attested_at=now, email_confirmed_at=now)
        user.set_password(secrets.token_urlsafe(16))
        db.session.add(user)
        db.session.flush()
    if db.session.scalar(db.select(Membership.id).where(Membership.group_id == group.id,
                                                        Membership.user_id == user.id)) is None:
        db.session.add(Membership(group_id=group.id, user_id=user.id, role="member"))
        group.member_count = (group.member_count or 0) + 1
    return user


def _sign_up(programme: Programme, user: User, role: str, topics: list[str], languages: list[str], zone: str,
             free: list[str], capacity: int) -> None:
    db.session.add(Signup(programme_id=programme.id, user_id=user.id, role=role, goals=_goal(role), topics=topics,
                          languages=languages, time_zone=zone, availability=availability_slots(free),
                          capacity=capacity))


def _goal(role: str) -> str:
    if role == "mentor":
        return "Share what I learned turning a hobby into a small business."
    return "Turn what I make at home into something I can sell."
