"""Groups: directory, pages, feed, posts, comments, membership and roles.

``bp`` is the ``groups`` blueprint (``/g``); ``core.groups.views`` imports the modules that
register its routes. Domain actions live in ``group_actions``, ``membership_actions`` and
``content_actions`` (shared with the API); one-query reads in ``queries``.
"""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/g")
