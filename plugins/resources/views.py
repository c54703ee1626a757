"""Pages: hubs, topics, resources and partners for readers; drafts, review and history for editors.

Every route exists twice: ``/resources/...`` for site-wide hubs and ``/g/<slug>/resources/...``
for a group's hubs (core's gate answers 404 there while the plugin is off in that group).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core.plugin_api import (
    MAX_ID,
    ImageRejected,
    User,
    can_admin_group,
    country_choices,
    db,
    delete_file,
    file_url,
    is_plugin_enabled,
    is_site_admin,
    load_form,
    render_group_page,
    store_image,
    utcnow,
)
from plugins.resources import counting, editing, hubs, reading, searching
from plugins.resources.attention import needing_attention
from plugins.resources.models import KINDS, Hub, HubRole, Partner, Resource, ResourceText, Revision, Topic
from plugins.resources.permissions import (
    can_edit,
    can_manage_partners,
    can_own,
    can_publish,
    can_verify_partners,
)
from plugins.resources.placeholders import fill
from plugins.resources.schemas import (
    HELPLINE_TOPICS,
    EditorSchema,
    HubSchema,
    PartnerSchema,
    ResourceSchema,
    RevertSchema,
    ReviewSchema,
    SearchSchema,
    TextSchema,
    TopicSchema,
    VoteSchema,
)

bp = Blueprint("resources", __name__, template_folder="templates", static_folder="static",
               static_url_path="/resources/static")


def route(rule: str, **options: Any) -> Callable:
    """Register a view for site-wide hubs and for group hubs under the same endpoint."""

    def register(view: Callable) -> Callable:
        bp.add_url_rule("/resources" + rule, view_func=view, **options)
        bp.add_url_rule("/g/<slug>/resources" + rule, view_func=view, **options)
        return view

    return register


HUB_PER_TOPIC = 5  # a hub's overview shows this many resources per topic, then links to the topic
TOPIC_PAGE = 20


def kind_labels() -> dict[str, str]:
    return {"article": _("Article"), "guide": _("Guide"), "video": _("Video"), "helpline": _("Helpline"),
            "chat": _("Chat service"), "tool": _("Self-help tool")}


def page(template: str, hub: Hub | None = None, roles: dict | None = None, status: int = 200,
         group_slug: str | None = None, **values: Any):
    """Render a resources page: a group's (``group_slug``, or a group hub) inside core's group header and
    tabs through ``render_group_page``, a site-wide one in the plugin's own frame."""
    roles = roles if roles is not None else {}
    gslug = group_slug or (hub.group.slug if hub is not None and hub.group_id else None)
    common = dict(
        hub=hub, gslug=gslug, is_editor=hub is not None and can_edit(current_user, hub, roles),
        is_owner=hub is not None and can_own(current_user, hub, roles),
        helpcenter_on=is_plugin_enabled("helpcenter"), kinds=kind_labels(), label=reading.localized,
        file_url=file_url, **values)
    if gslug:
        return render_group_page(template, reading.group_context(gslug), layout="resources/_group_layout.html",
                                 hl=2, **common), status
    return render_template(template, layout="resources/_layout.html", hl=1, **common), status


# --- reading ---------------------------------------------------------------------------------


@bp.get("/resources/")
def index():
    locale = reading.reader_locale()
    hubs = db.session.scalars(db.select(Hub).where(Hub.group_id.is_(None)).order_by(Hub.id)).all()
    return page("resources/index.html", hubs=hubs, locale=locale, group_slug=None,
                may_start=is_site_admin(current_user),
                may_add_partner=can_manage_partners(current_user, bool(reading.viewer_roles())))


@bp.get("/g/<slug>/resources/")
def group_index(slug: str):
    group = reading.group_context(slug).group
    hubs = db.session.scalars(db.select(Hub).where(Hub.group_id == group.id).order_by(Hub.id)).all()
    return page("resources/index.html", hubs=hubs, locale=reading.reader_locale(), group_slug=slug,
                may_start=can_admin_group(current_user, group))


@route("/<hub>/")
def hub(hub: str, slug: str | None = None):
    the_hub = reading.hub_or_404(hub, slug)
    roles = reading.roles_in(the_hub)
    locale = reading.reader_locale()
    editor = can_edit(current_user, the_hub, roles)
    topics = the_hub.topics
    found = reading.entries(locale.code, editor=editor, hub_id=the_hub.id, per_topic=HUB_PER_TOPIC + 1)
    by_topic: dict[int, list] = {}
    for entry in found:
        by_topic.setdefault(entry.resource.topic_id, []).append(entry)
    return page("resources/hub.html", the_hub, roles, topics=topics, by_topic=by_topic, locale=locale,
                per_topic=HUB_PER_TOPIC)


@route("/<hub>/t/<topic>/")
def topic(hub: str, topic: str, slug: str | None = None):
    the_hub = reading.hub_or_404(hub, slug)
    roles = reading.roles_in(the_hub)
    locale = reading.reader_locale()
    the_topic = next((t for t in the_hub.topics if t.slug == topic), None)
    if the_topic is None:
        abort(404)
    kind = request.args.get("type") if request.args.get("type") in KINDS else None
    after = request.args.get("after", type=int)
    found = reading.entries(locale.code, editor=can_edit(current_user, the_hub, roles), hub_id=the_hub.id,
                            topic_id=the_topic.id, kind=kind, after=after if after and 0 < after <= MAX_ID else None,
                            limit=TOPIC_PAGE + 1)
    next_url = None
    if len(found) > TOPIC_PAGE:
        found = found[:TOPIC_PAGE]
        next_url = url_for("resources.topic", hub=hub, topic=topic, slug=slug, type=kind,
                           after=found[-1].resource.id, lang=request.args.get("lang"))
    return page("resources/topic.html", the_hub, roles, topic=the_topic, entries=found, locale=locale,
                kind=kind, next_url=next_url)


@route("/<hub>/r/<int:resource_id>")
def resource(hub: str, resource_id: int, slug: str | None = None):
    the_hub = reading.hub_or_404(hub, slug)
    roles = reading.roles_in(the_hub)
    locale = reading.reader_locale()
    shown = reading.resource_or_404(the_hub, resource_id, locale.code, roles)
    editor = can_edit(current_user, the_hub, roles)
    body = fill(shown.revision.body_html, locale.code, shown.resource.topic.helpline_topic)
    if shown.revision.status == "published":
        counting.record_read(resource_id)
    figures = counting.weekly_figures(resource_id) if editor else None
    return page("resources/resource.html", the_hub, roles, shown=shown, body=body, locale=locale,
                figures=figures, voted=counting.has_voted(resource_id), today=utcnow().date(),
                translations=translation_states(shown) if editor else None)


def translation_states(shown: reading.Reading) -> list[dict]:
    """For editors: each site language's translation – missing, draft, out of date or current."""
    by_locale = {t.locale: t for t in shown.texts}
    original = by_locale.get(shown.resource.language)
    source_id = original.published_revision_id if original else None
    states = []
    for code in current_app.config["LANGUAGES"]:
        if code == shown.resource.language:
            continue
        text = by_locale.get(code)
        if text is None or text.latest is None:
            state = "missing"
        elif text.published is None:
            state = "draft"
        elif (text.published.source_revision_id or 0) < (source_id or 0):
            state = "outdated"
        else:
            state = "current"
        states.append({"locale": code, "state": state,
                       "pending": text is not None and text.latest_revision_id != text.published_revision_id})
    return states


@route("/<hub>/r/<int:resource_id>/vote", methods=["POST"])
def vote(hub: str, resource_id: int, slug: str | None = None):
    the_hub = reading.hub_or_404(hub, slug)
    shown = reading.resource_or_404(the_hub, resource_id, "en", {})
    data, errors, _values = load_form(VoteSchema(), request.form)
    if errors:
        abort(400)
    if counting.vote(shown.resource.id, data["helpful"] == "yes"):
        db.session.commit()
        flash(_("Thank you for telling us."), "success")
    else:
        flash(_("You already answered for this resource this week."), "info")
    return redirect(url_for("resources.resource", hub=hub, slug=slug, resource_id=resource_id))


@bp.get("/resources/texts/<int:text_id>")
def text(text_id: int):
    """Where a search hit leads: the resource, in the hit's language, at its hub's address."""
    row = db.session.execute(
        db.select(ResourceText.locale, Resource.id, Hub).join(Resource, Resource.id == ResourceText.resource_id)
        .join(Hub, Hub.id == Resource.hub_id).options(joinedload(Hub.group)).where(ResourceText.id == text_id)).first()
    if row is None:
        abort(404)
    locale, resource_id, the_hub = row
    return redirect(url_for("resources.resource", hub=the_hub.slug, resource_id=resource_id,
                            slug=the_hub.group.slug if the_hub.group_id else None, lang=locale))


@bp.get("/resources/search")
def search_all():
    return search_page(None, None)


@route("/<hub>/search")
def search_hub(hub: str, slug: str | None = None):
    return search_page(hub, slug)


def search_page(hub_slug: str | None, slug: str | None):
    the_hub = reading.hub_or_404(hub_slug, slug) if hub_slug else None
    roles = reading.roles_in(the_hub) if the_hub else {}
    locale = reading.reader_locale()
    data, errors, values = load_form(SearchSchema(), request.args)
    found = searching.Found([], None)
    topics = the_hub.topics if the_hub else []
    if data and data["q"]:
        try:
            # Across hubs: site-wide hubs only (a group's hubs are searched inside the group).
            found = searching.find(current_user, data["q"], hub_id=the_hub.id if the_hub else None,
                                   site_hubs_only=the_hub is None, topic_id=data["topic"], kind=data["type"],
                                   locale=data["language"], partner_id=data["partner"], after=data["after"])
        except ValueError:  # a cursor that was not made by the search
            errors = {"after": [_("This page of results no longer exists: search again.")]}
    partners = db.session.scalars(db.select(Partner).order_by(Partner.name)).all()
    next_url = None
    if found.next:
        args = {key: value for key, value in request.args.items() if key in SearchSchema().fields}
        next_url = url_for(request.endpoint, **{**args, **(request.view_args or {}), "after": found.next})
    return page("resources/search.html", the_hub, roles, status=400 if errors else 200, results=found.results,
                values=values, errors=errors, locale=locale, topics=topics, partners=partners,
                searched=bool(data and data["q"]), next_url=next_url)


@bp.get("/resources/partners/<partner>")
def partner(partner: str):
    the_partner = reading.partner_or_404(partner)
    locale = reading.reader_locale()
    found = reading.entries(locale.code, editor=False, partner_id=the_partner.id,
                            visible_hub_ids=reading.site_hub_ids())
    hubs = {h.id: h for h in db.session.scalars(db.select(Hub).where(Hub.group_id.is_(None)))}
    return page("resources/partner.html", partner=the_partner, entries=found, locale=locale, hubs=hubs,
                may_edit=can_manage_partners(current_user, bool(reading.viewer_roles())))


# --- editing ---------------------------------------------------------------------------------


def editor_hub_or_404(hub: str, slug: str | None) -> tuple[Hub, dict]:
    the_hub = reading.hub_or_404(hub, slug)
    roles = reading.roles_in(the_hub)
    if not can_edit(current_user, the_hub, roles):
        abort(404)
    return the_hub, roles


def resource_form_options(the_hub: Hub) -> dict:
    topics = the_hub.topics
    partners = db.session.scalars(db.select(Partner).order_by(Partner.name)).all()
    return {"topic_options": [(str(t.id), reading.localized(t.name, reading.reader_locale().code)) for t in topics],
            "partner_options": [("", _("No partner"))] + [(str(p.id), p.name) for p in partners],
            "kind_options": list(kind_labels().items()),
            "language_options": [(code, code.upper()) for code in current_app.config["LANGUAGES"]]}


def check_facts(hub_id: int, data: dict) -> dict:
    errors: dict = {}
    if db.session.scalar(db.select(Topic.id).where(Topic.id == data["topic_id"], Topic.hub_id == hub_id)) is None:
        errors["topic_id"] = [_("Choose a topic of this hub.")]
    if data.get("partner_id") and db.session.get(Partner, data["partner_id"]) is None:
        errors["partner_id"] = [_("Choose a partner organisation.")]
    return errors


@route("/<hub>/new", methods=["GET", "POST"])
@login_required
def new_resource(hub: str, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    values: dict = {"language": reading.reader_locale().code, "topic_id": request.args.get("topic", "")}
    errors: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(ResourceSchema(), request.form)
        if not errors:
            errors = check_facts(the_hub.id, data)
        if not errors:
            created = editing.create_resource(the_hub.id, data, current_user.id)
            db.session.commit()
            flash(_("Draft saved. Another editor reviews and publishes it."), "success")
            return redirect(url_for("resources.history", hub=hub, slug=slug, resource_id=created.id,
                                    locale=created.language))
    return page("resources/edit.html", the_hub, roles, status=400 if errors else 200, values=values, errors=errors,
                creating=True, facts=True, **resource_form_options(the_hub))


@route("/<hub>/r/<int:resource_id>/edit/<locale>", methods=["GET", "POST"])
@login_required
def edit(hub: str, resource_id: int, locale: str, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    options = resource_form_options(the_hub)  # before a conflict's rollback expires the hub
    the_resource = db.session.scalar(db.select(Resource).where(Resource.id == resource_id,
                                                               Resource.hub_id == the_hub.id))
    if the_resource is None:
        abort(404)
    facts = locale == the_resource.language
    text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource_id,
                                                           ResourceText.locale == locale))
    latest = db.session.get(Revision, text.latest_revision_id) if text and text.latest_revision_id else None
    original = None
    if not facts:
        original = db.session.scalar(
            db.select(Revision).join(ResourceText, ResourceText.latest_revision_id == Revision.id)
            .where(ResourceText.resource_id == resource_id, ResourceText.is_original.is_(True)))
    errors: dict = {}
    conflict = None
    if request.method == "POST":
        schema = ResourceSchema() if facts else TextSchema()
        form = request.form.copy()
        if facts:
            form["language"] = the_resource.language
        data, errors, values = load_form(schema, form)
        if not errors and facts:
            errors = check_facts(the_hub.id, data)
        if not errors:
            try:
                target = text or editing.text_for(the_resource, locale)
                editing.save_text(target, data, current_user.id,
                                  facts=editing.facts_of(data) if facts else None)
                db.session.commit()
                flash(_("Draft saved. Another editor reviews and publishes it."), "success")
                return redirect(url_for("resources.history", hub=hub, slug=slug, resource_id=resource_id,
                                        locale=locale))
            except editing.RevisionConflict as err:
                db.session.rollback()
                conflict = err.latest
                errors = {"version": [str(err.message)]}
                text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource_id,
                                                                       ResourceText.locale == locale))
                latest = conflict
                values["version"] = str(text.version) if text else "0"
    else:
        values = {"version": str(text.version) if text else "0"}
        source = latest or original
        if source is not None:
            values.update({name: getattr(source, name) for name in editing.TEXT_FIELDS})
        if facts:
            proposed = (latest.facts if latest is not None else None) or {
                "topic_id": the_resource.topic_id, "partner_id": the_resource.partner_id, "kind": the_resource.kind,
                "link": the_resource.link,
                "review_by": the_resource.review_by.isoformat() if the_resource.review_by else None}
            values.update({"topic_id": str(proposed["topic_id"]), "partner_id": str(proposed["partner_id"] or ""),
                           "kind": proposed["kind"], "link": proposed["link"] or "",
                           "review_by": proposed["review_by"] or ""})
    return page("resources/edit.html", the_hub, roles, status=409 if conflict else (400 if errors else 200),
                values=values, errors=errors, creating=False, facts=facts, resource=the_resource, locale_code=locale,
                conflict=conflict, original=original, **options)


@route("/<hub>/r/<int:resource_id>/history/<locale>")
@login_required
def history(hub: str, resource_id: int, locale: str, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    text = db.session.scalar(
        db.select(ResourceText).join(Resource, Resource.id == ResourceText.resource_id)
        .where(ResourceText.resource_id == resource_id, ResourceText.locale == locale, Resource.hub_id == the_hub.id))
    if text is None:
        abort(404)
    revisions = db.session.scalars(
        db.select(Revision).where(Revision.text_id == text.id).order_by(Revision.number.desc())).all()
    people = {u.id: u for u in db.session.scalars(db.select(User).where(
        User.id.in_({r.author_id for r in revisions} | {r.reviewer_id for r in revisions})))}
    diffs = {r.id: editing.diff(revisions[i + 1] if i + 1 < len(revisions) else None, r)
             for i, r in enumerate(revisions)}
    return page("resources/history.html", the_hub, roles, text=text, revisions=revisions, people=people,
                diffs=diffs, resource_id=resource_id, locale_code=locale,
                field_labels={"title": _("Title"), "summary": _("Summary"), "body": _("Text"),
                              "audience": _("Who it is for"), "topic_id": _("Topic"),
                              "partner_id": _("Partner organisation"), "kind": _("Type"),
                              "link": _("External link"), "review_by": _("Review by")},
                may_publish=lambda r: can_publish(current_user, the_hub, roles, r))


@route("/<hub>/attention")
@login_required
def attention(hub: str, slug: str | None = None):
    """For editors: the hub's resources past their review-by date or lacking current translations."""
    the_hub, roles = editor_hub_or_404(hub, slug)
    after = request.args.get("after", type=int)
    found = needing_attention(the_hub.id, after=after if after and 0 < after <= MAX_ID else None)
    return page("resources/attention.html", the_hub, roles, found=found, locale=reading.reader_locale(),
                other_locales=current_app.config["LANGUAGES"], today=utcnow().date())


def revision_or_404(the_hub: Hub, revision_id: int) -> Revision:
    revision = db.session.scalar(
        db.select(Revision).join(ResourceText, ResourceText.id == Revision.text_id)
        .join(Resource, Resource.id == ResourceText.resource_id)
        .where(Revision.id == revision_id, Resource.hub_id == the_hub.id))
    if revision is None:
        abort(404)
    return revision


def back_to_history(hub: str, slug: str | None, revision: Revision):
    text = db.session.get(ResourceText, revision.text_id)
    return redirect(url_for("resources.history", hub=hub, slug=slug, resource_id=text.resource_id,
                            locale=text.locale))


@route("/<hub>/revisions/<int:revision_id>/publish", methods=["POST"])
@login_required
def publish(hub: str, revision_id: int, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    revision = revision_or_404(the_hub, revision_id)
    data, errors, _values = load_form(ReviewSchema(), request.form)
    try:
        if errors:
            raise editing.EditRefused(_("The review note is too long."))
        editing.publish(revision, current_user.id, data["note"])
        db.session.commit()
        flash(_("Published."), "success")
    except editing.EditRefused as err:
        db.session.rollback()
        flash(str(err.message), "error")
        text = db.session.get(ResourceText, revision.text_id)
        body, _status = history(hub=hub, resource_id=text.resource_id, locale=text.locale, slug=slug)
        return body, 403
    return back_to_history(hub, slug, revision)


@route("/<hub>/revisions/<int:revision_id>/revert", methods=["POST"])
@login_required
def revert(hub: str, revision_id: int, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    revision = revision_or_404(the_hub, revision_id)
    data, errors, _values = load_form(RevertSchema(), request.form)
    try:
        if errors:
            raise editing.RevisionConflict(None)
        editing.revert(revision, current_user.id, data["version"])
        db.session.commit()
    except editing.RevisionConflict:
        db.session.rollback()
        flash(_("Someone saved this text since you opened its history: nothing was reverted. Look at the "
                "latest revision and revert again if you still want to."), "error")
        return back_to_history(hub, slug, revision)
    flash(_("A draft with revision %(number)s's text was saved; another editor publishes it.",
            number=revision.number), "success")
    return back_to_history(hub, slug, revision)


@route("/<hub>/editors", methods=["GET", "POST"])
@login_required
def editors(hub: str, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    if not can_own(current_user, the_hub, roles):
        abort(404)
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        remove = request.form.get("remove", type=int)
        if remove:
            db.session.execute(db.delete(HubRole).where(HubRole.hub_id == the_hub.id, HubRole.user_id == remove))
            db.session.commit()
            flash(_("Editor removed."), "success")
            return redirect(url_for("resources.editors", hub=hub, slug=slug))
        data, errors, values = load_form(EditorSchema(), request.form)
        if not errors:
            user = db.session.scalar(db.select(User).where(User.username == data["username"]))
            if user is None:
                errors = {"username": [_("No member has this username.")]}
            else:
                if db.session.get(HubRole, (the_hub.id, user.id)) is None:
                    db.session.add(HubRole(hub_id=the_hub.id, user_id=user.id, role="editor"))
                db.session.commit()
                flash(_("%(name)s can now edit this hub.", name=user.display_name), "success")
                return redirect(url_for("resources.editors", hub=hub, slug=slug))
    people = db.session.execute(db.select(User, HubRole.role).join(HubRole, HubRole.user_id == User.id)
                                .where(HubRole.hub_id == the_hub.id).order_by(User.username)).all()
    return page("resources/editors.html", the_hub, roles, status=400 if errors else 200, people=people,
                values=values, errors=errors)


@bp.route("/resources/new-hub", methods=["GET", "POST"])
@bp.route("/g/<slug>/resources/new-hub", methods=["GET", "POST"])
@login_required
def new_hub(slug: str | None = None):
    """Site admins start site-wide hubs; a group's admins start their group's."""
    group = reading.group_context(slug).group if slug else None
    if not (can_admin_group(current_user, group) if group else is_site_admin(current_user)):
        abort(404)
    values: dict = {}
    errors: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(HubSchema(), request.form)
        if not errors:
            created = hubs.create_hub(data, group.id if group else None)
            db.session.commit()
            flash(_("Hub created. Add its topics next."), "success")
            return redirect(url_for("resources.hub", hub=created.slug, slug=slug))
    return page("resources/hub_form.html", status=400 if errors else 200, group_slug=slug, values=values,
                errors=errors, topic_form=False, editing_existing=False)


def labelled_values(title: dict, intro: dict) -> dict:
    """A hub's or topic's names and introductions as the form's fields."""
    return {f"{name}_{code}": texts.get(code, "") for name, texts in (("title", title), ("intro", intro))
            for code in ("en", "de")}


@route("/<hub>/settings", methods=["GET", "POST"])
@login_required
def edit_hub(hub: str, slug: str | None = None):
    """Owners rename a hub and rewrite its introduction (its address stays)."""
    the_hub, roles = editor_hub_or_404(hub, slug)
    if not can_own(current_user, the_hub, roles):
        abort(404)
    errors: dict = {}
    values = labelled_values(the_hub.title, the_hub.intro)
    if request.method == "POST":
        data, errors, values = load_form(HubSchema(), request.form)
        if not errors:
            hubs.update_hub(the_hub, data)
            db.session.commit()
            flash(_("Hub saved."), "success")
            return redirect(url_for("resources.hub", hub=hub, slug=slug))
    return page("resources/hub_form.html", the_hub, roles, status=400 if errors else 200, values=values,
                errors=errors, topic_form=False, editing_existing=True)


def helpline_topic_options() -> list[tuple[str, str]]:
    """The help center's helpline topics, for ``{{ helpline:topic }}`` in a topic's resources."""
    labels = {"crisis": _("Any crisis"), "suicide": _("Thoughts of suicide"), "self_harm": _("Self-harm"),
              "loneliness": _("Loneliness"), "relationships": _("Relationships"), "family": _("Family"),
              "grief": _("Grief and loss"), "violence": _("Violence and abuse"), "addiction": _("Addiction"),
              "eating": _("Eating disorders"), "young_people": _("Children and young people"), "lgbtq": _("LGBTQ+")}
    return [("", _("The site's crisis lines"))] + [(code, labels[code]) for code in HELPLINE_TOPICS]


@route("/<hub>/new-topic", methods=["GET", "POST"])
@login_required
def new_topic(hub: str, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    if not can_own(current_user, the_hub, roles):
        abort(404)
    values: dict = {}
    errors: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(TopicSchema(), request.form)
        if not errors:
            hubs.create_topic(the_hub, data)
            db.session.commit()
            flash(_("Topic added."), "success")
            return redirect(url_for("resources.hub", hub=hub, slug=slug))
    return page("resources/hub_form.html", the_hub, roles, status=400 if errors else 200, values=values,
                errors=errors, topic_form=True, editing_existing=False, helpline_options=helpline_topic_options())


@route("/<hub>/t/<topic>/edit", methods=["GET", "POST"])
@login_required
def edit_topic(hub: str, topic: str, slug: str | None = None):
    the_hub, roles = editor_hub_or_404(hub, slug)
    the_topic = db.session.scalar(db.select(Topic).where(Topic.hub_id == the_hub.id, Topic.slug == topic))
    if the_topic is None or not can_own(current_user, the_hub, roles):
        abort(404)
    errors: dict = {}
    values = {**labelled_values(the_topic.name, the_topic.description),
              "helpline_topic": the_topic.helpline_topic or ""}
    if request.method == "POST":
        data, errors, values = load_form(TopicSchema(), request.form)
        if not errors:
            hubs.update_topic(the_topic, data)
            db.session.commit()
            flash(_("Topic saved."), "success")
            return redirect(url_for("resources.topic", hub=hub, topic=topic, slug=slug))
    return page("resources/hub_form.html", the_hub, roles, status=400 if errors else 200, values=values,
                errors=errors, topic_form=True, editing_existing=True, helpline_options=helpline_topic_options())


# --- partners --------------------------------------------------------------------------------


@bp.route("/resources/partners/new", methods=["GET", "POST"], defaults={"partner": None})
@bp.route("/resources/partners/<partner>/edit", methods=["GET", "POST"])
@login_required
def partner_form(partner: str | None):
    if not can_manage_partners(current_user, bool(reading.viewer_roles())):
        abort(404)
    the_partner = reading.partner_or_404(partner) if partner else None
    values: dict = {}
    errors: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(PartnerSchema(), request.form)
        upload = request.files.get("logo")
        logo = None
        if upload is not None and upload.filename:
            try:
                logo = store_image(upload.stream, max_side=400)
            except ImageRejected as err:
                errors = {**errors, "logo": [str(err.message)]}
        if not errors:
            verified = request.form.get("verified") in ("on", "true", "1") if can_verify_partners(current_user) \
                else None
            the_partner = hubs.save_partner(the_partner, data, verified=verified)
            if logo is not None:
                old = the_partner.logo_key
                the_partner.logo_key = logo.key
                if old and old != logo.key:
                    delete_file(old)
            elif request.form.get("remove_logo") and the_partner.logo_key:
                delete_file(the_partner.logo_key)
                the_partner.logo_key = None
            db.session.commit()
            flash(_("Partner organisation saved."), "success")
            return redirect(url_for("resources.partner", partner=the_partner.slug))
    elif the_partner is not None:
        values = {"name": the_partner.name, "description": the_partner.description, "link": the_partner.link or "",
                  "country": the_partner.country or "", "languages": the_partner.languages,
                  "verified": the_partner.verified}
    return page("resources/partner_form.html", status=400 if errors else 200, partner=the_partner, values=values,
                errors=errors, may_verify=can_verify_partners(current_user),
                country_options=[("", _("Any country")), *country_choices(reading.reader_locale().code)],
                languages=current_app.config["LANGUAGES"])
