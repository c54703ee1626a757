"""Read side of groups: each function is one SQL query, whatever the size of the data.

A page loads the group together with the viewer's membership (and what the header needs)
in one query and primes ``core.permissions``' memo with it; lists load rows together with
their authors, filtered by ``not_hidden`` inside the same query, keyset-paginated.
Counters shown beside them (members, comments) subtract, in that same query, the people
hidden from the viewer; a group's staff see everyone in it, and lists flag (``hidden_authors``)
the people they see only for that reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, false, func, literal, or_
from sqlalchemy.orm import aliased, contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from core.extensions import db
from core.groups import keyset, list_columns, statements
from core.groups.list_columns import ListColumns
from core.groups.reactions import COMMENTS, POSTS, summary_columns, summary_from, summary_params
from core.groups.statements import GROUP_ID, POST_ID, SLUG
from core.models import REACTION_KINDS, Comment, Group, Invitation, JoinRequest, Membership, Post, PostImage, User
from core.permissions import can_view_group_content, is_authenticated, remember_membership, sees_everyone_in
from core.visibility import hidden_count, hidden_flag, not_hidden


@dataclass
class GroupContext:
    """A group as one viewer meets it: their membership and what the page header shows."""

    group: Group
    membership: Membership | None
    has_pending_request: bool
    invitation_id: int | None
    open_requests: int
    hidden_authors: frozenset[int] = frozenset()
    has_pinned: bool = True  # False only when known (``load_group``): the feed then skips the pinned query


@dataclass
class Page:
    """One page of a keyset-paginated list; ``next`` is the cursor for the following page."""

    items: list[Any]
    next: str | None
    hidden_authors: frozenset[int] = frozenset()


VIEWER = bindparam("cg_viewer_id", type_=Integer)


@cache
def _context_columns(authenticated: bool) -> tuple[tuple, tuple]:
    """Columns for the viewer's membership, pending request and invitation, and the request count.

    Built once (the viewer is the bound parameter ``VIEWER``, see ``_viewer_params``): building
    these expressions cost more than running the query.
    """
    open_requests = (
        db.select(db.func.count(JoinRequest.id))
        .where(JoinRequest.group_id == Group.id, JoinRequest.status == "pending")
        .correlate(Group).scalar_subquery()
    )
    if not authenticated:
        return (literal(None), false(), literal(None), open_requests), ()
    pending = (
        db.select(JoinRequest.id)
        .where(JoinRequest.group_id == Group.id, JoinRequest.user_id == VIEWER, JoinRequest.status == "pending")
        .correlate(Group).exists()
    )
    invitation = (
        db.select(db.func.max(Invitation.id))
        .where(Invitation.group_id == Group.id, Invitation.user_id == VIEWER, Invitation.status == "pending")
        .correlate(Group).scalar_subquery()
    )
    join = (Membership, and_(Membership.group_id == Group.id, Membership.user_id == VIEWER))
    return (Membership, pending, invitation, open_requests), (join,)


def _viewer_params(viewer: Any) -> dict:
    return {VIEWER.key: viewer.id} if is_authenticated(viewer) else {}


def _context(viewer: Any, group: Group, row: Any, offset: int) -> GroupContext:
    """The context from ``row[offset:]``: the four context columns, then ``_hidden_members``."""
    found, pending, invitation_id, open_requests, hidden_members = row[offset:offset + 5]
    if is_authenticated(viewer):
        remember_membership(viewer, group, found)
    _count_members(viewer, group, hidden_members)
    return GroupContext(group=group, membership=found, has_pending_request=bool(pending),
                        invitation_id=invitation_id, open_requests=open_requests or 0)


# Made once: an alias is costly to build (and to adapt columns for) on every request.
_COUNTED_MEMBER = aliased(Membership, name="counted_member")
_COUNTED_COMMENT = aliased(Comment, name="counted_comment")


def _hidden_members(viewer: Any):
    """How many members of the row's group are hidden from ``viewer`` (a correlated count)."""
    member = _COUNTED_MEMBER
    return hidden_count(member.id, member.group_id == Group.id, person=member.user_id, viewer=viewer)


def _count_members(viewer: Any, group: Group, hidden: int | None) -> None:
    """``group.shown_member_count`` for this viewer: staff see (and count) everyone."""
    group.hidden_member_count = 0 if sees_everyone_in(viewer, group) else (hidden or 0)


def _hidden_comments(viewer: Any):
    """How many comments on the row's post are by people hidden from ``viewer``."""
    comment = _COUNTED_COMMENT
    return hidden_count(comment.id, comment.post_id == Post.id, person=comment.author_id, viewer=viewer)


def _flagged(stmt, flag, person) -> tuple[list, frozenset[int]]:
    """Run ``stmt`` (an entity, then ``flag`` if any): the items, and the people ``flag`` marked."""
    if flag is None:
        return list(db.session.scalars(stmt)), frozenset()
    rows = db.session.execute(stmt).all()
    return [row[0] for row in rows], frozenset(person(row[0]) for row in rows if row[1])


@cache
def _group_statement(authenticated: bool):
    columns, joins = _context_columns(authenticated)
    stmt = db.select(Group, *columns).where(Group.slug == SLUG)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    return stmt


@cache
def _has_pinned():
    """Whether the row's group has a pinned post (an index lookup on ``ix_posts_group_pinned``)."""
    return (db.select(Post.id).where(Post.group_id == Group.id, Post.pinned_at.is_not(None))
            .correlate(Group).exists())


def load_group(slug: str, viewer: Any) -> GroupContext | None:
    """The group with the viewer's membership, in one query; None if no such group."""
    params = _viewer_params(viewer)
    stmt = statements.reused(("group", bool(params)), viewer, lambda: _group_statement(bool(params)).add_columns(
        _hidden_members(viewer), _has_pinned()))
    row = db.session.execute(stmt, {SLUG.key: slug, **params}).first()
    if row is None:
        return None
    context = _context(viewer, row[0], row, 1)
    context.has_pinned = bool(row[-1])
    return context


def load_post(slug: str | None, post_id: int, viewer: Any) -> tuple[GroupContext, Post] | None:
    """Post, author, group and the viewer's membership in one query; None if not visible to them.

    ``slug`` None finds the post in whatever group it is (the API addresses posts by id).
    """
    params = _viewer_params(viewer)
    # The staff clause inside the block filter names the viewer: one statement per viewer.
    kind = ("post", viewer.id if params else None, bool(params) and viewer.is_suspended, slug is None)

    def build(extra: ListColumns) -> tuple[Any, None]:
        return statements.reused((kind, extra.key), viewer, lambda: _post_statement(
            viewer, bool(params), slug is None, extra.columns)), None

    values = {**params, **summary_params(viewer), POST_ID.key: post_id}
    if slug is not None:
        values[SLUG.key] = slug
    rows, _, extra = list_columns.execute(build, list_columns.asked(viewer, "post", Post.id), values)
    if not rows:
        return None
    row = rows[0]
    if extra.columns:
        width = len(row) - len(extra.columns)
        list_columns.keep("post", extra, [row[0].id], rows, width)
        row = row[:width]
    post = row[0]
    context = _context(viewer, post.group, row, 1)
    if not can_view_group_content(viewer, post.group):
        return None
    staff = sees_everyone_in(viewer, post.group)
    extra = 1 + len(REACTION_KINDS)
    post.reactions = summary_from(row[-extra:])
    post.hidden_comment_count = 0 if staff else (row[-2 - extra] or 0)
    if row[-1 - extra]:
        context.hidden_authors = frozenset({post.author_id})
    return context, post


def _post_statement(viewer: Any, authenticated: bool, any_group: bool, extra: tuple = ()):
    """``load_post``'s statement: the post (``POST_ID``, in the group ``SLUG`` unless ``any_group``),
    then the plugins' ``extra`` columns (``list_columns``)."""
    columns, joins = _context_columns(authenticated)
    flag = hidden_flag(Post.author_id, viewer, Post.group_id)
    stmt = (
        db.select(Post, *columns, _hidden_members(viewer), _hidden_comments(viewer), flag if flag is not None
                  else literal(False), *summary_columns(POSTS, viewer, Post.group_id), *extra)
        .join(Post.group).join(Post.author)
        .options(contains_eager(Post.group), contains_eager(Post.author))
        .where(Post.id == POST_ID, not_hidden(Post.author_id, viewer, Post.group_id))
    )
    if not any_group:
        stmt = stmt.where(Group.slug == SLUG)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    return stmt


def load_comment(slug: str | None, comment_id: int, viewer: Any) -> tuple[GroupContext, Comment] | None:
    """A comment with its post, group and the viewer's membership in one query; None if not visible."""
    params = _viewer_params(viewer)
    columns, joins = _context_columns(bool(params))
    post_author = db.aliased(User)
    stmt = (
        db.select(Comment, *columns, _hidden_members(viewer))
        .join(Comment.post).join(Post.group).join(Comment.author)
        .join(post_author, Post.author_id == post_author.id)
        .options(contains_eager(Comment.post).contains_eager(Post.group), contains_eager(Comment.author),
                 contains_eager(Comment.post).contains_eager(Post.author.of_type(post_author)))
        .where(Comment.id == comment_id, not_hidden(Comment.author_id, viewer, Post.group_id),
               not_hidden(Post.author_id, viewer, Post.group_id))
    )
    if slug is not None:
        stmt = stmt.where(Group.slug == slug)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    row = db.session.execute(stmt, params).first()
    if row is None:
        return None
    comment = row[0]
    context = _context(viewer, comment.post.group, row, 1)
    if not can_view_group_content(viewer, comment.post.group):
        return None
    return context, comment


MAX_PINNED = 5  # pinned posts shown above the feed; pinning more shows the newest pins


def _feed_statement(group: Group, viewer: Any, extra: tuple = ()):
    """Posts of the group ``GROUP_ID`` with authors, hidden-comment counts, reaction counts, the
    staff flag (present when there is one to show) and the plugins' ``extra`` columns."""
    staff = sees_everyone_in(viewer, group)
    flag = hidden_flag(Post.author_id, viewer, group)
    columns = [Post, literal(0) if staff else _hidden_comments(viewer), *summary_columns(POSTS, viewer, group)]
    stmt = (
        db.select(*columns, *([flag] if flag is not None else []), *extra)
        .join(Post.author).options(contains_eager(Post.author))
        .where(Post.group_id == GROUP_ID, not_hidden(Post.author_id, viewer, group))
    )
    return stmt, flag is not None


def _feed_kind(name: str, group: Group, viewer: Any) -> tuple:
    """What a feed statement depends on besides its parameters and the block filter."""
    return name, is_authenticated(viewer), sees_everyone_in(viewer, group)


def _feed_rows(make, group: Group, viewer: Any, flagged: set[int]) -> list[Post]:
    """Run the feed statement ``make(extra)`` gives (with whether it has the staff flag) for the
    plugins' columns ``extra``; the posts, their authors added to ``flagged`` where flagged."""
    extra = list_columns.asked(viewer, "post", Post.id, group)
    rows, flagged_column, extra = list_columns.execute(make, extra, {**summary_params(viewer),
                                                                     GROUP_ID.key: group.id})
    posts = []
    width = 3 + len(REACTION_KINDS)
    for row in rows:
        post = row[0]
        post.hidden_comment_count = row[1] or 0
        post.reactions = summary_from(row[2:width])
        if flagged_column and row[width]:
            flagged.add(post.author_id)
        posts.append(post)
    if extra.columns:
        list_columns.keep("post", extra, [post.id for post in posts], rows, width + 1 if flagged_column else width)
    return posts


def feed_page(group: Group, viewer: Any, before: str | None, limit: int) -> Page:
    """Newest posts first, with authors; ``before`` is a cursor from a previous page.

    Pinned posts are not part of these pages (``pinned_posts`` shows them above the first),
    so the cursor of every page still walks one plain order. Each post's
    ``shown_comment_count`` leaves out comments by people hidden from the viewer.
    """
    cursor = keyset.decode(before, (datetime, int)) if before else None

    def make(extra: ListColumns) -> tuple[Any, bool]:
        def build():
            stmt, flagged_column = _feed_statement(group, viewer, extra.columns)
            return (stmt.where(Post.pinned_at.is_(None)).order_by(Post.created_at.desc(), Post.id.desc())
                    .limit(limit + 1)), flagged_column

        stmt, flagged_column = statements.reused((_feed_kind("feed", group, viewer), limit, extra.key), viewer,
                                                 build)
        if cursor is not None:
            stmt = stmt.where(keyset.after((Post.created_at, Post.id), cursor, descending=True))
        return stmt, flagged_column

    flagged: set[int] = set()
    posts = _feed_rows(make, group, viewer, flagged)
    page = _page(posts, limit, lambda post: keyset.encode(post.created_at, post.id))
    page.hidden_authors = frozenset(flagged)
    return page


def pinned_posts(group: Group, viewer: Any) -> Page:
    """The group's pinned posts, newest pin first (at most ``MAX_PINNED``); one query."""
    def make(extra: ListColumns) -> tuple[Any, bool]:
        def build():
            stmt, flagged_column = _feed_statement(group, viewer, extra.columns)
            return (stmt.where(Post.pinned_at.is_not(None)).order_by(Post.pinned_at.desc(), Post.id.desc())
                    .limit(MAX_PINNED)), flagged_column

        return statements.reused((_feed_kind("pinned", group, viewer), extra.key), viewer, build)

    flagged: set[int] = set()
    posts = _feed_rows(make, group, viewer, flagged)
    return Page(items=posts, next=None, hidden_authors=frozenset(flagged))


#: Comments are shown thread by thread: a top comment, then its replies, oldest first.
THREAD = func.coalesce(Comment.parent_id, Comment.id)


def comment_page(post: Post, viewer: Any, after: str | None, limit: int) -> Page:
    """A post's comments thread by thread (each top comment followed by its replies), with authors.

    The cursor is (thread, id): ids grow with time, so this is the order they were written in,
    with replies pulled up under the comment they answer.
    """
    kind = ("comments", is_authenticated(viewer), sees_everyone_in(viewer, post.group), limit)
    cursor = keyset.decode(after, (int, int)) if after else None

    def make(extra: ListColumns) -> tuple[Any, bool]:
        def build():
            flag = hidden_flag(Comment.author_id, viewer, post.group)
            stmt = (
                db.select(Comment, *summary_columns(COMMENTS, viewer, post.group),
                          *([flag] if flag is not None else []), *extra.columns)
                .join(Comment.author).options(contains_eager(Comment.author))
                .where(Comment.post_id == POST_ID, not_hidden(Comment.author_id, viewer, post.group))
                .order_by(THREAD, Comment.id)
                .limit(limit + 1)
            )
            return stmt, flag is not None

        stmt, flagged_column = statements.reused((kind, extra.key), viewer, build)
        if cursor is not None:
            stmt = stmt.where(keyset.after((THREAD, Comment.id), cursor))
        return stmt, flagged_column

    extra = list_columns.asked(viewer, "comment", Comment.id, post.group)
    rows, flagged_column, extra = list_columns.execute(make, extra, {**summary_params(viewer),
                                                                     POST_ID.key: post.id})
    comments, flagged = [], set()
    width = 2 + len(REACTION_KINDS)
    for row in rows:
        comment = row[0]
        comment.reactions = summary_from(row[1:width])
        if flagged_column and row[width]:
            flagged.add(comment.author_id)
        comments.append(comment)
    if extra.columns:
        list_columns.keep("comment", extra, [comment.id for comment in comments], rows,
                          width + 1 if flagged_column else width)
    page = _page(comments, limit, lambda comment: keyset.encode(comment.thread_id, comment.id))
    page.hidden_authors = frozenset(flagged)
    return page


ROLE_ORDER = case({"owner": 3, "admin": 2, "moderator": 1}, value=Membership.role, else_=0)


def member_page(group: Group, viewer: Any, after: str | None, limit: int) -> Page:
    """Members with their accounts: owners first, then admins, moderators, members by join order."""
    flag = hidden_flag(Membership.user_id, viewer, group)
    stmt = (
        db.select(Membership, *([flag] if flag is not None else []))
        .join(Membership.user).options(contains_eager(Membership.user))
        .where(Membership.group_id == group.id, not_hidden(Membership.user_id, viewer, group))
        .order_by(ROLE_ORDER.desc(), Membership.id)
        .limit(limit + 1)
    )
    if after:
        rank, last_id = keyset.decode(after, (int, int))
        stmt = stmt.where(or_(ROLE_ORDER < rank, and_(ROLE_ORDER == rank, Membership.id > last_id)))
    members, flagged = _flagged(stmt, flag, lambda member: member.user_id)
    page = _page(members, limit, lambda m: keyset.encode(m.rank, m.id))
    page.hidden_authors = flagged
    return page


def request_page(group: Group, viewer: Any, after: str | None, limit: int) -> Page:
    """Pending join requests, oldest first, with the applicants."""
    stmt = (
        db.select(JoinRequest).join(JoinRequest.user).options(contains_eager(JoinRequest.user))
        .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending",
               not_hidden(JoinRequest.user_id, viewer, group))
        .order_by(JoinRequest.id)
        .limit(limit + 1)
    )
    if after:
        (last_id,) = keyset.decode(after, (int,))
        stmt = stmt.where(JoinRequest.id > last_id)
    requests = list(db.session.scalars(stmt))
    return _page(requests, limit, lambda r: keyset.encode(r.id))


def _directory_statement(authenticated: bool, viewer: Any):
    """Groups with the viewer's membership (the viewer's id bound when it runs) and hidden members."""
    if not authenticated:
        return db.select(Group, literal(None), literal(0))
    return db.select(Group, Membership, _hidden_members(viewer)).outerjoin(
        Membership, and_(Membership.group_id == Group.id, Membership.user_id == VIEWER))


def directory_page(viewer: Any, query: str, after: str | None, limit: int) -> Page:
    """Every group (private ones too: name and description are public), by name, with the viewer's role."""
    if query:
        return _directory_search(viewer, query, after, limit)
    params = _viewer_params(viewer)
    stmt = _directory_statement(bool(params), viewer)
    if after:
        stmt = stmt.where(keyset.after((Group.name, Group.id), keyset.decode(after, (str, int))))
    rows = db.session.execute(stmt.order_by(Group.name, Group.id).limit(limit + 1), params).all()
    groups = []
    for group, found, hidden_members in rows:
        if params:
            remember_membership(viewer, group, found)
        _count_members(viewer, group, hidden_members)
        groups.append(group)
    return _page(groups, limit, lambda group: keyset.encode(group.name, group.id))


def _directory_search(viewer: Any, query: str, after: str | None, limit: int) -> Page:
    """Groups whose name or description has the words, best match first, through the search index.

    ``core.search`` finds and ranks the groups (its ``group`` source, with the viewer's filters);
    the page joins them to the groups and memberships: still one query, answered by the full-text
    index instead of reading every group. Cursors are ``(score, index row id)``. The statement is
    built once per search statement (search reuses its own per viewer and kind of search) and
    block filter, and runs with the search's words and the viewer's id bound: building it, and its
    cache key, cost more than running it.
    """
    from core.search.query import source_matches

    matches = source_matches(viewer, query, "group", after=after, limit=limit)
    if matches is None:
        return Page(items=[], next=None)
    params = _viewer_params(viewer)

    def build():
        found = matches.statement.subquery("matches")
        return (_directory_statement(bool(params), viewer).join(found, found.c.object_id == Group.id)
                .add_columns(found.c.score, found.c.id).order_by(found.c.score.desc(), found.c.id.desc()))

    # Keyed by the search statement itself (kept alive by the key); one built for this search only is not kept.
    stmt = (statements.reused(("directory-search", bool(params), matches.statement), viewer, build)
            if matches.reused else build())
    groups, keys = [], {}
    for group, membership, hidden_members, score, entry_id in db.session.execute(
            stmt, {**matches.values, **params}).all():
        if params:
            remember_membership(viewer, group, membership)
        _count_members(viewer, group, hidden_members)
        groups.append(group)
        keys[group.id] = (float(score), entry_id)
    return _page(groups, limit, lambda group: keyset.encode(*keys[group.id]))


def pending_invitations(user: Any) -> list[Invitation]:
    """The person's open invitations with their groups and inviters, newest first."""
    inviter = db.aliased(User)
    stmt = (
        db.select(Invitation).join(Invitation.group).outerjoin(inviter, Invitation.invited_by_id == inviter.id)
        .options(contains_eager(Invitation.group), contains_eager(Invitation.invited_by.of_type(inviter)))
        .where(Invitation.user_id == user.id, Invitation.status == "pending")
        .order_by(Invitation.id.desc())
    )
    return list(db.session.scalars(stmt))


def _page(rows: list, limit: int, cursor_of) -> Page:
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(items=rows, next=cursor_of(rows[-1]))
    return Page(items=rows, next=None)


def attach_images(posts: list[Post]) -> None:
    """Load the images of ``posts`` in one query (none when no post has images) so reading
    ``post.images`` costs nothing more (the API's feed)."""
    with_images = {post.id: post for post in posts if post.image_count}
    if not with_images:
        return
    found: dict[int, list[PostImage]] = {post_id: [] for post_id in with_images}
    for image in db.session.scalars(db.select(PostImage).where(PostImage.post_id.in_(with_images))
                                    .order_by(PostImage.post_id, PostImage.position)):
        found[image.post_id].append(image)
    for post_id, images in found.items():
        set_committed_value(with_images[post_id], "images", images)
