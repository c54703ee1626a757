"""Shapes of the JSON API's answers (documented in the OpenAPI document)."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from core.plugin_api import MAX_ID


class StepOut(Schema):
    title = fields.String()
    prompt = fields.String()
    activity = fields.String()
    check_in = fields.String()


class TemplateOut(Schema):
    key = fields.String()
    kind = fields.String()
    language = fields.String()
    name = fields.String()
    description = fields.String()
    duration_weeks = fields.Integer()
    topics = fields.List(fields.String())
    signup_questions = fields.List(fields.String())
    steps = fields.List(fields.Nested(StepOut))


class ProgrammeOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    description = fields.String()
    state = fields.String()
    duration_weeks = fields.Integer()
    steps = fields.List(fields.Nested(StepOut))
    questions = fields.List(fields.String())
    topics = fields.List(fields.String())
    admin_matching = fields.Boolean()
    member_requests = fields.Boolean()
    partner_name = fields.String()
    partner_url = fields.String()
    partner_description = fields.String()


class ProgrammeCreateSchema(Schema):
    template = fields.String(required=True, metadata={"description": "Key of a shipped template"})


class TemplateUploadSchema(Schema):
    file = Upload(
        required=True,
        metadata={"description": "A programme template in the shipped templates' YAML format (UTF-8, at most 200 kB)"},
    )


class StateSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(["open", "running", "finished"]))


class SignupOut(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    role = fields.String()
    goals = fields.String()
    topics = fields.List(fields.String())
    languages = fields.List(fields.String())
    preferred_languages = fields.List(fields.String())
    time_zone = fields.String()
    availability = fields.List(fields.List(fields.Integer()))
    capacity = fields.Integer()
    priority = fields.Boolean(metadata={"description": "A mentee to be matched first (a no-fault rematch)"})


class FactorOut(Schema):
    code = fields.String()
    points = fields.Integer()
    text = fields.String()


class SuggestionOut(Schema):
    mentor_id = fields.Integer()
    mentee_id = fields.Integer()
    score = fields.Integer()
    factors = fields.List(fields.Nested(FactorOut))


class UnmatchedOut(Schema):
    mentee_id = fields.Integer()
    reason = fields.String()
    text = fields.String()


class SuggestionsOut(Schema):
    suggestions = fields.List(fields.Nested(SuggestionOut))
    unmatched = fields.List(fields.Nested(UnmatchedOut))


class PairOut(Schema):
    id = fields.Integer()
    programme_id = fields.Integer()
    mentor_id = fields.Integer()
    mentee_id = fields.Integer()
    status = fields.String()
    end_reason = fields.String(allow_none=True)
    steps_done = fields.Integer()
    current_step = fields.Nested(StepOut, allow_none=True)
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    fit_check_open = fields.Boolean(metadata={"description": "The caller may answer the fit check now"})
    my_fit = fields.String(allow_none=True, metadata={"description": "The caller's own fit-check answer"})
    my_feedback = fields.String(metadata={"description": "The caller's own feedback, once the pair has ended"})
    their_feedback = fields.String(metadata={"description": "The other person's feedback for the caller"})


class PostOut(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    author_id = fields.Integer(allow_none=True)
    step = fields.Integer()
    body = fields.String()
    body_html = fields.String()
    created_at = fields.DateTime()


class PostCreateSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
    parent_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))


class RequestOut(Schema):
    id = fields.Integer()
    mentor_id = fields.Integer()
    mentee_id = fields.Integer()
    status = fields.String()
    message = fields.String()


class MentorOut(Schema):
    """A mentor with a free place, as mentees browsing the programme see them."""

    user_id = fields.Integer()
    display_name = fields.String()
    goals = fields.String()
    topics = fields.List(fields.String())
    languages = fields.List(fields.String())
    free_places = fields.Integer()


class TopicQuery(Schema):
    topic = fields.String(load_default="", validate=validate.Length(max=60))


class PoolSignupOut(SignupOut):
    """A sign-up as group admins see it when pairing by hand."""

    display_name = fields.String()
    free_places = fields.Integer(metadata={"description": "Mentors: places left; mentees: 0 once paired, else 1"})


class PoolQuery(Schema):
    role = fields.String(load_default=None, validate=validate.OneOf(["mentor", "mentee"]))
    topic = fields.String(load_default="", validate=validate.Length(max=60))
    language = fields.String(load_default="", validate=validate.Length(max=8))
