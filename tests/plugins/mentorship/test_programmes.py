"""Programmes: created from a template by group admins, edited freely, moved through their states."""

from __future__ import annotations

from core.plugin_api import db
from plugins.mentorship.models import Programme
from plugins.mentorship.template_files import shipped_templates


def _steps_form(titles):
    data = {"step_title": [], "step_prompt": [], "step_activity": [], "step_check_in": []}
    for title in titles:
        data["step_title"].append(title)
        data["step_prompt"].append(f"{title} prompt")
        data["step_activity"].append(f"{title} activity")
        data["step_check_in"].append("")
    return data


def test_admin_creates_a_programme_from_a_shipped_template(circle, client_for):
    response = client_for(circle.admin).post("/g/parents/mentorship/new", data={"template": "career_advancement"})
    assert response.status_code == 302
    programme = db.session.scalar(db.select(Programme))
    template = shipped_templates()[("career_advancement", "en")]
    assert programme.state == "draft" and programme.kind == "career_advancement"
    assert [s["title"] for s in programme.steps] == [s.title for s in template.steps]


def test_german_admin_gets_the_german_template(circle, client_for):
    circle.admin.locale = "de"
    db.session.commit()
    client_for(circle.admin).post("/g/parents/mentorship/new", data={"template": "skill_development"})
    assert db.session.scalar(db.select(Programme.name)) == "Fähigkeiten entwickeln"


def test_members_and_moderators_cannot_create_programmes(circle, client_for):
    for user in (circle.mentor, circle.moderator, circle.outsider):
        assert (
            client_for(user).post("/g/parents/mentorship/new", data={"template": "skill_development"}).status_code
            == 404
        )
    assert db.session.scalar(db.select(Programme)) is None


def test_editing_the_copy_changes_the_programme_not_the_template(circle, programme, client_for):
    form = {
        "name": "Soap makers",
        "description": "From hobby to business",
        "topics_text": "Soap\nSelling\n",
        "questions_text": "What do you make?",
        "admin_matching": "on",
        "partner_name": "Makers e.V.",
        "partner_url": "https://makers.example",
        "partner_description": "A non-profit for makers",
        **_steps_form(["Hello", "Plan", "Sell"]),
    }
    response = client_for(circle.admin).post(f"/g/parents/mentorship/{programme.id}/edit", data=form)
    assert response.status_code == 302
    db.session.refresh(programme)
    assert (programme.name, programme.topics, programme.duration_weeks) == ("Soap makers", ["Soap", "Selling"], 3)
    assert programme.partner_name == "Makers e.V."
    assert shipped_templates()[("skill_development", "en")].name == "Skill development"
    page = client_for(circle.mentee).get(f"/g/parents/mentorship/{programme.id}").get_data(as_text=True)
    assert "In partnership with Makers e.V." in page and "https://makers.example" in page


def test_a_step_without_a_title_is_refused_next_to_the_field(circle, programme, client_for):
    form = {"name": "X", "description": "Y", "admin_matching": "on", **_steps_form(["Hello", ""])}
    form["step_prompt"][1] = "a prompt without a title"
    response = client_for(circle.admin).post(f"/g/parents/mentorship/{programme.id}/edit", data=form)
    assert response.status_code == 422
    assert "Week 2 needs a title." in response.get_data(as_text=True)


def test_a_programme_needs_a_way_to_pair(circle, programme, client_for):
    form = {"name": "X", "description": "Y", **_steps_form(["Hello"])}
    response = client_for(circle.admin).post(f"/g/parents/mentorship/{programme.id}/edit", data=form)
    assert response.status_code == 422
    assert "Choose at least one way to pair people." in response.get_data(as_text=True)


def test_states_move_forward_only(circle, programme, client_for):
    client = client_for(circle.admin)
    client.post(f"/g/parents/mentorship/{programme.id}/state", data={"state": "running"})
    db.session.refresh(programme)
    assert programme.state == "running" and programme.started_at is not None
    client.post(f"/g/parents/mentorship/{programme.id}/state", data={"state": "open"})
    db.session.refresh(programme)
    assert programme.state == "running"
    client.post(f"/g/parents/mentorship/{programme.id}/state", data={"state": "finished"})
    db.session.refresh(programme)
    assert programme.state == "finished" and programme.finished_at is not None


def test_drafts_are_hidden_from_members_and_several_programmes_are_listed(circle, programme, client_for):
    client_for(circle.admin).post("/g/parents/mentorship/new", data={"template": "career_advancement"})
    draft = db.session.scalar(db.select(Programme).where(Programme.state == "draft"))
    member_page = client_for(circle.mentee).get("/g/parents/mentorship").get_data(as_text=True)
    admin_page = client_for(circle.admin).get("/g/parents/mentorship").get_data(as_text=True)
    assert "Skill development" in member_page and "Career advancement" not in member_page
    assert "Skill development" in admin_page and "Career advancement" in admin_page
    assert client_for(circle.mentee).get(f"/g/parents/mentorship/{draft.id}").status_code == 404


def test_the_plugin_switched_off_in_the_group_answers_404(circle, programme, client_for):
    from core.plugins import state as plugin_state

    client = client_for(circle.mentee)
    assert client.get(f"/g/parents/mentorship/{programme.id}").status_code == 200
    plugin_state.set_group_enabled("mentorship", circle.group, False)
    db.session.commit()
    assert client.get(f"/g/parents/mentorship/{programme.id}").status_code == 404
    assert client.get("/g/parents/mentorship").status_code == 404
