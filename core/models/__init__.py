"""All core models, importable from one place."""
from core.models.groups import NOTIFY_LEVELS, ROLE_RANK, ROLES, Group, Invitation, JoinRequest, Membership
from core.models.jobs import JobClaim
from core.models.login_sessions import LoginSession
from core.models.notifications import Notification, NotificationPreference
from core.models.outbox import OutboxMessage
from core.models.plugin_state import GroupPluginState, PluginState, StateVersion
from core.models.posts import Comment, PendingImage, Post, PostImage
from core.models.reactions import REACTION_KINDS, CommentReaction, PostReaction
from core.models.reads import GroupRead
from core.models.search import SearchEntry
from core.models.site import SiteProfile
from core.models.users import ApiToken, User

__all__ = [
    "NOTIFY_LEVELS",
    "REACTION_KINDS",
    "ROLES",
    "ROLE_RANK",
    "ApiToken",
    "Comment",
    "CommentReaction",
    "Group",
    "GroupPluginState",
    "GroupRead",
    "Invitation",
    "JobClaim",
    "JoinRequest",
    "LoginSession",
    "Membership",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "PendingImage",
    "PluginState",
    "Post",
    "PostImage",
    "PostReaction",
    "SearchEntry",
    "SiteProfile",
    "StateVersion",
    "User",
]
