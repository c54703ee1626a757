"""Core's own hook implementations, registered as plugin ``core`` by ``create_app``; called last.

They give sensible defaults (the emergency number, core content types) that plugins
extend or override, and the links core pages put into slots owned by other templates
(plugins in the admin dashboard, group features in the group settings, help in the footer).
"""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from core.extensions import db
from core.models import Comment, Post, PostImage, User
from core.permissions import can_manage_group_plugins, can_view_group_content, can_view_profile
from core.plugins.registry import get_plugins
from core.plugins.runner import fills_slots
from core.plugins.specs import ContentType, SupportResource, hookimpl
from core.visibility import is_hidden_from

# Emergency numbers by country (ISO 3166-1 alpha-2). 112 works across the EU.
EMERGENCY_NUMBERS = {
    "DE": "112", "AT": "112", "CH": "112", "FR": "112", "NL": "112", "BE": "112", "IT": "112", "ES": "112",
    "PL": "112", "SE": "112", "DK": "112", "FI": "112", "IE": "112", "PT": "112", "LU": "112", "CZ": "112",
    "GB": "999", "US": "911", "CA": "911", "AU": "000", "NZ": "111",
}


def emergency_resource(country: str | None) -> SupportResource:
    number = EMERGENCY_NUMBERS.get((country or "").upper(), "112")
    return SupportResource(
        name=str(_l("Emergency services")),
        kind="emergency",
        country=(country or "").upper() or None,
        phone=number,
        phone_display=number,
        description=str(_l("If someone is in immediate danger, call the emergency number now.")),
        hours=str(_l("24/7")),
        free=True,
        verified=True,
    )


@hookimpl(trylast=True)
def support_resources(locale, context):
    return [emergency_resource((context or {}).get("country"))]


def _post_visible(post: Post, user) -> bool:
    return can_view_group_content(user, post.group) and not is_hidden_from(user, post.author_id, within=post.group)


def _comment_visible(comment: Comment, user) -> bool:
    return _post_visible(comment.post, user) and not is_hidden_from(user, comment.author_id,
                                                                    within=comment.post.group)


def _delete_post(post: Post) -> None:
    from core.groups.content_actions import remove_post

    remove_post(post)


def _delete_post_image(image: PostImage) -> None:
    from core.groups.content_actions import remove_post_image

    remove_post_image(image)


def _post_image_html(image: PostImage) -> Markup:
    """The image as readers saw it, with its description (moderators judge the picture, not a link)."""
    from core.storage import file_url

    return Markup('<p class="post-images"><img src="{}" alt="{}" width="{}" height="{}"></p>'
                  '<p>{}</p>').format(file_url(image.file_key), image.alt_text, image.width, image.height,
                                      image.alt_text or _("(no description)"))


def _profile_visible(profile: User, user) -> bool:
    return can_view_profile(user, profile)


def _profile_html(profile: User) -> Markup:
    """The profile as its page shows it: the name, then the bio line by line (plain text)."""
    lines = [Markup("<p><strong>{}</strong> (@{})</p>").format(profile.display_name, profile.username)]
    lines += [Markup("<p>{}</p>").format(line) for line in (profile.bio or "").splitlines() if line.strip()]
    return Markup("").join(lines)


@hookimpl
def register_notification_kinds():
    from core.notifications.core_kinds import core_notification_kinds

    return core_notification_kinds()


@hookimpl
def register_email_kinds():
    from core.notifications.core_kinds import core_email_kinds

    return core_email_kinds()


@hookimpl(trylast=True)
def content_types():
    return [
        ContentType(
            name="post", label=_l("Post"),
            load=lambda id: db.session.get(Post, id),
            visible_to=_post_visible,
            author_id=lambda p: p.author_id,
            group_id=lambda p: p.group_id,
            snapshot=lambda p: p.body_source,
            url=lambda p: url_for("groups.post", slug=p.group.slug, post_id=p.id),
            delete=_delete_post,
            snapshot_html=lambda p: p.body_html,
        ),
        ContentType(
            name="post_image", label=_l("Image in a post"),
            load=lambda id: db.session.get(PostImage, id),
            visible_to=lambda image, user: _post_visible(image.post, user),
            author_id=lambda image: image.post.author_id,
            group_id=lambda image: image.post.group_id,
            snapshot=lambda image: f"[{image.alt_text or _('image')}]({image.file_key})",
            url=lambda image: url_for("groups.post", slug=image.post.group.slug, post_id=image.post_id)
            + f"#image-{image.id}",
            delete=_delete_post_image,
            snapshot_html=_post_image_html,
        ),
        ContentType(
            name="comment", label=_l("Comment"),
            load=lambda id: db.session.get(Comment, id),
            visible_to=_comment_visible,
            author_id=lambda c: c.author_id,
            group_id=lambda c: c.post.group_id,
            snapshot=lambda c: c.body_source,
            url=lambda c: url_for("groups.post", slug=c.post.group.slug, post_id=c.post_id) + f"#comment-{c.id}",
            delete=lambda c: db.session.delete(c),
            snapshot_html=lambda c: c.body_html,
        ),
        ContentType(
            name="profile", label=_l("Profile"),
            load=lambda id: db.session.get(User, id),
            visible_to=_profile_visible,
            author_id=lambda u: u.id,
            group_id=lambda u: None,
            snapshot=lambda u: f"{u.display_name} (@{u.username})\n{u.bio}",
            url=lambda u: url_for("auth.profile", username=u.username),
            snapshot_html=_profile_html,
        ),
    ]


@hookimpl(trylast=True)
def stored_files():
    """Core's columns that name stored files: avatars, post images (published or still in a composer), the logo."""
    from core.models import PendingImage, PostImage, User
    from core.models.site import SiteProfile

    return [User.avatar_key, PostImage.file_key, PendingImage.file_key, SiteProfile.logo_key]


@hookimpl(trylast=True)
def search_sources():
    from core.search.core_sources import core_sources

    return core_sources()


@hookimpl(trylast=True)
@fills_slots("admin_dashboard", "group_settings", "footer")  # not asked for each post and comment of a page
def template_slot(name, context):
    if name == "admin_dashboard":
        return Markup('<section class="card"><h2>{}</h2><p><a href="{}">{}</a></p></section>').format(
            _("Plugins"), url_for("admin_plugins.index"), _("Enable, disable and configure features"))
    if name == "group_settings":
        return _group_features_link(context.get("group"))
    if name == "footer":
        from core.web.support import support_url

        return Markup('<li><a href="{}">{}</a></li>').format(support_url(), _("Get help"))
    return None


def _group_features_link(group) -> Markup | None:
    """Shown to those who may switch features, once a site admin enabled any group feature."""
    if group is None or not can_manage_group_plugins(current_user, group):
        return None
    plugins = get_plugins()
    if not any(info.meta.scope == "group" and plugins.is_enabled(pid) for pid, info in plugins.installed.items()):
        return None
    return Markup('<p><a href="{}">{}</a></p>').format(url_for("group_plugins.index", slug=group.slug),
                                                      _("Features: switch group features on or off"))


@hookimpl
def register_jobs(app):
    """Core's background work: mail delivery (at once and every minute), digests and clean-ups."""
    from core import outbox
    from core.groups import digest, post_images
    from core.jobs import Job, claims, crontab
    from core.storage import orphans

    return [
        Job(outbox.RELAY_JOB, outbox.relay, schedule=crontab(minute="*"),
            description="Deliver due mail from the outbox; every minute, and right after mail is queued."),
        Job("core.outbox.clean_up", outbox.clean_up, schedule=crontab(hour="3", minute="17"),
            description="Delete delivered and failed mail once it has been kept long enough."),
        Job("core.jobs.clean_up", claims.clean_up, schedule=crontab(minute="41"),
            description="Delete expired claims that keep jobs from running twice."),
        Job(digest.JOB, digest.send_digests, schedule=crontab(minute="7"),
            description="Send the daily and weekly email digests that are due (each period once)."),
        Job(post_images.CLEAN_UP_JOB, post_images.clean_up, schedule=crontab(hour="4", minute="23"),
            description="Delete images attached in a composer but never published, with their files."),
        Job(orphans.JOB, orphans.run, schedule=crontab(hour="4", minute="29"),
            description="Delete stored files that no avatar, post image, logo or plugin row points at "
                        "(after a grace period, so uploads in flight are kept)."),
    ]
