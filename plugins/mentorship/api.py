"""JSON API under /api/v1: templates, programmes, sign-ups, suggestions, pairs, requests, steps, posts.

The same services as the pages. A pair and everything in it answer 404 to anyone but its
two people (group and site admins included); refusals name the field under ``errors.json``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from core.plugin_api import User, can_interact, db, group_or_404, not_found, require_user, utcnow
from plugins.mentorship import pair_space, pairing, programmes, signups
from plugins.mentorship import requests as member_requests
from plugins.mentorship.access import can_manage
from plugins.mentorship.api_schemas import (
    MentorOut,
    PairOut,
    PoolQuery,
    PoolSignupOut,
    PostCreateSchema,
    PostOut,
    ProgrammeCreateSchema,
    ProgrammeOut,
    RequestOut,
    SignupOut,
    StateSchema,
    SuggestionsOut,
    TemplateOut,
    TemplateUploadSchema,
    TopicQuery,
)
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.explanations import factor_text, reason_text
from plugins.mentorship.models import Programme
from plugins.mentorship.schemas import (
    BodySchema,
    EndSchema,
    FitSchema,
    PairSchema,
    ProgrammeEditSchema,
    ProgrammeSignupSchema,
    RequestSchema,
)
from plugins.mentorship.template_files import TemplateError, parse_template, shipped_for

blp = Blueprint(
    "mentorship_api",
    __name__,
    url_prefix="/api/v1/groups/<slug>/mentorship",
    description="Mentorship programmes: templates, programmes, sign-ups, suggestions, pairs, posts",
)


def _refuse(err: MentorshipError) -> None:
    db.session.rollback()
    if err.status == 404:
        not_found(err.message)
    if err.field:
        abort(err.status, message=err.message, errors={"json": {err.field: [err.message]}})
    abort(err.status, message=err.message)


def _programme(slug: str, programme_id: int, *, manage: bool = False) -> tuple[Any, Programme]:
    from core.plugin_api import can_view_group_content

    user = require_user()
    context = group_or_404(slug)
    if not can_view_group_content(user, context.group):
        not_found()
    programme = programmes.programme_in_group(context.group, programme_id)
    admin = can_manage(user, context.group)
    if programme is None or (manage and not admin) or (programme.state == "draft" and not admin):
        not_found(_("No such programme."))
    return context, programme


@blp.route("/templates")
@blp.response(200, TemplateOut(many=True))
def list_templates(slug: str):
    """The shipped programme templates, in the caller's language where there is one."""
    user = require_user()
    group_or_404(slug)
    return [{**t.__dict__, "steps": [s.as_dict() for s in t.steps]} for t in shipped_for(user.locale or "en")]


@blp.route("/programmes")
@blp.response(200, ProgrammeOut(many=True))
def list_programmes(slug: str):
    """Programmes of the group (drafts only for its admins)."""
    user = require_user()
    context = group_or_404(slug)
    return programmes.group_programmes(context.group, include_drafts=can_manage(user, context.group))


@blp.route("/programmes", methods=["POST"])
@blp.arguments(ProgrammeCreateSchema)
@blp.response(201, ProgrammeOut)
@blp.alt_response(404, response="NOT_FOUND")
def create_programme(data, slug: str):
    """Create a draft programme from a shipped template (group admins)."""
    user = require_user()
    context = group_or_404(slug)
    if not can_manage(user, context.group):
        not_found()
    template = next((t for t in shipped_for(user.locale or "en") if t.key == data["template"]), None)
    if template is None:
        abort(422, message=_("No such template."), errors={"json": {"template": [_("No such template.")]}})
    programme = programmes.create_from_template(context.group, user, template)
    db.session.commit()
    return programme


@blp.route("/programmes/upload", methods=["POST"])
@blp.arguments(TemplateUploadSchema, location="files")
@blp.response(201, ProgrammeOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def upload_programme(files, slug: str):
    """Create a draft programme from a partner organisation's template file (group admins).

    A malformed file is refused with 422: ``errors.files.file`` holds the sentence, and
    ``errors.template`` the ``file``, ``line``, ``field`` (e.g. ``steps[2].title``) and
    ``problem``, each as a one-item list like every error message of the API.
    """
    user = require_user()
    context = group_or_404(slug)
    if not can_manage(user, context.group):
        not_found()
    upload = files["file"]
    try:
        template = parse_template(upload.read(), upload.filename or "template.yaml")
    except TemplateError as err:
        abort(
            422,
            message=str(err),
            errors={
                "files": {"file": [str(err)]},
                "template": {"file": err.file, "line": err.line, "field": err.field, "problem": err.problem},
            },
        )
    programme = programmes.create_from_template(context.group, user, template)
    db.session.commit()
    return programme


@blp.route("/programmes/<int:programme_id>")
@blp.response(200, ProgrammeOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_programme(slug: str, programme_id: int):
    return _programme(slug, programme_id)[1]


@blp.route("/programmes/<int:programme_id>", methods=["PUT"])
@blp.arguments(ProgrammeEditSchema)
@blp.response(200, ProgrammeOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def edit_programme(data, slug: str, programme_id: int):
    """Replace the programme's copy (name, description, steps, questions, topics, partner, ways to
    pair) without touching its template; the number of steps is the duration (group admins)."""
    _context, programme = _programme(slug, programme_id, manage=True)
    programmes.update_copy(programme, data)
    db.session.commit()
    return programme


@blp.route("/programmes/<int:programme_id>/state", methods=["POST"])
@blp.arguments(StateSchema)
@blp.response(200, ProgrammeOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def change_state(data, slug: str, programme_id: int):
    """Move the programme on: draft → open → running → finished (group admins)."""
    _context, programme = _programme(slug, programme_id, manage=True)
    try:
        programmes.advance(programme, data["state"])
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return programme


@blp.route("/programmes/<int:programme_id>/signups")
@blp.arguments(PoolQuery, location="query")
@blp.response(200, PoolSignupOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_signups(query, slug: str, programme_id: int):
    """Group admins: the pool to pair by hand, filtered by ``role``, ``topic`` and ``language``;
    everyone else: their own sign-ups in the programme."""
    context, programme = _programme(slug, programme_id)
    user = require_user()
    pool = pairing.load_pool(programme)
    admin = can_manage(user, context.group)

    def free(signup) -> int:
        if signup.role == "mentor":
            return pool.remaining(signup)
        return 0 if signup.user_id in pool.paired_mentees else 1

    def out(signup) -> dict[str, Any]:
        shown = ("id", "user_id", "role", "goals", "topics", "languages", "preferred_languages", "time_zone",
                 "availability", "capacity", "priority")
        return {**{name: getattr(signup, name) for name in shown},
                "display_name": pool.users[signup.user_id].display_name, "free_places": free(signup)}

    return [
        out(s)
        for s in (*pool.mentors, *pool.mentees)
        if s.user_id in pool.users
        and (admin or s.user_id == user.id)
        and (query["role"] is None or s.role == query["role"])
        and (not query["topic"] or query["topic"] in s.topics)
        and (not query["language"] or query["language"] in s.languages)
    ]


@blp.route("/programmes/<int:programme_id>/signups/<any(mentor, mentee):role>", methods=["PUT"])
@blp.arguments(ProgrammeSignupSchema)
@blp.response(200, SignupOut)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
def put_signup(data, slug: str, programme_id: int, role: str):
    """Sign up (or edit your sign-up) as mentor or mentee; topics must be the programme's."""
    context, programme = _programme(slug, programme_id)
    unknown = [t for t in data["topics"] if t not in programme.topics]
    if unknown:
        message = _("Choose topics from the programme's list.")
        abort(422, message=message, errors={"json": {"topics": [message]}})
    user = require_user()
    existing = signups.find(programme.id, user.id, role)
    try:
        if existing:
            signups.apply(existing, data, role)
            signup = existing
        else:
            signup = signups.sign_up(user, programme, context.group, role, data)
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return signup


@blp.route("/programmes/<int:programme_id>/signups/<any(mentor, mentee):role>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def delete_signup(slug: str, programme_id: int, role: str):
    """Withdraw before being paired."""
    _context, programme = _programme(slug, programme_id)
    try:
        signups.withdraw(require_user(), programme, role)
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()


@blp.route("/programmes/<int:programme_id>/suggestions")
@blp.response(200, SuggestionsOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_suggestions(slug: str, programme_id: int):
    """Suggested matches for the whole pool, each with its factors; unmatched mentees with reasons."""
    _context, programme = _programme(slug, programme_id, manage=True)
    result = pairing.suggestions(programme, pairing.load_pool(programme))
    return {
        "suggestions": [
            {
                "mentor_id": s.mentor,
                "mentee_id": s.mentee,
                "score": s.score,
                "factors": [
                    {"code": str(f.code), "points": f.points, "text": factor_text(f)} for f in s.explanation.factors
                ],
            }
            for s in result.suggestions
        ],
        "unmatched": [
            {"mentee_id": u.mentee, "reason": str(u.reason), "text": reason_text(u)} for u in result.unmatched
        ],
    }


@blp.route("/programmes/<int:programme_id>/suggestions/reject", methods=["POST"])
@blp.arguments(PairSchema)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def reject_suggestion(data, slug: str, programme_id: int):
    """Reject a suggested pair: it is never suggested again in this programme (group admins)."""
    _context, programme = _programme(slug, programme_id, manage=True)
    pairing.reject_suggestion(programme, data["mentor_id"], data["mentee_id"])
    db.session.commit()


@blp.route("/programmes/<int:programme_id>/pairs", methods=["POST"])
@blp.arguments(PairSchema)
@blp.response(201, PairOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def create_pair(data, slug: str, programme_id: int):
    """Pair a mentor and a mentee (accepting a suggestion, or by hand); both are introduced."""
    context, programme = _programme(slug, programme_id, manage=True)
    try:
        pair = pairing.make_pair(programme, context.group, data["mentor_id"], data["mentee_id"])
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return _pair_out(pair, programme)


@blp.route("/programmes/<int:programme_id>/mentors")
@blp.arguments(TopicQuery, location="query")
@blp.response(200, MentorOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_mentors(query, slug: str, programme_id: int):
    """Mentors with a free place, optionally on one ``topic`` (signed-up mentees, where members ask)."""
    _context, programme = _programme(slug, programme_id)
    user = require_user()
    if not programme.member_requests or signups.find(programme.id, user.id, "mentee") is None:
        not_found()
    pool = pairing.load_pool(programme)
    return [
        {
            "user_id": s.user_id,
            "display_name": pool.users[s.user_id].display_name,
            "goals": s.goals,
            "topics": s.topics,
            "languages": s.languages,
            "free_places": pool.remaining(s),
        }
        for s in pool.mentors
        if s.user_id != user.id
        and pool.remaining(s) > 0
        and (not query["topic"] or query["topic"] in s.topics)
        and can_interact(user, pool.users[s.user_id])
    ]


@blp.route("/programmes/<int:programme_id>/requests")
@blp.response(200, RequestOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_requests(slug: str, programme_id: int):
    """Your requests in the programme: those you sent as a mentee, and those waiting for you as a mentor."""
    from plugins.mentorship.models import MatchRequest

    _context, programme = _programme(slug, programme_id)
    user = require_user()
    return list(
        db.session.scalars(
            db.select(MatchRequest)
            .where(
                MatchRequest.programme_id == programme.id,
                db.or_(
                    MatchRequest.mentee_id == user.id,
                    db.and_(MatchRequest.mentor_id == user.id, MatchRequest.status == "pending"),
                ),
            )
            .order_by(MatchRequest.id)
        )
    )


@blp.route("/programmes/<int:programme_id>/requests", methods=["POST"])
@blp.arguments(RequestSchema)
@blp.response(201, RequestOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def ask_mentor(data, slug: str, programme_id: int):
    """As a signed-up mentee, ask a mentor of the programme."""
    context, programme = _programme(slug, programme_id)
    user = require_user()
    if signups.find(programme.id, user.id, "mentee") is None:
        not_found()
    try:
        request = member_requests.ask(programme, context.group, user, data["mentor_id"], data["message"])
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return request


@blp.route("/requests/<int:request_id>/<any(accept, decline):decision>", methods=["POST"])
@blp.response(200, RequestOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def answer_request(slug: str, request_id: int, decision: str):
    """As the asked mentor, accept or decline."""
    user = require_user()
    context = group_or_404(slug)
    found = member_requests.request_for_mentor(user, request_id)
    if found is None or found[2].id != context.group.id:
        not_found()
    request, programme, group = found
    try:
        member_requests.answer(request, programme, group, user, decision == "accept")
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return request


# --- the pair: its two people only --------------------------------------------------------------


def _view(slug: str, pair_id: int) -> pair_space.PairView:
    user = require_user()
    context = group_or_404(slug)
    found = pair_space.pair_for(user, pair_id, context.group.id)
    if found is None:
        not_found(_("No such pair."))
    return pair_space.view_of(user, *found)


def _pair_out(pair, programme, viewer_id: int | None = None) -> dict[str, Any]:
    """The pair as its ``viewer`` sees it: their own fit answer and feedback, the other's feedback."""
    index = min(pair.steps_done, len(programme.steps) - 1)
    done = pair.steps_done >= len(programme.steps)
    role = pair.role_of(viewer_id)
    mine, theirs = ("mentor", "mentee") if role == "mentor" else ("mentee", "mentor")
    return {
        "id": pair.id,
        "programme_id": pair.programme_id,
        "mentor_id": pair.mentor_id,
        "mentee_id": pair.mentee_id,
        "status": pair.status,
        "end_reason": pair.end_reason,
        "steps_done": pair.steps_done,
        "current_step": None if done else programme.steps[index],
        "started_at": pair.started_at,
        "ended_at": pair.ended_at,
        "fit_check_open": role is not None
        and pair.status == "active"
        and utcnow() - pair.started_at >= pair_space.FIT_CHECK_AFTER,
        "my_fit": getattr(pair, f"fit_{mine}") if role else None,
        "my_feedback": getattr(pair, f"feedback_{mine}") if role else "",
        "their_feedback": getattr(pair, f"feedback_{theirs}") if role else "",
    }


def _view_out(view: pair_space.PairView) -> dict[str, Any]:
    out = _pair_out(view.pair, view.programme, view.pair.other_id(view.other.id))
    if view.blocked:
        out["their_feedback"] = ""
    return out


@blp.route("/pairs")
@blp.response(200, PairOut(many=True))
def list_pairs(slug: str):
    """Your pairings in this group, newest first: active, completed and ended (nobody else's)."""
    from plugins.mentorship.models import Pair

    user = require_user()
    context = group_or_404(slug)
    rows = db.session.execute(
        db.select(Pair, Programme)
        .join(Programme, Programme.id == Pair.programme_id)
        .where(Programme.group_id == context.group.id, db.or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id))
        .order_by(Pair.id.desc())
    ).all()
    ids = {pair.other_id(user.id) for pair, _programme in rows}
    others = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))} if ids else {}
    found = []
    for pair, programme in rows:
        out = _pair_out(pair, programme, user.id)
        other = others.get(pair.other_id(user.id))
        if other is None or not can_interact(user, other):
            out["their_feedback"] = ""  # nothing crosses a block
        found.append(out)
    return found


@blp.route("/pairs/<int:pair_id>")
@blp.response(200, PairOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_pair(slug: str, pair_id: int):
    """The pair and its current step (its two people only)."""
    view = _view(slug, pair_id)
    return _view_out(view)


@blp.route("/pairs/<int:pair_id>/posts")
@blp.response(200, PostOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_posts(slug: str, pair_id: int):
    view = _view(slug, pair_id)
    posts, comments = pair_space.posts_of(view.pair)
    return [item for post in posts for item in (post, *comments.get(post.id, []))]


@blp.route("/pairs/<int:pair_id>/posts", methods=["POST"])
@blp.arguments(PostCreateSchema)
@blp.response(201, PostOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def create_post(data, slug: str, pair_id: int):
    """A post, or a comment on one (``parent_id``); Markdown rendered once, here."""
    view = _view(slug, pair_id)
    try:
        post = pair_space.add_post(view, require_user(), data["body"].strip(), data["parent_id"])
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return post


@blp.route("/pairs/<int:pair_id>/steps/done", methods=["POST"])
@blp.response(200, PairOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def step_done(slug: str, pair_id: int):
    view = _view(slug, pair_id)
    try:
        pair_space.mark_step_done(view)
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return _view_out(view)


@blp.route("/pairs/<int:pair_id>/notes")
@blp.response(200, PostOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_notes(slug: str, pair_id: int):
    """The mentor's private notes (404 for the mentee)."""
    view = _view(slug, pair_id)
    if view.role != "mentor":
        not_found()
    return [
        {
            "id": n.id,
            "parent_id": None,
            "author_id": n.author_id,
            "step": 0,
            "body": n.body,
            "body_html": n.body_html,
            "created_at": n.created_at,
        }
        for n in pair_space.notes_of(view)
    ]


@blp.route("/pairs/<int:pair_id>/notes", methods=["POST"])
@blp.arguments(BodySchema)
@blp.response(201, PostOut)
@blp.alt_response(404, response="NOT_FOUND")
def create_note(data, slug: str, pair_id: int):
    view = _view(slug, pair_id)
    try:
        note = pair_space.add_note(view, require_user(), data["body"])
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return {
        "id": note.id,
        "parent_id": None,
        "author_id": note.author_id,
        "step": 0,
        "body": note.body,
        "body_html": note.body_html,
        "created_at": note.created_at,
    }


@blp.route("/pairs/<int:pair_id>/end", methods=["POST"])
@blp.response(200, PairOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def end(slug: str, pair_id: int):
    """End the pairing (either person, any time); the other is told kindly."""
    view = _view(slug, pair_id)
    try:
        pairing.end_pair(view.pair, group_or_404(slug).group, by=require_user(), reason="ended_by_member")
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return _view_out(view)


@blp.route("/pairs/<int:pair_id>/fit", methods=["POST"])
@blp.arguments(FitSchema)
@blp.response(200, PairOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def fit_check(data, slug: str, pair_id: int):
    """Answer the fit check (after the second week): ``good_fit``, ``still_deciding`` or ``not_a_good_fit``.

    "Not a good fit" ends the pair kindly and offers both a rematch with priority; the other
    person is told it ended after the fit check, never who answered what."""
    view = _view(slug, pair_id)
    try:
        pair_space.record_fit(view, data["answer"])
        if data["answer"] == "not_a_good_fit":
            pairing.end_pair(view.pair, group_or_404(slug).group, by=require_user(), reason="not_a_good_fit")
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return _view_out(view)


@blp.route("/pairs/<int:pair_id>/feedback", methods=["POST"])
@blp.arguments(EndSchema)
@blp.response(200, PairOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def feedback(data, slug: str, pair_id: int):
    """Leave a few words for the other person once the pair has ended (completed or ended early),
    and say whether to keep the pair's posts after the programme (both must agree)."""
    view = _view(slug, pair_id)
    try:
        pair_space.record_end_feedback(view, data["feedback"], data["keep_posts"])
    except MentorshipError as err:
        _refuse(err)
    db.session.commit()
    return _view_out(view)
