"""Input rules for every mentorship form and API body: the one place input is validated."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from core.plugin_api import MAX_ID

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}
LANGUAGES = {
    "en": _l("English"),
    "de": _l("German"),
    "fr": _l("French"),
    "es": _l("Spanish"),
    "it": _l("Italian"),
    "nl": _l("Dutch"),
    "pl": _l("Polish"),
    "pt": _l("Portuguese"),
    "tr": _l("Turkish"),
    "ar": _l("Arabic"),
    "ru": _l("Russian"),
    "uk": _l("Ukrainian"),
}
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
PARTS_OF_DAY = {
    "morning": (_l("Morning (8–12)"), range(8, 12)),
    "afternoon": (_l("Afternoon (12–17)"), range(12, 17)),
    "evening": (_l("Evening (17–21)"), range(17, 21)),
}
BODY_MAX = 10_000
STEP_FIELDS = {"step_title": 120, "step_prompt": 2000, "step_activity": 2000, "step_check_in": 500}
CAPACITY_MAX = 10


class Trimmed(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _length(low: int, high: int) -> validate.Length:
    return validate.Length(min=low, max=high, error=_l("Use between {min} and {max} characters."))


class ProgrammeSignupSchema(Schema):
    """A sign-up; ``topics`` are checked against the programme's list by the caller's context."""

    goals = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, 2000))
    topics = fields.List(
        Trimmed(),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, error=_l("Choose at least one topic.")),
    )
    languages = fields.List(
        fields.String(validate=validate.OneOf(list(LANGUAGES), error=_l("Unknown language."))),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, error=_l("Choose at least one language.")),
    )
    preferred_languages = fields.List(
        fields.String(validate=validate.OneOf(list(LANGUAGES), error=_l("Unknown language."))), load_default=list
    )
    time_zone = Trimmed(required=True, error_messages=REQUIRED)
    availability = fields.List(fields.String(), load_default=list)
    capacity = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=CAPACITY_MAX, error=_l("Choose a number from {min} to {max}.")),
    )
    answers = fields.List(Trimmed(validate=_length(0, 1000)), load_default=list)

    @validates_schema
    def _preferred_among_spoken(self, data: dict, **kwargs) -> None:
        if set(data.get("preferred_languages") or ()) - set(data.get("languages") or ()):
            raise ValidationError(
                _l("Choose preferred languages among the languages you can talk in."), field_name="preferred_languages"
            )

    @validates("time_zone")
    def _known_zone(self, value: str, **kwargs) -> None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(_l("Choose a time zone such as Europe/Berlin.")) from None

    @validates("topics")
    def _programme_topics(self, value: list[str], **kwargs) -> None:
        allowed = self.context_topics
        if allowed is None:  # the API checks against the programme in its view
            return
        unknown = [topic for topic in value if topic not in allowed]
        if unknown:
            raise ValidationError(_l("Choose topics from the programme's list."))

    @validates("availability")
    def _slots(self, value: list[str], **kwargs) -> None:
        for item in value:
            day, _sep, part = item.partition("-")
            if not (day.isdigit() and 0 <= int(day) <= 6 and part in PARTS_OF_DAY):
                raise ValidationError(_l("Choose times from the table."))

    def __init__(self, topics: list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.context_topics = set(topics) if topics is not None else None


def availability_slots(choices: list[str]) -> list[list[int]]:
    """Form choices ("0-evening") to the engine's hourly (weekday, hour) slots."""
    slots = set()
    for item in choices:
        day, _sep, part = item.partition("-")
        for hour in PARTS_OF_DAY[part][1]:
            slots.add((int(day), hour))
    return [list(slot) for slot in sorted(slots)]


def availability_choices(slots: list[list[int]]) -> list[str]:
    """The form's choices back from stored slots (a part counts when its first hour is there)."""
    have = {tuple(slot) for slot in slots}
    return [
        f"{day}-{part}" for day in range(7) for part, (_label, hours) in PARTS_OF_DAY.items() if (day, hours[0]) in have
    ]


class ProgrammeSchema(Schema):
    """The programme's editable copy; steps come as parallel lists (one entry per week)."""

    name = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, 120))
    description = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, 4000))
    topics_text = Trimmed(load_default="", validate=_length(0, 4000))
    questions_text = Trimmed(load_default="", validate=_length(0, 4000))
    step_title = fields.List(Trimmed(validate=_length(0, 120)), load_default=list)
    step_prompt = fields.List(Trimmed(validate=_length(0, 2000)), load_default=list)
    step_activity = fields.List(Trimmed(validate=_length(0, 2000)), load_default=list)
    step_check_in = fields.List(Trimmed(validate=_length(0, 500)), load_default=list)
    partner_name = Trimmed(load_default="", validate=_length(0, 120))
    partner_url = Trimmed(load_default="", validate=_length(0, 300))

    @validates("partner_url")
    def _web_address(self, value: str, **kwargs) -> None:
        if value and not (value.startswith(("https://", "http://")) and "." in value and " " not in value):
            raise ValidationError(_l("Enter a web address starting with https://."))

    partner_description = Trimmed(load_default="", validate=_length(0, 2000))
    admin_matching = fields.Boolean(load_default=False)
    member_requests = fields.Boolean(load_default=False)


class StepSchema(Schema):
    """One week of a programme, as the JSON API takes it."""

    title = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, 120))
    prompt = Trimmed(load_default="", validate=_length(0, 2000))
    activity = Trimmed(load_default="", validate=_length(0, 2000))
    check_in = Trimmed(load_default="", validate=_length(0, 500))


class ProgrammeEditSchema(Schema):
    """The programme's whole editable copy for the JSON API (the edit page's fields, as JSON)."""

    name = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, 120))
    description = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, 4000))
    steps = fields.List(
        fields.Nested(StepSchema),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, max=52, error=_l("A programme has from {min} to {max} weekly steps.")),
    )
    topics = fields.List(Trimmed(validate=_length(1, 60)), load_default=list, validate=validate.Length(max=50))
    questions = fields.List(Trimmed(validate=_length(1, 300)), load_default=list, validate=validate.Length(max=10))
    partner_name = Trimmed(load_default="", validate=_length(0, 120))
    partner_url = Trimmed(load_default="", validate=_length(0, 300))
    partner_description = Trimmed(load_default="", validate=_length(0, 2000))
    admin_matching = fields.Boolean(load_default=True)
    member_requests = fields.Boolean(load_default=False)

    @validates("partner_url")
    def _web_address(self, value: str, **kwargs) -> None:
        ProgrammeSchema._web_address(self, value)

    @validates_schema
    def _a_way_to_pair(self, data: dict, **kwargs) -> None:
        if not (data.get("admin_matching") or data.get("member_requests")):
            raise ValidationError(_l("Choose at least one way to pair people."), field_name="admin_matching")


def programme_data(raw: dict) -> tuple[dict | None, dict]:
    """Turn validated programme form data into the model's shape, or errors per field."""
    errors: dict[str, list] = {}
    steps = []
    titles, prompts = raw["step_title"], raw["step_prompt"]
    activities, checks = raw["step_activity"], raw["step_check_in"]
    for index, title in enumerate(titles):
        prompt = prompts[index] if index < len(prompts) else ""
        activity = activities[index] if index < len(activities) else ""
        check_in = checks[index] if index < len(checks) else ""
        if not (title or prompt or activity or check_in):
            continue  # an empty week row is dropped
        if not title:
            errors.setdefault("step_title", []).append(str(_l("Week %(n)s needs a title.", n=index + 1)))
        for name, value in zip(STEP_FIELDS, (title, prompt, activity, check_in), strict=True):
            if len(value) > STEP_FIELDS[name]:
                errors.setdefault(name, []).append(
                    str(_l("Week %(n)s: use at most %(max)s characters.", n=index + 1, max=STEP_FIELDS[name]))
                )
        steps.append({"title": title, "prompt": prompt, "activity": activity, "check_in": check_in})
    if not steps:
        errors["step_title"] = [str(_l("A programme needs at least one weekly step."))]
    if not (raw["admin_matching"] or raw["member_requests"]):
        errors["admin_matching"] = [str(_l("Choose at least one way to pair people."))]
    if errors:
        return None, errors
    lines = lambda text: [line.strip() for line in text.splitlines() if line.strip()]  # noqa: E731
    return {
        "name": raw["name"],
        "description": raw["description"],
        "topics": lines(raw["topics_text"])[:50],
        "questions": lines(raw["questions_text"])[:10],
        "steps": steps,
        "partner_name": raw["partner_name"],
        "partner_url": raw["partner_url"],
        "partner_description": raw["partner_description"],
        "admin_matching": raw["admin_matching"],
        "member_requests": raw["member_requests"],
    }, {}


class PairSchema(Schema):
    mentor_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(min=1, max=MAX_ID))
    mentee_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(min=1, max=MAX_ID))


class BodySchema(Schema):
    body = Trimmed(required=True, error_messages=REQUIRED, validate=_length(1, BODY_MAX))


class FitSchema(Schema):
    answer = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.OneOf(
            ["good_fit", "still_deciding", "not_a_good_fit"], error=_l("Choose one of the answers.")
        ),
    )


class EndSchema(Schema):
    feedback = Trimmed(load_default="", validate=_length(0, 2000))
    keep_posts = fields.Boolean(load_default=False)


class RequestSchema(Schema):
    mentor_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(min=1, max=MAX_ID))
    message = Trimmed(load_default="", validate=_length(0, 1000))


class MentorshipSettings(Schema):
    """Site-wide settings (``/admin/plugins``)."""

    retention_months = fields.Integer(
        load_default=12,
        validate=validate.Range(min=1, max=120, error=_l("Choose a number from {min} to {max}.")),
        metadata={
            "label": _l("Keep pair posts for (months)"),
            "description": _l(
                "Pair posts are deleted this many months after their programme finishes, "
                "unless both people chose to keep them."
            ),
        },
    )
