"""Groups, memberships, join requests and invitations: input rules and API shapes.

The web forms (``core.forms.load_form``) and the JSON API load the same schemas, so a rule
such as "at most 10 rules of 200 characters" is written once.
"""
from __future__ import annotations

import re

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from core.models import ROLES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({
    "new", "invitations", "api", "admin", "auth", "static", "settings", "search", "help", "about",
    "notifications", "login", "logout", "signup", "me", "www", "plugins", "groups",
})
MAX_RULES = 10
MAX_RULE_LENGTH = 200
VISIBILITIES = ("public", "private")
JOIN_MODES = ("open", "request")

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}


class Trimmed(fields.String):
    """A string with surrounding whitespace removed before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Slug(Trimmed):
    """A group address; typed capitals are accepted and lowered."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).lower()


def length(min: int | None = None, max: int | None = None):
    """A length rule with translated messages; blank input counts as missing when ``min`` is set."""

    def check(value: str) -> None:
        if min and not value:
            raise ValidationError(str(_l("This field is required.")))
        if min and len(value) < min:
            raise ValidationError(str(_l("Use at least %(min)s characters.", min=min)))
        if max is not None and len(value) > max:
            raise ValidationError(str(_l("Use at most %(max)s characters.", max=max)))

    return check


def one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error=_l("Choose one of: {choices}."))


class GroupSettingsSchema(Schema):
    """What a group's admins may change after creation (everything but the slug)."""

    name = Trimmed(required=True, validate=length(3, 100), error_messages=REQUIRED,
                   metadata={"description": "Display name, 3-100 characters."})
    description = Trimmed(load_default="", validate=length(max=2000))
    rules = fields.List(Trimmed(), load_default=list,
                        metadata={"description": f"Up to {MAX_RULES} rules of at most {MAX_RULE_LENGTH} characters."})
    visibility = fields.String(load_default="public", validate=one_of(VISIBILITIES),
                               metadata={"description": "private: posts, comments and members are for members only."})
    join_mode = fields.String(load_default="open", validate=one_of(JOIN_MODES),
                              metadata={"description": "request: applicants answer join_question and wait."})
    join_question = Trimmed(load_default=None, allow_none=True, validate=length(max=300),
                            metadata={"description": "Required when join_mode is request; at most 300 characters."})

    @validates("rules")
    def _check_rules(self, value: list[str], **kwargs) -> None:
        rules = [rule for rule in value if rule]
        if len(rules) > MAX_RULES:
            raise ValidationError(str(_l("At most %(n)s rules, please.", n=MAX_RULES)))
        for number, rule in enumerate(rules, start=1):
            if len(rule) > MAX_RULE_LENGTH:
                raise ValidationError(str(_l("Rule %(number)s is longer than %(max)s characters.",
                                             number=number, max=MAX_RULE_LENGTH)))

    @validates_schema
    def _question_for_requests(self, data: dict, partial=False, **kwargs) -> None:
        if data.get("join_mode") != "request" or data.get("join_question"):
            return
        if partial and "join_question" not in data:
            return  # a PATCH that leaves the question alone; the action checks the stored one
        raise ValidationError(str(_l("Groups that review requests need a question for applicants.")),
                              "join_question")

    @post_load
    def _tidy(self, data: dict, **kwargs) -> dict:
        if "rules" in data:
            data["rules"] = [rule for rule in data["rules"] if rule]
        if data.get("join_question") == "":
            data["join_question"] = None
        return data


class GroupCreateSchema(GroupSettingsSchema):
    """A new group: its settings plus the slug that becomes its address (/g/<slug>)."""

    slug = Slug(required=True, error_messages=REQUIRED,
                   metadata={"description": "3-64 lowercase letters, digits and hyphens; cannot change later."})

    @validates("slug")
    def _check_slug(self, value: str, **kwargs) -> None:
        if not 3 <= len(value) <= 64:
            raise ValidationError(str(_l("Use between 3 and 64 characters.")))
        if not SLUG_RE.match(value):
            raise ValidationError(str(_l("Use lowercase letters, digits and single hyphens only (like my-group).")))
        if value in RESERVED_SLUGS:
            raise ValidationError(str(_l("This address is reserved. Please choose another.")))


class JoinSchema(Schema):
    """Joining: an open group needs nothing; a by-request group needs the answer."""

    answer = Trimmed(load_default="", validate=length(max=1000),
                     metadata={"description": "Answer to the group's join question (by-request groups)."})


class UsernameSchema(Schema):
    """Whom an action is about (invite, hand over ownership)."""

    username = Trimmed(required=True, validate=length(1, 32), error_messages=REQUIRED)


class RoleSchema(Schema):
    role = fields.String(required=True, validate=one_of(ROLES), error_messages=REQUIRED,
                         metadata={"description": "owner, admin, moderator or member."})


class DirectoryArgsSchema(Schema):
    q = Trimmed(load_default="", validate=length(max=100), metadata={"description": "Search name and description."})
    after = fields.String(load_default=None, metadata={"description": "Cursor from the previous page's next."})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class PageArgsSchema(Schema):
    after = fields.String(load_default=None, metadata={"description": "Cursor from the previous page's next."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))


# --- output -----------------------------------------------------------------------------------


class PersonSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    avatar_url = fields.Method("_avatar_url", metadata={
        "description": "Their picture (square, 256 px), or null: show their initials instead."})

    def _avatar_url(self, person) -> str | None:
        key = getattr(person, "avatar_key", None)
        return url_for("files.serve", key=key, _external=True) if key else None


class GroupSchema(Schema):
    """A group as the caller may see it: rules only for those who may see its content."""

    slug = fields.String()
    name = fields.String()
    description = fields.String()
    rules = fields.Method("_rules", metadata={"description": "null when the caller may not see the content."})
    visibility = fields.String()
    join_mode = fields.String()
    join_question = fields.String(allow_none=True)
    member_count = fields.Integer(attribute="shown_member_count",
                                  metadata={"description": "Members you can see (group staff see everyone)."})
    created_at = fields.DateTime()
    url = fields.Function(lambda group: url_for("groups.group", slug=group.slug, _external=True))
    viewer_role = fields.Method("_viewer_role", metadata={"description": "The caller's role, or null."})

    def _rules(self, group) -> list[str] | None:
        from core.permissions import can_view_group_content

        return list(group.rules or []) if can_view_group_content(current_user, group) else None

    def _viewer_role(self, group) -> str | None:
        from core.permissions import membership

        found = membership(current_user, group)
        return found.role if found else None


class GroupPageSchema(Schema):
    items = fields.List(fields.Nested(GroupSchema))
    next = fields.String(allow_none=True,
                         metadata={"description": "Pass as ?after= for the next page; null at the end."})


class MembershipSchema(Schema):
    user = fields.Nested(PersonSchema)
    role = fields.String()
    joined_at = fields.DateTime(attribute="created_at")


class MembershipPageSchema(Schema):
    items = fields.List(fields.Nested(MembershipSchema))
    next = fields.String(allow_none=True)


class JoinResultSchema(Schema):
    status = fields.String(metadata={"description": "joined, or requested (waiting for review)."})
    membership = fields.Nested(MembershipSchema, allow_none=True)


class JoinRequestSchema(Schema):
    id = fields.Integer()
    user = fields.Nested(PersonSchema)
    answer = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class JoinRequestPageSchema(Schema):
    items = fields.List(fields.Nested(JoinRequestSchema))
    next = fields.String(allow_none=True)


class GroupRefSchema(Schema):
    slug = fields.String()
    name = fields.String()


class InvitationSchema(Schema):
    id = fields.Integer()
    group = fields.Nested(GroupRefSchema)
    user = fields.Nested(PersonSchema)
    invited_by = fields.Nested(PersonSchema, allow_none=True)
    status = fields.String()
    created_at = fields.DateTime()
