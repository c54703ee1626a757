"""Mentorship pages inside a group: programmes, sign-up, matching, the pair space, the admin view."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.plugin_api import User, can_interact, db, is_plugin_enabled, load_form, render_group_page, support_resources
from plugins.mentorship import pair_space, pairing, programmes, signups, stats
from plugins.mentorship import requests as member_requests
from plugins.mentorship.access import can_manage, programme_or_404
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.explanations import factor_text, obstacle_text, reason_text
from plugins.mentorship.models import Pair, Signup
from plugins.mentorship.schemas import (
    LANGUAGES,
    PARTS_OF_DAY,
    STEP_FIELDS,
    WEEKDAYS,
    BodySchema,
    EndSchema,
    FitSchema,
    PairSchema,
    ProgrammeSchema,
    ProgrammeSignupSchema,
    RequestSchema,
    availability_choices,
    programme_data,
)
from plugins.mentorship.template_files import TemplateError, parse_template, shipped_for

bp = Blueprint(
    "mentorship", __name__, template_folder="templates", static_folder="static", static_url_path="/mentorship/static"
)


@bp.app_context_processor
def _helpers() -> dict:
    return {
        "mentorship_state_label": lambda state: programmes.STATE_LABELS.get(state, state),
        "mentorship_factor_text": factor_text,
        "mentorship_obstacle_text": obstacle_text,
        "mentorship_reason_text": reason_text,
        "mentorship_language": lambda c: LANGUAGES.get(c, c),
    }


def _fail(err: MentorshipError):
    """A refusal the page shows as a message (not-found refusals stay a bare 404)."""
    if err.status == 404:
        abort(404)
    db.session.rollback()
    return err


@contextmanager
def _refusal_flashed() -> Iterator[None]:
    """Run an action whose refusal the page shows as a flash message, its writes rolled back."""
    try:
        yield
    except MentorshipError as err:
        _fail(err)
        flash(err.message, "error")


# --- programmes -------------------------------------------------------------------------------


@bp.get("/g/<slug>/mentorship")
def programme_list(slug: str):
    from core.plugin_api import content_or_404

    context = content_or_404(slug)
    manage = can_manage(current_user, context.group)
    found = programmes.group_programmes(context.group, include_drafts=manage)
    return render_group_page("mentorship/programmes.html", context, programmes=found, manage=manage)


@bp.route("/g/<slug>/mentorship/new", methods=["GET", "POST"])
@login_required
def new_programme(slug: str):
    from core.plugin_api import group_or_404

    context = group_or_404(slug)
    if not can_manage(current_user, context.group):
        abort(404)
    templates = shipped_for(current_user.locale or "en")
    upload_error = None
    status = 200
    if request.method == "POST":
        chosen = None
        upload = request.files.get("template_file")
        if upload is not None and upload.filename:
            try:
                chosen = parse_template(upload.read(), upload.filename)
            except TemplateError as err:
                upload_error, status = str(err), 422
        else:
            chosen = next((t for t in templates if t.key == request.form.get("template")), None)
            if chosen is None:
                upload_error, status = _("Choose a template or upload a template file."), 422
        if chosen is not None:
            programme = programmes.create_from_template(context.group, current_user, chosen)
            db.session.commit()
            flash(_("Programme created as a draft. Edit it, then open it for sign-up."))
            return redirect(url_for("mentorship.edit_programme", slug=slug, programme_id=programme.id))
    return render_group_page("mentorship/new.html", context, templates=templates, upload_error=upload_error), status


@bp.get("/g/<slug>/mentorship/<int:programme_id>")
def programme_page(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id)
    mine, my_pairs = [], []
    if current_user.is_authenticated:
        mine = list(
            db.session.scalars(
                db.select(Signup).where(Signup.programme_id == programme.id, Signup.user_id == current_user.id)
            )
        )
        my_pairs = list(
            db.session.scalars(
                db.select(Pair)
                .where(
                    Pair.programme_id == programme.id,
                    db.or_(Pair.mentor_id == current_user.id, Pair.mentee_id == current_user.id),
                )
                .order_by(Pair.id.desc())
            )
        )
    roles = {s.role: s for s in mine}
    asked = member_requests.pending_for(programme, current_user) if "mentor" in roles else []
    refusals = {
        role: signups.refusal(current_user, programme, context.group, role, signed_up=False)
        for role in ("mentor", "mentee")
        if role not in roles
    }
    return render_group_page(
        "mentorship/programme.html",
        context,
        programme=programme,
        signups=roles,
        refusals=refusals,
        pairs=my_pairs,
        manage=can_manage(current_user, context.group),
        requests=asked,
    )


@bp.route("/g/<slug>/mentorship/<int:programme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id, manage=True)
    errors, status = {}, 200
    if request.method == "POST":
        raw, errors, values = load_form(ProgrammeSchema(), request.form)
        if raw is not None:
            # the week rows are parallel lists: blanks must keep their place (load_form drops them)
            raw.update({name: [value.strip() for value in request.form.getlist(name)] for name in STEP_FIELDS})
            data, errors = programme_data(raw)
            if data is not None:
                programmes.update_copy(programme, data)
                db.session.commit()
                flash(_("Programme saved."))
                return redirect(url_for("mentorship.programme_page", slug=slug, programme_id=programme.id))
        status = 422
        steps = [
            {"title": t, "prompt": p, "activity": a, "check_in": c}
            for t, p, a, c in zip(
                request.form.getlist("step_title"),
                request.form.getlist("step_prompt"),
                request.form.getlist("step_activity"),
                request.form.getlist("step_check_in"),
                strict=False,
            )
        ]
    else:
        values = {
            "name": programme.name,
            "description": programme.description,
            "topics_text": "\n".join(programme.topics),
            "questions_text": "\n".join(programme.questions),
            "partner_name": programme.partner_name,
            "partner_url": programme.partner_url,
            "partner_description": programme.partner_description,
            "admin_matching": programme.admin_matching,
            "member_requests": programme.member_requests,
        }
        steps = list(programme.steps)
    steps = steps + [{"title": "", "prompt": "", "activity": "", "check_in": ""}]  # room for one more week
    return render_group_page(
        "mentorship/edit.html", context, programme=programme, values=values, errors=errors, steps=steps
    ), status


@bp.post("/g/<slug>/mentorship/<int:programme_id>/state")
@login_required
def change_state(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id, manage=True)
    with _refusal_flashed():
        programmes.advance(programme, request.form.get("state", ""))
        db.session.commit()
        flash(_("The programme is now: %(state)s.", state=programmes.STATE_LABELS[programme.state]))
    return redirect(url_for("mentorship.programme_page", slug=slug, programme_id=programme.id))


# --- sign-up ----------------------------------------------------------------------------------


def _signup_values(signup: Signup) -> dict:
    return {
        "goals": signup.goals,
        "topics": signup.topics,
        "languages": signup.languages,
        "preferred_languages": signup.preferred_languages,
        "time_zone": signup.time_zone,
        "availability": availability_choices(signup.availability),
        "capacity": signup.capacity,
        "answers": [signup.answers.get(str(i), "") for i in range(len(signup.answers) + 10)],
    }


@bp.route("/g/<slug>/mentorship/<int:programme_id>/signup/<any(mentor, mentee):role>", methods=["GET", "POST"])
@login_required
def signup_form(slug: str, programme_id: int, role: str):
    context, programme = programme_or_404(slug, programme_id)
    existing = signups.find(programme.id, current_user.id, role)
    refusal = None if existing else signups.refusal(current_user, programme, context.group, role)
    errors, status = {}, 200
    values = (
        _signup_values(existing)
        if existing
        else {"time_zone": "Europe/Berlin", "capacity": 1, "languages": [current_user.locale or "en"]}
    )
    if request.method == "POST" and refusal is None:
        data, errors, values = load_form(ProgrammeSignupSchema(topics=programme.topics), request.form)
        if data is not None:
            # answers follow the questions by position, so blank ones keep their place
            data["answers"] = [answer.strip()[:1000] for answer in request.form.getlist("answers")]
            try:
                if existing:
                    signups.apply(existing, data, role)
                else:
                    signups.sign_up(current_user, programme, context.group, role, data)
                db.session.commit()
                flash(
                    _("Your sign-up is saved.")
                    if existing
                    else _("You signed up. We will let you know when you are paired.")
                )
                return redirect(url_for("mentorship.programme_page", slug=slug, programme_id=programme.id))
            except MentorshipError as err:
                _fail(err)
                refusal, status = err.message, err.status
        else:
            status = 422
    elif request.method == "POST":
        status = 409 if signups.find(programme.id, current_user.id, role) else 403
    return render_group_page(
        "mentorship/signup.html",
        context,
        programme=programme,
        role=role,
        existing=existing,
        refusal=refusal,
        values=values,
        errors=errors,
        languages=LANGUAGES,
        weekdays=WEEKDAYS,
        parts=PARTS_OF_DAY,
    ), status


@bp.post("/g/<slug>/mentorship/<int:programme_id>/signup/<any(mentor, mentee):role>/withdraw")
@login_required
def withdraw(slug: str, programme_id: int, role: str):
    _context, programme = programme_or_404(slug, programme_id)
    with _refusal_flashed():
        signups.withdraw(current_user, programme, role)
        db.session.commit()
        flash(_("You withdrew your sign-up."))
    return redirect(url_for("mentorship.programme_page", slug=slug, programme_id=programme.id))


# --- matching (group admins) ------------------------------------------------------------------


@bp.get("/g/<slug>/mentorship/<int:programme_id>/matching")
@login_required
def matching(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id, manage=True)
    pool = pairing.load_pool(programme)
    result = pairing.suggestions(programme, pool) if request.args.get("suggest") else None
    topic = request.args.get("topic", "")
    language = request.args.get("language", "")

    def keep(signup: Signup) -> bool:
        return (not topic or topic in signup.topics) and (not language or language in signup.languages)

    mentors = [s for s in pool.mentors if keep(s) and pool.remaining(s) > 0]
    mentees = [s for s in pool.mentees if keep(s) and s.user_id not in pool.paired_mentees]
    return render_group_page(
        "mentorship/matching.html",
        context,
        programme=programme,
        pool=pool,
        result=result,
        mentors=mentors,
        mentees=mentees,
        topic=topic,
        language=language,
        errors={},
        languages=LANGUAGES,
    )


@bp.post("/g/<slug>/mentorship/<int:programme_id>/pairs")
@login_required
def create_pair(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id, manage=True)
    data, errors, _values = load_form(PairSchema(), request.form)
    if data is None:
        flash(" ".join(str(m) for messages in errors.values() for m in messages), "error")
        return redirect(url_for("mentorship.matching", slug=slug, programme_id=programme.id)), 303
    with _refusal_flashed():
        pairing.make_pair(programme, context.group, data["mentor_id"], data["mentee_id"])
        db.session.commit()
        flash(_("Paired. Both have been introduced to each other."))
    return redirect(
        url_for(
            "mentorship.matching", slug=slug, programme_id=programme.id, suggest=request.form.get("suggest") or None
        )
    )


@bp.post("/g/<slug>/mentorship/<int:programme_id>/suggestions/reject")
@login_required
def reject_suggestion(slug: str, programme_id: int):
    _context, programme = programme_or_404(slug, programme_id, manage=True)
    data, errors, _values = load_form(PairSchema(), request.form)
    if data is not None:
        pairing.reject_suggestion(programme, data["mentor_id"], data["mentee_id"])
        db.session.commit()
        flash(_("Suggestion rejected; it will not be suggested again."))
    return redirect(url_for("mentorship.matching", slug=slug, programme_id=programme.id, suggest=1))


@bp.get("/g/<slug>/mentorship/<int:programme_id>/overview")
@login_required
def overview(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id, manage=True)
    return render_group_page(
        "mentorship/overview.html", context, programme=programme, figures=stats.programme_figures(programme)
    )


# --- the pair space ---------------------------------------------------------------------------


def _pair_or_404(slug: str, pair_id: int):
    from core.plugin_api import group_or_404

    context = group_or_404(slug)
    found = pair_space.pair_for(current_user, pair_id, context.group.id)
    if found is None:
        abort(404)
    return context, pair_space.view_of(current_user, *found)


@bp.get("/g/<slug>/mentorship/pairs/<int:pair_id>")
def pair_page(slug: str, pair_id: int):
    context, view = _pair_or_404(slug, pair_id)
    posts, comments = pair_space.posts_of(view.pair)
    authors = {view.pair.mentor_id: None, view.pair.mentee_id: None}
    authors[current_user.id] = current_user
    authors[view.other.id] = view.other
    worried = None
    if view.programme.is_support:
        worried = url_for("mentorship.worried", slug=slug, pair_id=pair_id)
    block_url = None
    if is_plugin_enabled("reporting") and "reporting.block" in current_app_view_functions():
        block_url = url_for("mentorship.end_and_block", slug=slug, pair_id=pair_id)
    return render_group_page(
        "mentorship/pair.html",
        context,
        view=view,
        posts=posts,
        comments=comments,
        authors=authors,
        notes=pair_space.notes_of(view),
        errors={},
        values={},
        worried_url=worried,
        block_url=block_url,
    )


def current_app_view_functions() -> dict:
    from flask import current_app

    return current_app.view_functions


def _pair_action(slug: str, pair_id: int, action) -> object:
    context, view = _pair_or_404(slug, pair_id)
    with _refusal_flashed():
        message = action(context, view)
        db.session.commit()
        if message:
            flash(message)
    return redirect(url_for("mentorship.pair_page", slug=slug, pair_id=pair_id))


def _body_or_flash() -> str | None:
    data, errors, _values = load_form(BodySchema(), request.form)
    if data is None:
        raise MentorshipError(_("Write something first (at most 10,000 characters)."), field="body")
    return data["body"]


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/posts")
@login_required
def add_post(slug: str, pair_id: int):
    parent = request.form.get("parent_id", type=int)

    def act(context, view):
        pair_space.add_post(view, current_user, _body_or_flash(), parent)
        return _("Comment added.") if parent else _("Posted.")

    return _pair_action(slug, pair_id, act)


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/step-done")
@login_required
def step_done(slug: str, pair_id: int):
    def act(context, view):
        pair_space.mark_step_done(view)
        return _("Step marked as done. Well done, both of you!")

    return _pair_action(slug, pair_id, act)


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/notes")
@login_required
def add_note(slug: str, pair_id: int):
    def act(context, view):
        pair_space.add_note(view, current_user, _body_or_flash())
        return _("Note saved. Only you can see it.")

    return _pair_action(slug, pair_id, act)


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/fit")
@login_required
def fit_check(slug: str, pair_id: int):
    def act(context, view):
        data, errors, _values = load_form(FitSchema(), request.form)
        if data is None:
            raise MentorshipError(_("Choose one of the answers."), field="answer")
        pair_space.record_fit(view, data["answer"])
        if data["answer"] == "not_a_good_fit":
            pairing.end_pair(view.pair, context.group, by=current_user, reason="not_a_good_fit")
            return _(
                "Thank you for being honest. The pairing has ended, and you will both be offered someone new first."
            )
        return _("Thank you for telling us.")

    return _pair_action(slug, pair_id, act)


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/end")
@login_required
def end_pair(slug: str, pair_id: int):
    def act(context, view):
        data, errors, _values = load_form(EndSchema(), request.form)
        if data is None:
            raise MentorshipError(_("Feedback can be at most 2,000 characters."), field="feedback")
        pairing.end_pair(view.pair, context.group, by=current_user, reason="ended_by_member")
        pair_space.record_end_feedback(view, data["feedback"], data["keep_posts"])
        return _("The pairing has ended. Thank you for taking part.")

    return _pair_action(slug, pair_id, act)


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/feedback")
@login_required
def feedback(slug: str, pair_id: int):
    def act(context, view):
        data, errors, _values = load_form(EndSchema(), request.form)
        if data is None:
            raise MentorshipError(_("Feedback can be at most 2,000 characters."), field="feedback")
        pair_space.record_end_feedback(view, data["feedback"], data["keep_posts"])
        return _("Thank you for your feedback.")

    return _pair_action(slug, pair_id, act)


@bp.post("/g/<slug>/mentorship/pairs/<int:pair_id>/block")
@login_required
def end_and_block(slug: str, pair_id: int):
    """End the pairing at once, then confirm the block with the reporting plugin's form."""
    context, view = _pair_or_404(slug, pair_id)
    if view.pair.status == "active":
        pairing.end_pair(view.pair, context.group, by=current_user, reason="blocked")
        db.session.commit()
    if not is_plugin_enabled("reporting"):
        return redirect(url_for("mentorship.pair_page", slug=slug, pair_id=pair_id))
    return render_group_page("mentorship/block.html", context, view=view, block_action=url_for("reporting.block"))


@bp.get("/g/<slug>/mentorship/pairs/<int:pair_id>/worried")
def worried(slug: str, pair_id: int):
    context, view = _pair_or_404(slug, pair_id)
    if not view.programme.is_support:
        abort(404)
    resources = support_resources(
        current_user.locale or "en", {"country": current_user.country, "reason": "worried_about_someone"}
    )
    return render_group_page("mentorship/worried.html", context, view=view, resources=resources)


@bp.get("/mentorship/mine")
@login_required
def my_mentorships():
    """Everyone's own history: active, completed and ended pairings across groups."""
    from core.plugin_api import Group
    from plugins.mentorship.models import Programme

    rows = db.session.execute(
        db.select(Pair, Programme, Group)
        .join(Programme, Programme.id == Pair.programme_id)
        .join(Group, Group.id == Programme.group_id)
        .where(db.or_(Pair.mentor_id == current_user.id, Pair.mentee_id == current_user.id))
        .order_by(Pair.id.desc())
    ).all()
    others = (
        {
            user.id: user
            for user in db.session.scalars(
                db.select(User).where(User.id.in_({pair.other_id(current_user.id) for pair, _p, _g in rows}))
            )
        }
        if rows
        else {}
    )
    return render_template("mentorship/mine.html", rows=rows, others=others)


# --- member requests --------------------------------------------------------------------------


@bp.get("/g/<slug>/mentorship/<int:programme_id>/mentors")
@login_required
def mentor_directory(slug: str, programme_id: int):
    """Mentees browse the programme's mentors with a free place, by topic, and ask one."""
    context, programme = programme_or_404(slug, programme_id)
    if not programme.member_requests or signups.find(programme.id, current_user.id, "mentee") is None:
        abort(404)
    pool = pairing.load_pool(programme)
    topic = request.args.get("topic", "")
    mentors = [
        s
        for s in pool.mentors
        if s.user_id != current_user.id
        and pool.remaining(s) > 0
        and (not topic or topic in s.topics)
        and can_interact(current_user, pool.users[s.user_id])
    ]
    return render_group_page(
        "mentorship/mentors.html",
        context,
        programme=programme,
        mentors=mentors,
        pool=pool,
        topic=topic,
        paired=current_user.id in pool.paired_mentees,
    )


@bp.post("/g/<slug>/mentorship/<int:programme_id>/requests")
@login_required
def ask_mentor(slug: str, programme_id: int):
    context, programme = programme_or_404(slug, programme_id)
    if signups.find(programme.id, current_user.id, "mentee") is None:
        abort(404)
    data, errors, _values = load_form(RequestSchema(), request.form)
    with _refusal_flashed():
        if data is None:
            raise MentorshipError(_("Choose a mentor."), field="mentor_id")
        member_requests.ask(programme, context.group, current_user, data["mentor_id"], data["message"])
        db.session.commit()
        flash(_("Your request was sent. You will hear back when the mentor answers."))
    return redirect(url_for("mentorship.mentor_directory", slug=slug, programme_id=programme.id))


@bp.post("/g/<slug>/mentorship/requests/<int:request_id>/<any(accept, decline):decision>")
@login_required
def answer_request(slug: str, request_id: int, decision: str):
    from core.plugin_api import group_or_404

    context = group_or_404(slug)
    found = member_requests.request_for_mentor(current_user, request_id)
    if found is None or found[2].id != context.group.id:
        abort(404)
    match_request, programme, group = found
    with _refusal_flashed():
        member_requests.answer(match_request, programme, group, current_user, decision == "accept")
        db.session.commit()
        flash(
            _("You accepted. You have both been introduced.")
            if decision == "accept"
            else _("You declined the request.")
        )
    return redirect(url_for("mentorship.programme_page", slug=slug, programme_id=programme.id))
