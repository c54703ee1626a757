"""Programme templates: YAML files (ours ship in ``programme_templates/``; partners upload theirs).

A template is read from YAML's node tree rather than from plain values so that every problem
is reported with the file, the line and the field (``steps[2].title``): a partner
organisation fixing its file must be told exactly where to look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from flask_babel import gettext as _

from plugins.mentorship.models import KINDS

SHIPPED = Path(__file__).parent / "programme_templates"
MAX_BYTES = 200_000
MAX_WEEKS = 52
TEXT_MAX = {
    "name": 120,
    "title": 120,
    "description": 4000,
    "prompt": 2000,
    "activity": 2000,
    "check_in": 500,
    "topic": 60,
    "question": 300,
}


@dataclass(frozen=True)
class Step:
    title: str
    prompt: str
    activity: str
    check_in: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "prompt": self.prompt, "activity": self.activity, "check_in": self.check_in}


@dataclass(frozen=True)
class ProgrammeTemplate:
    key: str
    kind: str
    language: str
    name: str
    description: str
    duration_weeks: int
    steps: tuple[Step, ...]
    signup_questions: tuple[str, ...] = ()
    topics: tuple[str, ...] = field(default=())


class TemplateError(ValueError):
    """A template file is unusable: ``file``, ``line`` (1-based) and ``field`` say where."""

    def __init__(self, file: str, line: int, field_name: str, problem: str) -> None:
        self.file, self.line, self.field, self.problem = file, line, field_name, problem
        super().__init__(
            _(
                "%(file)s, line %(line)s, field “%(field)s”: %(problem)s",
                file=file,
                line=line,
                field=field_name,
                problem=problem,
            )
        )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, node: yaml.Node, name: str, problem: str) -> TemplateError:
        return TemplateError(self.file, _line(node), name, problem)

    def mapping(self, node: yaml.Node, name: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, name, _("expected a set of “name: value” fields"))
        return {str(key.value): (key, value) for key, value in node.value}

    def text(
        self, parent: yaml.Node, fields: dict, name: str, path: str, *, required: bool = True, limit: int = 2000
    ) -> str:
        if name not in fields:
            if required:
                raise self.fail(parent, path, _("this field is missing"))
            return ""
        node = fields[name][1]
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith((":null", ":map", ":seq")):
            raise self.fail(node, path, _("expected text"))
        value = str(node.value).strip()
        if required and not value:
            raise self.fail(node, path, _("this field must not be empty"))
        if len(value) > limit:
            raise self.fail(node, path, _("use at most %(max)s characters", max=limit))
        return value

    def text_list(self, parent: yaml.Node, fields: dict, name: str, limit: int) -> tuple[str, ...]:
        if name not in fields:
            return ()
        node = fields[name][1]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, name, _("expected a list"))
        values = []
        for index, item in enumerate(node.value):
            path = f"{name}[{index + 1}]"
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                raise self.fail(item, path, _("expected a line of text"))
            if len(str(item.value).strip()) > limit:
                raise self.fail(item, path, _("use at most %(max)s characters", max=limit))
            values.append(str(item.value).strip())
        return tuple(values)


def parse_template(source: str | bytes, file: str) -> ProgrammeTemplate:
    """Read one template; raises :class:`TemplateError` naming the file, line and field."""
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            raise TemplateError(file, 1, "-", _("the file is larger than %(max)s kB", max=MAX_BYTES // 1000))
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateError(file, 1, "-", _("the file is not UTF-8 text")) from None
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise TemplateError(
            file,
            (mark.line + 1) if mark else 1,
            "-",
            _("this is not valid YAML (%(problem)s)", problem=err.problem or ""),
        ) from None
    if root is None:
        raise TemplateError(file, 1, "-", _("the file is empty"))
    reader = _Reader(file)
    fields = reader.mapping(root, "-")
    key = reader.text(root, fields, "key", "key", limit=64)
    kind = reader.text(root, fields, "kind", "kind", required=False, limit=32) or "custom"
    if kind not in KINDS:
        raise reader.fail(fields["kind"][1], "kind", _("choose one of: %(kinds)s", kinds=", ".join(KINDS)))
    language = reader.text(root, fields, "language", "language", limit=8)
    name = reader.text(root, fields, "name", "name", limit=TEXT_MAX["name"])
    description = reader.text(root, fields, "description", "description", limit=TEXT_MAX["description"])
    if "duration_weeks" not in fields:
        raise reader.fail(root, "duration_weeks", _("this field is missing"))
    weeks_node = fields["duration_weeks"][1]
    try:
        weeks = int(weeks_node.value) if isinstance(weeks_node, yaml.ScalarNode) else 0
    except ValueError:
        weeks = 0
    if not 1 <= weeks <= MAX_WEEKS:
        raise reader.fail(
            weeks_node, "duration_weeks", _("expected a whole number of weeks from 1 to %(max)s", max=MAX_WEEKS)
        )
    if "steps" not in fields:
        raise reader.fail(root, "steps", _("this field is missing"))
    steps_node = fields["steps"][1]
    if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
        raise reader.fail(steps_node, "steps", _("expected a list of weekly steps"))
    steps = []
    for index, item in enumerate(steps_node.value):
        path = f"steps[{index + 1}]"
        step_fields = reader.mapping(item, path)
        steps.append(
            Step(
                title=reader.text(item, step_fields, "title", f"{path}.title", limit=TEXT_MAX["title"]),
                prompt=reader.text(item, step_fields, "prompt", f"{path}.prompt", limit=TEXT_MAX["prompt"]),
                activity=reader.text(item, step_fields, "activity", f"{path}.activity", limit=TEXT_MAX["activity"]),
                check_in=reader.text(
                    item, step_fields, "check_in", f"{path}.check_in", required=False, limit=TEXT_MAX["check_in"]
                ),
            )
        )
    if len(steps) != weeks:
        raise reader.fail(
            steps_node,
            "steps",
            _("%(weeks)s weeks need %(weeks)s steps, one per week; found %(n)s", weeks=weeks, n=len(steps)),
        )
    return ProgrammeTemplate(
        key=key,
        kind=kind,
        language=language,
        name=name,
        description=description,
        duration_weeks=weeks,
        steps=tuple(steps),
        signup_questions=reader.text_list(root, fields, "signup_questions", TEXT_MAX["question"]),
        topics=reader.text_list(root, fields, "topics", TEXT_MAX["topic"]),
    )


@cache
def shipped_templates() -> dict[tuple[str, str], ProgrammeTemplate]:
    """The templates shipped with the plugin by (key, language); read once per process."""
    found = {}
    for path in sorted(SHIPPED.glob("*.yaml")):
        template = parse_template(path.read_bytes(), path.name)
        found[(template.key, template.language)] = template
    return found


def shipped_for(language: str) -> list[ProgrammeTemplate]:
    """One of each shipped template, in ``language`` when there is one, else in English."""
    chosen: dict[str, ProgrammeTemplate] = {}
    for (key, lang), template in shipped_templates().items():
        if lang == language or (lang == "en" and key not in chosen):
            chosen[key] = template
    return sorted(chosen.values(), key=lambda t: t.key)
