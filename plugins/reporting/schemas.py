"""Input and output schemas, shared by the web forms and the JSON API."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from core.plugin_api import MAX_ID, utcnow
from plugins.reporting.categories import ACTIONS, APPEAL_OUTCOMES, CATEGORIES, KEEP, OTHER, SANCTIONS

NOTE_MAX = 1000
APPEAL_MAX = 2000
EXPLANATION_MAX = 2000
RULE_MAX = 500


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Please write something."))


class _BlankIsMissing(Schema):
    """Forms send "" for untouched optional inputs; treat that as not given."""

    OPTIONAL_BLANK: tuple[str, ...] = ()

    @pre_load
    def _drop_blanks(self, data, **kwargs):
        if not hasattr(data, "items"):
            return data
        return {k: v for k, v in data.items() if not (k in self.OPTIONAL_BLANK and v in ("", None))}


class ReportSchema(_BlankIsMissing):
    """What a person says about an item: a category, a note, optionally the group rule it breaks."""

    OPTIONAL_BLANK = ("rule",)

    category = fields.String(required=True, validate=validate.OneOf(
        list(CATEGORIES), error=_l("Choose what is wrong.")),
        metadata={"description": "One of: " + ", ".join(CATEGORIES)})
    note = fields.String(load_default="", validate=validate.Length(
        max=NOTE_MAX, error=_l("Keep the note under %(max)s characters.", max=NOTE_MAX)))
    rule = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=RULE_MAX),
                         metadata={"description": "The text of the group rule the item breaks"})

    @validates_schema
    def _note_for_other(self, data, **kwargs):
        if data.get("category") == OTHER and not (data.get("note") or "").strip():
            raise ValidationError(_("Tell us what is wrong."), "note")


class ReportCreateSchema(ReportSchema):
    content_type = fields.String(required=True, validate=validate.Length(min=1, max=40),
                                 metadata={"description": "A registered content type, e.g. post, comment, profile"})
    content_id = fields.Integer(required=True, strict=False)


class DecisionSchema(_BlankIsMissing):
    """A moderator's decision: several actions, one explanation, optionally a rule and end dates."""

    OPTIONAL_BLANK = ("rule", "ban_until", "suspend_until")

    actions = fields.List(fields.String(validate=validate.OneOf(list(ACTIONS))), required=True,
                          validate=validate.Length(min=1, error=_l("Choose at least one action.")),
                          metadata={"description": "Any of: " + ", ".join(ACTIONS)})
    explanation = fields.String(load_default="", validate=validate.Length(max=EXPLANATION_MAX))
    rule = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=RULE_MAX))
    ban_until = fields.Date(load_default=None, allow_none=True,
                            metadata={"description": "Last day of a group ban; none means permanent"})
    suspend_until = fields.Date(load_default=None, allow_none=True,
                                metadata={"description": "Last day of a suspension; none means indefinite"})

    @validates_schema
    def _consistent(self, data, **kwargs):
        """Refuse contradictions, each at the field at fault (``actions``, or the date given for nothing)."""
        actions = data.get("actions") or []
        errors: dict[str, list[str]] = {}
        sanctions = [a for a in actions if a in SANCTIONS]
        if KEEP in actions and sanctions:
            errors.setdefault("actions", []).append(_(
                "“%(keep)s” means there was no violation: it cannot be combined with %(others)s.",
                keep=ACTIONS[KEEP], others=", ".join(_("“%(action)s”", action=ACTIONS[a]) for a in sanctions)))
        if "hide" in actions and "delete" in actions:
            errors.setdefault("actions", []).append(_("Choose either hide or delete."))
        if "remove" in actions and "ban" in actions:
            errors.setdefault("actions", []).append(_("A ban already removes the author; choose one."))
        for name, action in (("ban_until", "ban"), ("suspend_until", "suspend")):
            if data.get(name) is not None and action not in actions:
                errors.setdefault(name, []).append(_(
                    "This date is only for “%(action)s”: choose that action too, or leave the date empty.",
                    action=ACTIONS[action]))
        if any(a in SANCTIONS for a in actions) and not (data.get("explanation") or "").strip():
            errors.setdefault("explanation", []).append(
                _("Explain the decision: the person affected will read it."))
        today = utcnow().date()
        for name in ("ban_until", "suspend_until"):
            value = data.get(name)
            if value is not None and value <= today:
                errors.setdefault(name, []).append(_("Pick a date in the future."))
        if errors:
            raise ValidationError(errors)


class NoteSchema(Schema):
    text = fields.String(required=True, validate=[not_blank, validate.Length(
        max=EXPLANATION_MAX, error=_l("Write a note of at most %(max)s characters.", max=EXPLANATION_MAX))])


class AppealSchema(Schema):
    text = fields.String(required=True, validate=[not_blank, validate.Length(
        max=APPEAL_MAX, error=_l("Write your appeal in at most %(max)s characters.", max=APPEAL_MAX))])


class AppealDecisionSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(
        list(APPEAL_OUTCOMES), error=_l("Choose whether to uphold or overturn the decision.")))
    response = fields.String(load_default="", validate=validate.Length(max=EXPLANATION_MAX))


class BlockSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=32))


class QueueArgsSchema(Schema):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "resolved", "all"]))
    group = fields.String(load_default=None, allow_none=True, metadata={"description": "Group slug; none: site queue"})
    after = fields.String(load_default=None, allow_none=True, metadata={"description": "Cursor from the last page"})


class GroupArgsSchema(Schema):
    group = fields.String(load_default=None, allow_none=True, metadata={"description": "Group slug; none: site"})


class AuditArgsSchema(GroupArgsSchema):
    before = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID),
                            metadata={"description": "Only entries older than this entry id (next page)"})


class ReportingSettings(Schema):
    """Site settings for the plugin (admin form generated from this)."""

    auto_hide_threshold = fields.Integer(
        load_default=3, validate=validate.Range(min=1, max=1000),
        metadata={"label": _l("Hide an item automatically after this many people report it"),
                  "description": _l("Different people, counted per item; it stays hidden until a moderator decides. "
                                 "Content by moderators is never hidden automatically.")})
    reports_per_hour = fields.Integer(
        load_default=10, validate=validate.Range(min=1, max=1000),
        metadata={"label": _l("Reports one person may file per hour"),
                  "description": _l("More reports within an hour are refused with a message.")})
    appeal_days = fields.Integer(
        load_default=30, validate=validate.Range(min=1, max=365),
        metadata={"label": _l("Days in which a decision may be appealed"),
                  "description": _l("After this, the person affected can no longer appeal.")})


# --- output -------------------------------------------------------------------------------------


class SupportResourceOut(Schema):
    name = fields.String()
    kind = fields.String()
    country = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    phone_display = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    description = fields.String()
    hours = fields.String()


class ReportOut(Schema):
    id = fields.Integer()
    content_type = fields.String()
    content_id = fields.Integer()
    category = fields.String()
    note = fields.String()
    rule = fields.String(allow_none=True)
    created_at = fields.DateTime()
    status = fields.String(metadata={"description": "open or resolved"})
    outcome = fields.String(allow_none=True, metadata={"description": "action, support or no_violation"})
    support_resources = fields.List(fields.Nested(SupportResourceOut), dump_default=list)


class PersonOut(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()


class CaseOut(Schema):
    id = fields.Integer()
    content_type = fields.String()
    content_id = fields.Integer()
    content_url = fields.String(allow_none=True)
    group = fields.String(attribute="group.slug", allow_none=True)
    author = fields.Nested(PersonOut, allow_none=True)
    title = fields.String(metadata={"description": "What the case is about, e.g. Post by Ann"})
    state = fields.String()
    urgent = fields.Boolean()
    priority = fields.Integer(metadata={"description": "Sort key: higher first"})
    priority_level = fields.String(metadata={"description": "urgent, high or normal"})
    report_count = fields.Integer()
    categories = fields.Dict(keys=fields.String(), values=fields.Integer())
    snapshot = fields.String(metadata={"description": "The reported content as plain text (evidence)"})
    snapshot_html = fields.String(metadata={"description": "The same, sanitized HTML as readers saw it"})
    hidden = fields.Boolean()
    escalated = fields.Boolean(metadata={"description": "In the site queue: nobody in the group may handle it"})
    claimed_by = fields.Nested(PersonOut, allow_none=True)
    outcome = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CasePageOut(Schema):
    items = fields.List(fields.Nested(CaseOut))
    next = fields.String(allow_none=True, metadata={"description": "Cursor for the next page"})


class CaseReportOut(Schema):
    id = fields.Integer()
    reporter = fields.Nested(PersonOut, allow_none=True)
    category = fields.String()
    note = fields.String()
    rule = fields.String(allow_none=True)
    snapshot = fields.String()
    snapshot_html = fields.String()
    created_at = fields.DateTime()


class NoteOut(Schema):
    id = fields.Integer()
    author = fields.Nested(PersonOut, allow_none=True)
    text = fields.String()
    created_at = fields.DateTime()


class AppealOut(Schema):
    id = fields.Integer()
    decision_id = fields.Integer()
    text = fields.String()
    state = fields.String()
    response = fields.String()
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class DecisionOut(Schema):
    """What the affected person may read: no reporter, no moderator name."""

    id = fields.Integer()
    actions = fields.List(fields.String())
    rule = fields.String(allow_none=True)
    explanation = fields.String()
    ban_until = fields.DateTime(allow_none=True)
    suspend_until = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    overturned = fields.Boolean()
    content_type = fields.String(attribute="case.content_type")
    snapshot = fields.String(attribute="case.snapshot")
    snapshot_html = fields.String(attribute="case.snapshot_html")
    appeal = fields.Nested(AppealOut, allow_none=True)
    can_appeal = fields.Boolean()


class ModeratorDecisionOut(DecisionOut):
    moderator = fields.Nested(PersonOut, allow_none=True)


class CaseDetailOut(CaseOut):
    reports = fields.List(fields.Nested(CaseReportOut))
    notes = fields.List(fields.Nested(NoteOut))
    decisions = fields.List(fields.Nested(ModeratorDecisionOut))


class ModeratorAppealOut(AppealOut):
    decision = fields.Nested(ModeratorDecisionOut)
    case_id = fields.Integer(attribute="decision.case_id")


class AuditOut(Schema):
    id = fields.Integer()
    group = fields.String(attribute="group.slug", allow_none=True)
    case_id = fields.Integer(allow_none=True)
    actor = fields.Nested(PersonOut, allow_none=True)
    target = fields.Nested(PersonOut, attribute="target_user", allow_none=True)
    action = fields.String()
    detail = fields.Dict()
    created_at = fields.DateTime()


class BlockOut(Schema):
    username = fields.String(attribute="blocked.username")
    display_name = fields.String(attribute="blocked.display_name")
    created_at = fields.DateTime()
