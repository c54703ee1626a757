"""Programme templates: the shipped files load in both languages; malformed uploads name file, line, field."""
from __future__ import annotations

import io

import pytest

from plugins.mentorship.template_files import TemplateError, parse_template, shipped_templates

GOOD = """key: soap
language: en
name: From hobby to business
description: Turn soap-making into a small business.
duration_weeks: 2
topics: [Crafts, Selling]
signup_questions:
  - What do you make?
steps:
  - title: Start
    prompt: What do you make today?
    activity: Show each other a bar.
  - title: Sell
    prompt: Where could you sell?
    activity: List three markets.
    check_in: Which one first?
"""


def test_three_shipped_templates_each_in_english_and_german():
    found = shipped_templates()
    keys = {"career_advancement", "skill_development", "encouragement_support"}
    assert {key for key, _lang in found} == keys
    for key in keys:
        english, german = found[(key, "en")], found[(key, "de")]
        assert english.duration_weeks == len(english.steps) == german.duration_weeks == len(german.steps)
        assert english.topics and german.topics and english.name != german.name
        assert all(step.title and step.prompt and step.activity for step in english.steps + german.steps)


def test_a_partner_file_in_the_same_format_is_read():
    template = parse_template(GOOD, "soap.yaml")
    assert template.name == "From hobby to business"
    assert [step.title for step in template.steps] == ["Start", "Sell"]
    assert template.steps[1].check_in == "Which one first?" and template.steps[0].check_in == ""


@pytest.mark.parametrize(("source", "line", "field"), [
    (GOOD.replace("name: From hobby to business\n", ""), 1, "name"),
    (GOOD.replace("  - title: Sell\n", "  - titel: Sell\n"), 13, "steps[2].title"),
    (GOOD.replace("    prompt: What do you make today?\n", ""), 10, "steps[1].prompt"),
    (GOOD.replace("duration_weeks: 2", "duration_weeks: two"), 5, "duration_weeks"),
    (GOOD.replace("duration_weeks: 2", "duration_weeks: 3"), 10, "steps"),
    (GOOD.replace("topics: [Crafts, Selling]", "topics: [Crafts, Selling"), 7, "-"),
])
def test_a_malformed_template_is_refused_naming_file_line_and_field(source, line, field):
    with pytest.raises(TemplateError) as refused:
        parse_template(source, "partner.yaml")
    assert (refused.value.file, refused.value.line, refused.value.field) == ("partner.yaml", line, field)
    assert f"partner.yaml, line {line}" in str(refused.value)


def test_upload_creates_a_draft_programme(circle, client_for):
    client = client_for(circle.admin)
    response = client.post("/g/parents/mentorship/new",
                           data={"template_file": (io.BytesIO(GOOD.encode()), "soap.yaml")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    from core.plugin_api import db
    from plugins.mentorship.models import Programme

    programme = db.session.scalar(db.select(Programme))
    assert (programme.name, programme.state, programme.template_key) == ("From hobby to business", "draft", "soap")


def test_upload_of_a_step_without_a_title_is_refused_with_line_and_field(circle, client_for):
    bad = GOOD.replace("  - title: Sell\n", "  - prompt_only: x\n")
    response = client_for(circle.admin).post(
        "/g/parents/mentorship/new", data={"template_file": (io.BytesIO(bad.encode()), "partner.yaml")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "partner.yaml, line 13, field “steps[2].title”" in page
    from core.plugin_api import db
    from plugins.mentorship.models import Programme

    assert db.session.scalar(db.select(Programme)) is None
