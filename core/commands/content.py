"""`flask content rerender`: render the stored posts and comments again from their Markdown.

Markdown is rendered once, when it is written, and the HTML is stored. After a change to how
it is rendered — a host added to or removed from ``IMAGE_HOSTS_ALLOWED``, or an upgrade that
stops embedding remote images — run this once so stored content follows the current rules.
Until then the Content-Security-Policy already keeps browsers from loading images from any
host that is not allowed. Rows are read in id order in batches; only changed ones are written,
and nothing else about them (``edited_at`` included) changes. Mentions keep the links decided
when they were written (``core.groups.mentions``): a member who left since is still linked.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select, update

from core.extensions import db
from core.groups.mentions import stored_mentions
from core.markdown import render_markdown
from core.models import Comment, Post

cli = AppGroup("content", help="Maintain stored posts and comments.")


def rerender(model: type, batch: int = 500) -> tuple[int, int]:
    """Render every row of ``model`` (Post or Comment) again; returns (rows seen, rows changed)."""
    seen = changed = 0
    last_id = 0
    while True:
        rows = db.session.execute(
            select(model.id, model.body_source, model.body_html).where(model.id > last_id)
            .order_by(model.id).limit(batch)
        ).all()
        if not rows:
            return seen, changed
        for row_id, source, stored in rows:
            html = render_markdown(source, mentions=stored_mentions(stored))
            if html != stored:
                db.session.execute(update(model).where(model.id == row_id).values(body_html=html)
                                   .execution_options(synchronize_session=False))
                changed += 1
        db.session.commit()
        seen += len(rows)
        last_id = rows[-1][0]


@cli.command("rerender")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(min=1),
              help="Rows read and written per transaction.")
def rerender_command(batch: int) -> None:
    """Render stored posts and comments again with the current settings (e.g. IMAGE_HOSTS_ALLOWED)."""
    for label, model in (("posts", Post), ("comments", Comment)):
        seen, changed = rerender(model, batch)
        click.echo(f"{label}: {changed} of {seen} changed")
