"""Rate limits on group actions that send email (invitations, join requests, posts and comments) and on
the composer's live preview.

Counted per account (per address for anyone not logged in), only for POSTs, pages and API
alike. Operators tune them with ``RATELIMIT_GROUP_INVITE``, ``RATELIMIT_GROUP_JOIN``,
``RATELIMIT_COMMENT``, ``RATELIMIT_POST`` (new posts notify a group's watchers) and
``RATELIMIT_PREVIEW``.
"""
from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from core.extensions import limiter

DEFAULTS = {
    "RATELIMIT_GROUP_INVITE": "10 per minute;50 per hour",
    "RATELIMIT_GROUP_JOIN": "10 per minute;50 per hour",
    "RATELIMIT_COMMENT": "10 per minute;120 per hour",
    "RATELIMIT_POST": "10 per minute;60 per hour",
    "RATELIMIT_PREVIEW": "60 per minute;1000 per hour",
}


def _account() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _setting(name: str):
    return lambda: current_app.config.get(name, DEFAULTS[name])


# Shared scopes: the page and the API route of an action draw from one allowance.
invite_limit = limiter.shared_limit(_setting("RATELIMIT_GROUP_INVITE"), scope="group_invite", key_func=_account,
                                    methods=["POST"])
join_limit = limiter.shared_limit(_setting("RATELIMIT_GROUP_JOIN"), scope="group_join", key_func=_account,
                                  methods=["POST"])
comment_limit = limiter.shared_limit(_setting("RATELIMIT_COMMENT"), scope="comment", key_func=_account,
                                     methods=["POST"])
post_limit = limiter.shared_limit(_setting("RATELIMIT_POST"), scope="post", key_func=_account, methods=["POST"])
# The composer's live preview (one request per pause in typing): generous, but not a free renderer.
preview_limit = limiter.shared_limit(_setting("RATELIMIT_PREVIEW"), scope="preview", key_func=_account,
                                     methods=["POST"])
