"""Seed a throwaway benchmark database: one member, one public group with a full feed.

Usage: COMMONGROUND_SQLALCHEMY_DATABASE_URI=sqlite:////tmp/x/db.sqlite COMMONGROUND_SECRET_KEY=... \\
       python -m bench.seed [--enable hello,noop_site,noop_group]

Plugins named in ``--enable`` are switched on site-wide (and for the group when group-scoped),
exactly as an admin would; without it every plugin stays disabled. ``--blocks N`` (needs
reporting) has the bench member block N people outside the group: their pages then carry the
block filter while showing the same posts, which is what the plugins cost such a member.
"""
from __future__ import annotations

import argparse
from datetime import timedelta

from bench.cg_app import app
from core.extensions import db
from core.markdown import render_markdown
from core.models import Comment, Group, Membership, Post, User
from core.models.base import utcnow
from core.plugins import get_plugins
from core.plugins import state as plugin_state

USERNAME = "bench"
EMAIL = "bench@example.org"
PASSWORD = "bench password 123"
GROUP_SLUG = "bench-group"
POSTS = 60
AUTHORS = 10
COMMENTS_PER_POST = 3

POST_BODY = """Weekly check-in #{n}: how is everyone doing?

Some **bold** news, a [link](https://example.org/{n}) and a list:

- one thing that went well
- one thing that was hard
"""


def seed(enable: list[str], blocks: int = 0) -> None:
    from flask_migrate import upgrade

    upgrade(revision="heads")  # the migrated schema, as production has it
    now = utcnow()
    people = []
    for i in range(AUTHORS + 1):
        name = USERNAME if i == 0 else f"author{i}"
        user = User(username=name, email=EMAIL if i == 0 else f"{name}@example.org", display_name=name.title(),
                    locale="en", adult_attested_at=now, email_confirmed_at=now)
        user.set_password(PASSWORD)
        db.session.add(user)
        people.append(user)
    db.session.flush()
    group = Group(slug=GROUP_SLUG, name="Bench Group", description="Where the benchmark reads its feed.",
                  created_by_id=people[0].id, rules=["Be kind."], member_count=len(people))
    db.session.add(group)
    db.session.flush()
    for i, person in enumerate(people):
        db.session.add(Membership(group_id=group.id, user_id=person.id, role="owner" if i == 0 else "member"))
    for n in range(POSTS):
        body = POST_BODY.format(n=n)
        post = Post(group_id=group.id, author_id=people[n % len(people)].id, body_source=body,
                    body_html=render_markdown(body), comment_count=COMMENTS_PER_POST,
                    created_at=now - timedelta(minutes=POSTS - n))
        db.session.add(post)
        db.session.flush()
        for c in range(COMMENTS_PER_POST):
            text = f"Reply {c} to check-in {n}."
            db.session.add(Comment(post_id=post.id, author_id=people[(n + c + 1) % len(people)].id,
                                   body_source=text, body_html=render_markdown(text)))
    db.session.commit()
    plugins = get_plugins()
    for plugin_id in enable:
        plugin_state.set_enabled(plugin_id, True)
        if plugins.installed[plugin_id].meta.scope == "group":
            plugin_state.set_group_enabled(plugin_id, group, True)
    if blocks:
        block_outsiders(people[0], blocks)


def block_outsiders(member: User, count: int) -> None:
    """``member`` blocks ``count`` new people who are in no group, as the reporting plugin records it."""
    from plugins.reporting.models import Block

    for i in range(count):
        outsider = User(username=f"outsider{i}", email=f"outsider{i}@example.org", display_name=f"Outsider {i}",
                        locale="en", adult_attested_at=utcnow(), email_confirmed_at=utcnow())
        outsider.set_password(PASSWORD)
        db.session.add(outsider)
        db.session.flush()
        db.session.add(Block(blocker_id=member.id, blocked_id=outsider.id))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enable", default="", help="comma-separated plugin ids to enable")
    parser.add_argument("--blocks", type=int, default=0, help="people outside the group the member blocks")
    args = parser.parse_args()
    enable = [p for p in args.enable.split(",") if p]
    if args.blocks and "reporting" not in enable:
        parser.error("--blocks needs --enable reporting")
    with app.app_context():
        seed(enable, args.blocks)


if __name__ == "__main__":
    main()
