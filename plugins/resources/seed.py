"""The demo "Emotional health" hub: five topics and a few sample resources in English and German.

Everything here is marked as a sample (hub and resources) so nobody mistakes it for expert advice.
"""
from __future__ import annotations

from datetime import timedelta

from core.plugin_api import User, db, utcnow
from plugins.resources.editing import create_resource, publish, save_text, text_for
from plugins.resources.models import PUBLISHED, Hub, Partner, ResourceText, Revision, Topic

TOPICS = [
    ("financial-stress", {"en": "Financial stress", "de": "Finanzielle Sorgen"},
     {"en": "Money worries and how to get on top of them.", "de": "Geldsorgen und wie du sie angehst."}, "crisis"),
    ("parenting", {"en": "Parenting", "de": "Elternsein"},
     {"en": "Support for parents and carers.", "de": "Unterstützung für Eltern und Bezugspersonen."}, "family"),
    ("loss-and-grief", {"en": "Loss and grief", "de": "Verlust und Trauer"},
     {"en": "Coping when you lose someone.", "de": "Wenn du jemanden verlierst."}, "grief"),
    ("substance-use", {"en": "Substance use", "de": "Suchtmittel"},
     {"en": "Alcohol, drugs and managing use.", "de": "Alkohol, Drogen und der Umgang damit."}, "addiction"),
    ("emotional-health", {"en": "Emotional health", "de": "Emotionale Gesundheit"},
     {"en": "Looking after how you feel.", "de": "Gut für dich und deine Gefühle sorgen."}, "crisis"),
]

SAMPLES = [
    ("loss-and-grief", "article",
     {"title": "Sample: Grieving after a loss", "summary": "What grief can feel like and where to find support.",
      "body": "Grief is a natural response to losing someone.\n\n- Talk to people you trust.\n- Be patient "
              "with yourself.\n\nIf you need to talk to someone now:\n\n{{ helpline:DE }}\n"},
     {"title": "Beispiel: Trauern nach einem Verlust",
      "summary": "Wie sich Trauer anfühlen kann und wo du Hilfe findest.",
      "body": "Trauer ist eine natürliche Reaktion auf einen Verlust.\n\n- Sprich mit Menschen, denen du "
              "vertraust.\n- Sei geduldig mit dir.\n\nWenn du jetzt mit jemandem sprechen möchtest:\n\n"
              "{{ helpline:DE }}\n"}),
    ("financial-stress", "guide",
     {"title": "Sample: Taking stock of your money worries", "summary": "A step-by-step guide to a budget.",
      "body": "Write down what comes in and what goes out. Free debt counselling services can help."},
     {"title": "Beispiel: Überblick über deine Geldsorgen", "summary": "Schritt für Schritt zum Haushaltsplan.",
      "body": "Schreib auf, was reinkommt und was rausgeht. Kostenlose Schuldnerberatungen helfen dir."}),
    ("emotional-health", "helpline",
     {"title": "Sample: Someone to talk to, day and night", "summary": "Free, anonymous support by phone and chat.",
      "body": "{{ helpline:topic }}"},
     None),
]


def seed_demo_hub(only_if_empty: bool = False) -> None:
    """Create the demo hub once (running it again changes nothing); ``only_if_empty``: only on a site without hubs."""
    if db.session.scalar(db.select(Hub.id).where(Hub.slug == "emotional-health")) is not None:
        return
    if only_if_empty and db.session.scalar(db.select(Hub.id).limit(1)) is not None:
        return
    admins = list(db.session.scalars(db.select(User).where(User.is_site_admin.is_(True)).order_by(User.id).limit(1)))
    others = list(db.session.scalars(db.select(User).where(User.is_site_admin.is_(False)).order_by(User.id).limit(1)))
    if not admins:
        return
    author, reviewer = (others[0] if others else None), admins[0]
    hub = Hub(slug="emotional-health", is_sample=True,
              title={"en": "Emotional health", "de": "Emotionale Gesundheit"},
              intro={"en": "Tips and information from experts on looking after yourself and others (samples).",
                     "de": "Tipps und Informationen von Fachleuten, wie du gut für dich und andere sorgst "
                           "(Beispiele)."})
    db.session.add(hub)
    partner = Partner(slug="sample-partner", name="Sample Partner Organisation", verified=False, country="DE",
                      languages=["en", "de"], description="A made-up organisation for the demo.")
    db.session.add(partner)
    db.session.flush()
    topics = {}
    for position, (slug, name, description, helpline_topic) in enumerate(TOPICS):
        topic = Topic(hub_id=hub.id, slug=slug, name=name, description=description, position=position,
                      helpline_topic=helpline_topic)
        db.session.add(topic)
        topics[slug] = topic
    db.session.flush()
    writer_id = author.id if author else reviewer.id
    for topic_slug, kind, english, german in SAMPLES:
        data = {**english, "topic_id": topics[topic_slug].id, "kind": kind, "language": "en",
                "partner_id": partner.id, "link": None, "review_by": (utcnow() + timedelta(days=180)).date(),
                "audience": "", "note": "Sample"}
        resource = create_resource(hub.id, data, writer_id, is_sample=True)
        _publish_latest(resource.id, "en", writer_id, reviewer.id)
        if german:
            text = text_for(resource, "de")
            save_text(text, {**german, "version": 0, "audience": "", "note": "Beispiel"}, writer_id)
            _publish_latest(resource.id, "de", writer_id, reviewer.id)


def _publish_latest(resource_id: int, locale: str, author_id: int, reviewer_id: int) -> None:
    text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource_id,
                                                           ResourceText.locale == locale))
    revision = db.session.get(Revision, text.latest_revision_id)
    if reviewer_id != author_id:
        publish(revision, reviewer_id, "Sample")
        return
    # A demo site with a single account: the samples are published without a second editor.
    revision.status = PUBLISHED
    text.published_revision_id = revision.id
