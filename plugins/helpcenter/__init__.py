"""Help center: a referral form that connects people to crisis helplines, and the helpline directory.

Modelled on the partnership between a social network and Germany's TelefonSeelsorge: a person
worried about themselves or a friend picks a path, country and language and gets the helplines'
details on screen (members also by email, to themselves). Nothing about them or their problem
is stored; the only trace is a weekly counter per country and path.
"""
from __future__ import annotations

from flask import render_template, request, url_for

from core.plugin_api import EmailKind, PluginMeta, answers_by_blueprint, fills_slots, hookimpl, page_constant

META = PluginMeta(
    id="helpcenter",
    name="Help center",
    version="1.0.0",
    description="A referral form at /help that connects people to verified crisis helplines, "
                "without storing anything about them.",
    scope="site",
)


@hookimpl
def register_blueprints(app):
    from plugins.helpcenter import admin, models, views  # noqa: F401  (models: tables join the metadata)

    return [views.bp, admin.bp]


@hookimpl
def register_email_kinds():
    """The copy a member asks for and the reminder they ask for: always sent, not a setting."""
    return [EmailKind("helpcenter_referral", template="helpcenter/email/referral"),
            EmailKind("helpcenter_reminder", template="helpcenter/email/reminder")]


@hookimpl
def register_jobs(app):
    """The copy by email and the reminder, retried like outbox mail when the server is away."""
    from core.plugin_api import Job
    from plugins.helpcenter import mail

    retry = {"retries": max(int(app.config["OUTBOX_MAX_ATTEMPTS"]) - 1, 0),
             "retry_delay": float(app.config["OUTBOX_BACKOFF_SECONDS"]), "retry_backoff": 2}
    return [Job(mail.COPY_JOB, mail.send_copy, **retry), Job(mail.REMINDER_JOB, mail.remind, **retry)]


@hookimpl
@fills_slots("head", "admin_dashboard")
@answers_by_blueprint("head")  # the stylesheet on the plugin's own pages: core remembers it per blueprint
def template_slot(name, context):
    if name == "head" and (request.blueprint or "").startswith("helpcenter"):
        return render_template("helpcenter/slots/head.html")
    if name == "admin_dashboard":
        from plugins.helpcenter.directory import needs_checking

        return render_template("helpcenter/slots/admin_dashboard.html", entries=needs_checking())
    return None


@hookimpl
def support_page(context):
    """/help is the site's "Get help": the footer links here and core's /support redirects here."""
    country = (context or {}).get("country")
    # The footer asks on every page: the link is built once per host and mount point.
    return page_constant(("helpcenter.index", country), lambda: url_for("helpcenter.index", country=country)
                         if country else url_for("helpcenter.index"))


@hookimpl
def support_resources(locale, context):
    """The directory's helplines for the country asked about; core adds the emergency number."""
    from plugins.helpcenter.directory import support_resources_for

    context = context or {}
    return support_resources_for(locale, context.get("country"), context.get("reason"))


@hookimpl
def plugin_enabled(plugin_id, group):
    """An admin who switches the help center on expects a working /help: fill an empty directory."""
    from plugins.helpcenter.seed import seed_directory

    seed_directory()


@hookimpl
def seed_demo(app):
    from plugins.helpcenter.seed import seed_directory

    seed_directory()
