"""The README's screenshot tour: seed a throwaway instance, serve it, photograph the main pages.

Run from the repository root after ``make install`` (needs Chromium, as the browser tests do)::

    .venv/bin/python scripts/screenshot_tour.py            # writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshot_tour.py --out /tmp/shots

Everything happens in a temporary directory (database, uploads, mail), so the real instance/ is
never touched. Each page is taken at desktop width and on a 360 px phone, in the light scheme
and (for a few) the dark one; the PNGs are reduced to a 256-colour palette to stay small.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "demo tour lantern 42"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 740}
#: (file name, who is looking, path, also in the dark scheme)
SHOTS = [
    ("home", None, "/", True),
    ("groups", None, "/g/", False),
    ("group", "sam", "/g/neighbours", True),
    ("post", "sam", "/g/neighbours/p/{post_id}", False),
    ("help", "sam", "/help", False),
    ("admin-plugins", "admin", "/admin/plugins", False),
    ("setup", "admin", "/admin/setup/", False),
]
POSTS = [
    ("admin", "Welcome! Introduce yourself and say what you would like help with."),
    ("sam", "Does anyone have a ladder I could borrow on Saturday? I'm putting up shelves for Mrs. Klein "
            "on the third floor and will bring it back the same afternoon."),
    ("lea", "**Repair café** this Sunday, 2–5 pm in the community hall. Bring broken toasters, lamps and "
            "bikes – and cake if you like. We have volunteers for electrics, sewing and bikes."),
]
COMMENTS = [("lea", "I have one – ring twice at number 12."), ("admin", "Thank you both, lovely to see this.")]


def configure_environment(tmp: Path) -> None:
    """Point every writable path of the app at ``tmp`` (config comes from COMMONGROUND_* variables)."""
    os.environ.update({
        "COMMONGROUND_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'demo.sqlite'}",
        "COMMONGROUND_UPLOADS_DIR": str(tmp / "uploads"),
        "COMMONGROUND_MAIL_SPOOL_DIR": str(tmp / "mail"),
        "COMMONGROUND_JOBS_URL": "memory://",
        "COMMONGROUND_SECRET_KEY": "screenshot-tour-only",
        "COMMONGROUND_RATELIMIT_ENABLED": "false",
    })


def seed(app) -> dict[str, int]:
    """The demo data of ``flask seed`` plus a few people, posts and comments, and a finished setup."""
    import flask_migrate

    from core.extensions import db
    from core.markdown import render_markdown
    from core.models import Comment, Group, Membership, Post, User
    from core.models.base import utcnow
    from core.plugins import get_plugins
    from core.plugins import state as plugin_state
    from core.site_profile import save_profile

    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        result = app.test_cli_runner().invoke(args=["seed"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        now = utcnow()
        lea = User(email="lea@example.org", username="lea", display_name="Lea Gärtner", locale="en",
                   adult_attested_at=now, email_confirmed_at=now)
        lea.set_password(PASSWORD)
        db.session.add(lea)
        for user in db.session.scalars(db.select(User)):
            user.set_password(PASSWORD)
            user.locale = "en"
        group = db.session.scalar(db.select(Group).where(Group.slug == "neighbours"))
        db.session.flush()
        db.session.add(Membership(group_id=group.id, user_id=lea.id, role="member"))
        group.member_count = 3
        db.session.add(Group(slug="allotment", name="Allotment friends", created_by_id=lea.id, member_count=1,
                             description="Seeds, tools and tips for the allotments by the canal."))
        db.session.flush()
        db.session.add(Membership(group_id=db.session.scalar(db.select(Group.id).where(Group.slug == "allotment")),
                                  user_id=lea.id, role="owner"))
        people = {user.username: user for user in db.session.scalars(db.select(User))}
        db.session.execute(db.delete(Post))
        post_ids = []
        for username, body in POSTS:
            post = Post(group_id=group.id, author_id=people[username].id, body_source=body,
                        body_html=render_markdown(body))
            db.session.add(post)
            db.session.flush()
            post_ids.append(post.id)
        for username, body in COMMENTS:
            db.session.add(Comment(post_id=post_ids[1], author_id=people[username].id, body_source=body,
                                   body_html=render_markdown(body)))
        db.session.get(Post, post_ids[1]).comment_count = len(COMMENTS)
        for plugin_id, info in get_plugins().installed.items():
            plugin_state.set_enabled(plugin_id, True, commit=False)
            if info.meta.scope == "group":
                plugin_state.set_group_enabled(plugin_id, group, True, commit=False)
        save_profile(name="Kiezhilfe", description="Neighbours in the Kiez helping each other: "
                     "lend a ladder, share a meal, find help.", default_locale="en")
        db.session.commit()
        return {"post_id": post_ids[1]}


def serve(app) -> tuple[str, object]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def save_small_png(data: bytes, target: Path) -> int:
    """A 256-colour optimised PNG: a screenshot of flat UI loses nothing visible and shrinks ~4x."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target.stat().st_size


def capture(base: str, out: Path, values: dict[str, int], chromium: str) -> list[tuple[str, int]]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        for scheme in ("light", "dark"):
            for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                pages = {}
                for name, who, path, dark_too in SHOTS:
                    if scheme == "dark" and not dark_too:
                        continue
                    if who not in pages:
                        context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-GB",
                                                      device_scale_factor=1)
                        pages[who] = page = context.new_page()
                        if who is not None:
                            page.goto(base + "/login")
                            page.get_by_label("Email or username").fill(who)
                            page.get_by_label("Password").fill(PASSWORD)
                            page.get_by_role("button", name="Log in").click()
                            page.wait_for_load_state()
                    page = pages[who]
                    page.goto(base + path.format(**values))
                    suffix = "" if scheme == "light" else "-dark"
                    target = out / f"{name}-{width_name}{suffix}.png"
                    written.append((target.name, save_small_png(page.screenshot(), target)))
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=os.environ.get("COMMONGROUND_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-screenshots-") as tmp:
        configure_environment(Path(tmp))
        from core import create_app

        app = create_app()
        values = seed(app)
        base, server = serve(app)
        try:
            for name, size in capture(base, args.out, values, args.chromium):
                print(f"{name}: {size // 1024} KB")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
