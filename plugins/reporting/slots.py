"""What reporting adds to core pages: report and block links, moderator markers, shortcuts.

Slots on posts and comments run once per item on a page, so they build small HTML strings
without a query or a template render; what they need was loaded with the list.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core.plugin_api import is_authenticated, page_constant, request_memo, viewer
from plugins.reporting.hiding import MODERATOR_VIEW


def _viewer() -> Any:
    """The signed-in viewer as an object (a list slot reads its id for every item), or None."""
    found = viewer()
    return found if is_authenticated(found) else None


# A number no id reaches (ids are 32-bit): the links are built once per request around it.
_ID = "98765432109"


def _link_patterns(content_type: str) -> tuple[str, str]:
    """The report and block links with ``_ID`` for the ids (a page shows them on every post and
    comment): built once per host, mount point and language (``page_constant``), not per item."""
    return page_constant(("reporting.links", content_type), lambda: _build_link_patterns(content_type))


def _build_link_patterns(content_type: str) -> tuple[str, str]:
    report = Markup('<a class="reporting-report" href="{}" rel="nofollow">{}</a>').format(
        url_for("reporting.report", content_type=content_type, content_id=int(_ID)), _("Report"))
    block = Markup('<a class="reporting-block" href="{}" rel="nofollow">{}</a>').format(
        url_for("reporting.block_confirm", user_id=int(_ID)), _("Block author"))
    return str(report), str(block)


def _links(content_type: str, content_id: int, author_id: int | None) -> Markup:
    """Report and block links for someone else's item; nothing on your own."""
    viewer = _viewer()
    if viewer is None or author_id == viewer.id:
        return Markup("")
    report, block = _link_patterns(content_type)
    html = report.replace(_ID, str(int(content_id)))
    if author_id is not None:
        html += " " + block.replace(_ID, str(int(author_id)))
    return Markup(html)


def _moderator_view(content_type: str) -> set[int] | frozenset[int]:
    """Ids of ``content_type`` hidden from members that this viewer sees as a moderator (the
    placeholders of this request found them)."""
    return request_memo(MODERATOR_VIEW).get(content_type) or frozenset()


def _marker_html() -> str:
    """The moderators' "hidden" marker, built once per host, mount point and language."""
    return page_constant("reporting.marker", lambda: str(Markup(
        '<p class="reporting-hidden-marker"><strong>{}</strong></p>').format(
        _("Hidden from members by the moderators."))))


def _moderator_marker(content_type: str, content_id: int) -> Markup:
    """Moderators see hidden items in full, marked so they know members see a placeholder."""
    if content_id not in _moderator_view(content_type):
        return Markup("")
    return Markup(_marker_html())


def _block_note(context: dict, person: Any) -> Markup:
    """For group staff shown someone hidden from them elsewhere (``hidden_elsewhere``): say why."""
    from plugins.reporting.blocks import relations_of

    if not context.get("hidden_elsewhere") or person is None:
        return Markup("")
    viewer = _viewer()
    if viewer is None:
        return Markup("")
    i_block, they_block = relations_of(viewer.id).get(person.id, (False, False))
    if they_block:
        text = _("%(name)s has blocked you. You see this because you moderate this group.",
                 name=person.display_name)
    elif i_block:
        text = _("You blocked %(name)s. You see this because you moderate this group.", name=person.display_name)
    else:
        return Markup("")
    return Markup('<p class="reporting-block-note muted"><small>{}</small></p>').format(text)


def _link_parts(content_type: str) -> tuple[str, str, str, str]:
    """The link patterns split around ``_ID``: what comes before and after the id, for each link."""
    def build() -> tuple[str, str, str, str]:
        report, block = _link_patterns(content_type)
        report_before, report_after = report.split(_ID)
        block_before, block_after = block.split(_ID)
        return report_before, report_after, block_before, block_after

    return page_constant(("reporting.link_parts", content_type), build)


def _list_links(content_type: str, key: str, items: list[dict]) -> list[str | None]:
    """Report and block links for each item of a list (``key`` names it in the context), None on
    the viewer's own items and where there is no item. The viewer and the link patterns are
    looked up once; each item is then one f-string from its two ids. HTML as ``str`` (escaped when
    the patterns were built; ids are integers): core makes each item's ``Markup`` once, after
    joining every plugin's part."""
    viewer = _viewer()
    if viewer is None:
        return [None] * len(items)
    report_before, report_after, block_before, block_after = _link_parts(content_type)
    viewer_id = viewer.id
    out: list[str | None] = []
    for context in items:
        item = context.get(key)
        if item is None:
            out.append(None)
            continue
        author_id = item.author_id
        if author_id == viewer_id:
            out.append(None)
        elif author_id is None:
            out.append(f"{report_before}{item.id}{report_after}")
        else:
            out.append(f"{report_before}{item.id}{report_after} {block_before}{author_id}{block_after}")
    return out


def _notes(content_type: str, items: list[dict], key: str, links: list[str | None],
           note_first: bool) -> list[str | None]:
    """Each item's ``links`` followed by the moderators' marker and the block note where they
    apply (``key`` names the item in the context; the note before the marker if ``note_first``),
    as HTML ``str`` like ``_list_links``'s."""
    seen = _moderator_view(content_type)
    if not seen and not any(context.get("hidden_elsewhere") for context in items):
        return links
    marker = _marker_html() if seen else ""
    out: list[str | None] = []
    for context, html in zip(items, links, strict=True):
        item = context.get(key)
        if item is not None:
            parts = [marker if seen and item.id in seen else "",
                     str(_block_note(context, item.author)) if context.get("hidden_elsewhere") else ""]
            if note_first:
                parts.reverse()
            if parts[0] or parts[1]:
                html = f"{html or ''}{parts[0]}{parts[1]}"
        out.append(html)
    return out


def post_actions_list(items: list[dict]) -> list[str | None]:
    """Report and block links under each post of a feed."""
    return _list_links("post", "post", items)


def post_footer_list(items: list[dict]) -> list[str | None]:
    """Why staff see a post by someone hidden from them, and the moderators' "hidden" marker."""
    return _notes("post", items, "post", [None] * len(items), note_first=True)


def comment_actions_list(items: list[dict]) -> list[str | None]:
    """Links, the moderators' marker and the block note under each comment."""
    return _notes("comment", items, "comment", _list_links("comment", "comment", items), note_first=False)


def member_details(context: dict) -> Markup | None:
    membership = context.get("membership")
    return _block_note(context, membership.user) if membership is not None else None


def content_actions(context: dict) -> Markup | None:
    """Any plugin's content: ``slot("content_actions", content_type=..., content_id=..., author_id=...)``."""
    content_type, content_id = context.get("content_type"), context.get("content_id")
    if not content_type or content_id is None:
        return None
    return _links(content_type, content_id, context.get("author_id")) + _moderator_marker(content_type, content_id)


def profile_actions(context: dict) -> Markup | None:
    user = context.get("user")
    viewer = _viewer()
    if user is None or viewer is None:
        return None
    if user.id == viewer.id:
        return Markup('<a href="{}">{}</a> <a href="{}">{}</a>').format(
            url_for("reporting.block_list"), _("People you block"),
            url_for("reporting.my_reports"), _("Your reports"))
    return Markup('<a class="reporting-report" href="{}" rel="nofollow">{}</a> '
                  '<a class="reporting-block" href="{}" rel="nofollow">{}</a>').format(
        url_for("reporting.report", content_type="profile", content_id=user.id), _("Report profile"),
        url_for("reporting.block_confirm", user_id=user.id), _("Block"))


def user_settings(context: dict) -> Markup | None:
    if _viewer() is None:
        return None
    return Markup('<section class="card" aria-labelledby="reporting-settings"><h2 id="reporting-settings">{}</h2>'
                  '<p>{}</p><p><a href="{}">{}</a> · <a href="{}">{}</a></p></section>').format(
        _("Blocking and reports"),
        _("Blocked people cannot see your posts, comments or profile, and you do not see theirs."),
        url_for("reporting.block_list"), _("People you block"),
        url_for("reporting.my_reports"), _("Your reports"))


def group_sidebar(context: dict) -> Markup | None:
    from plugins.reporting.permissions import can_use_queue

    group = context.get("group")
    if group is None or not can_use_queue(viewer(), group):
        return None
    return page_constant(("reporting.queue_link", group.slug), lambda: Markup(
        '<p class="reporting-queue-link"><a href="{}">{}</a></p>').format(
        url_for("reporting_mod.queue_page", slug=group.slug), _("Moderation queue")))


def head(context: dict) -> Markup | None:
    """The plugin's stylesheet, on its own pages only."""
    if request.blueprint not in ("reporting", "reporting_mod"):
        return None
    return Markup('<link rel="stylesheet" href="{}">').format(url_for("reporting.static", filename="reporting.css"))


def admin_dashboard(context: dict) -> Markup | None:
    from plugins.reporting.queue import site_open_count

    viewer = _viewer()
    if viewer is None or not viewer.is_site_admin:
        return None
    count = site_open_count(viewer)
    return Markup('<section class="card" aria-labelledby="reporting-admin"><h2 id="reporting-admin">{}</h2>'
                  '<p>{}</p><p><a href="{}">{}</a> · <a href="{}">{}</a></p></section>').format(
        _("Reports"), _("Open reports in the site queue: %(count)s", count=count),
        url_for("reporting_mod.queue_page"), _("Site queue"),
        url_for("reporting_mod.audit_log"), _("Audit log"))


LIST_RENDERERS: dict[str, Callable[[list[dict]], list[str | None]]] = {
    "post_actions": post_actions_list,
    "post_footer": post_footer_list,
    "comment_actions": comment_actions_list,
}
"""The per-item slots, filled for a whole list at once (``template_slot_list``)."""

RENDERERS: dict[str, Callable[[dict], Any]] = {
    "head": head,
    "member_details": member_details,
    "content_actions": content_actions,
    "profile_actions": profile_actions,
    "user_settings": user_settings,
    "group_sidebar": group_sidebar,
    "admin_dashboard": admin_dashboard,
}
