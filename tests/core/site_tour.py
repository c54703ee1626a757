"""A small world with one of everything, and a URL for every core web route in it.

Shared by the crawl tests (no 500 on any page or form, accessibility of every page) so a new
core route is visited without anyone adding it to a list: routes come from the URL map and
their parameters are filled from the world.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import Rule

#: Blueprints that make up the core web pages (plugins and the API have their own tests).
CORE_BLUEPRINTS = ("web", "auth", "groups", "notifications", "admin", "admin_plugins", "group_plugins", "support",
                   "search", "setup")

#: Words in an endpoint that mark an action removing what later requests need; a tour visits
#: them after the others, and logging out last of all.
DESTRUCTIVE = ("delete", "remove", "leave", "transfer", "revoke", "suspend", "settings_data", "decline", "accept",
               "decide", "end_session", "end_other_sessions", "setup.save")
#: Endpoints that log the visitor out: visited last of all.
LOG_OUT = ("auth.logout", "auth.end_all_sessions")


@dataclass
class World:
    owner: Any  # site admin and owner of both groups
    member: Any  # member of the public group, invited to the private one
    applicant: Any  # waiting for an answer from the public group
    values: dict[str, Any] = field(default_factory=dict)

    def url_for(self, rule: Rule) -> str:
        """The rule's path with each ``<converter:name>`` replaced by the world's value for ``name``."""
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(self.values[m.group(1)]), rule.rule)


def build_world(make_user, make_group, make_post, make_comment) -> World:
    """Two groups, a post with a comment, a join request, an invitation, notifications, a token, a session."""
    from core.auth import login_sessions
    from core.auth.tokens import confirmation_token
    from core.extensions import db
    from core.models import ApiToken, Invitation, JoinRequest
    from core.notify import notify

    owner = make_user("olga", is_site_admin=True)
    member = make_user("mira")
    applicant = make_user("arno")
    commons = make_group(owner=owner, slug="commons", name="Commons", description="Everyone *welcome*",
                         rules=["Be kind", "No ads"], join_mode="request", join_question="Why join?",
                         members=[member])
    hideout = make_group(owner=owner, slug="hideout", name="Hideout", visibility="private")
    post = make_post(commons, owner, "First **post**")
    comment = make_comment(post, member, "A reply")
    request = JoinRequest(group_id=commons.id, user_id=applicant.id, answer="I like it here")
    invitation = Invitation(group_id=hideout.id, user_id=member.id, invited_by_id=owner.id)
    token, _secret = ApiToken.issue(owner, "laptop")
    member_session, _cookie_id = login_sessions.create(member)
    db.session.add_all([request, invitation])
    db.session.flush()
    notify(owner, "join_request", actor=applicant, group=commons)
    notify(owner, "post_reply", actor=member, group=commons)
    notify(member, "invitation", actor=owner, group=hideout)
    db.session.commit()
    from core.models import Notification

    notification_id = db.session.scalar(db.select(Notification.id).where(Notification.user_id == owner.id))
    return World(owner=owner, member=member, applicant=applicant, values={
        "slug": commons.slug, "post_id": post.id, "comment_id": comment.id, "username": member.username,
        "user_id": member.id, "request_id": request.id, "invitation_id": invitation.id,
        "notification_id": notification_id, "token_id": token.id, "session_id": member_session.id,
        "token": confirmation_token(owner),
        "decision": "approve", "plugin_id": "no_such_plugin", "filename": "style.css",
    })


def core_rules(app) -> list[Rule]:
    """The core web routes, actions that end sessions or remove things last."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in CORE_BLUEPRINTS]
    return sorted(rules, key=lambda r: (r.endpoint in LOG_OUT, any(w in r.endpoint for w in DESTRUCTIVE), r.rule))


def page_is_html(response) -> bool:
    return response.status_code == 200 and response.mimetype == "text/html"
