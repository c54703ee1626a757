"""Member requests: a mentee asks a mentor of the programme; the mentor accepts or declines."""

from __future__ import annotations

from flask_babel import gettext as _

from core.plugin_api import Group, User, can_interact, db, notify
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.links import path_for
from plugins.mentorship.models import MatchRequest, Programme
from plugins.mentorship.pairing import check_pair, load_pool, make_pair

REQUEST = "mentorship_request"
DECLINED = "mentorship_request_declined"


def ask(programme: Programme, group: Group, mentee: User, mentor_id: int, message: str) -> MatchRequest:
    """File a request after the same checks as any pairing (full mentor, block, self, ...)."""
    if not programme.member_requests:
        raise MentorshipError(_("In this programme the group's admins pair people."), status=404)
    pool = load_pool(programme)
    check_pair(programme, group, mentor_id, mentee.id, pool)
    pending = db.session.scalar(
        db.select(MatchRequest.id).where(
            MatchRequest.programme_id == programme.id,
            MatchRequest.mentee_id == mentee.id,
            MatchRequest.mentor_id == mentor_id,
            MatchRequest.status == "pending",
        )
    )
    if pending is not None:
        raise MentorshipError(_("You have already asked this mentor."), field="mentor_id", status=409)
    request = MatchRequest(programme_id=programme.id, mentor_id=mentor_id, mentee_id=mentee.id, message=message)
    db.session.add(request)
    db.session.flush()
    mentor = pool.users[mentor_id]
    notify(
        mentor,
        REQUEST,
        actor=mentee,
        group=group,
        url=path_for("mentorship.programme_page", slug=group.slug, programme_id=programme.id),
        data={"programme": programme.name},
    )
    return request


def request_for_mentor(user: User, request_id: int) -> tuple[MatchRequest, Programme, Group] | None:
    row = db.session.execute(
        db.select(MatchRequest, Programme, Group)
        .join(Programme, Programme.id == MatchRequest.programme_id)
        .join(Group, Group.id == Programme.group_id)
        .where(MatchRequest.id == request_id, MatchRequest.mentor_id == user.id)
    ).first()
    return tuple(row) if row else None


def answer(request: MatchRequest, programme: Programme, group: Group, mentor: User, accept: bool) -> None:
    if request.status != "pending":
        raise MentorshipError(_("This request was already answered."), status=409)
    if not accept:
        request.status = "declined"
        mentee = db.session.get(User, request.mentee_id)
        if mentee is not None and can_interact(mentor, mentee):
            notify(
                mentee,
                DECLINED,
                group=group,
                url=path_for("mentorship.mentor_directory", slug=group.slug, programme_id=programme.id),
                data={"programme": programme.name},
            )
        return
    make_pair(programme, group, request.mentor_id, request.mentee_id)
    request.status = "accepted"
    for other in db.session.scalars(
        db.select(MatchRequest).where(
            MatchRequest.programme_id == programme.id,
            MatchRequest.mentee_id == request.mentee_id,
            MatchRequest.status == "pending",
            MatchRequest.id != request.id,
        )
    ):
        other.status = "withdrawn"


def pending_for(programme: Programme, mentor: User) -> list[tuple[MatchRequest, User]]:
    return list(
        db.session.execute(
            db.select(MatchRequest, User)
            .join(User, User.id == MatchRequest.mentee_id)
            .where(
                MatchRequest.programme_id == programme.id,
                MatchRequest.mentor_id == mentor.id,
                MatchRequest.status == "pending",
            )
            .order_by(MatchRequest.id)
        ).all()
    )
