"""Outbox throughput: N queued mails, two relay workers (processes), a local aiosmtpd server.

Prints mails/s and checks exactly-once: every Message-ID arrives once, every row is marked sent.

Usage: COMMONGROUND_SQLALCHEMY_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/cg_outbox \\
       COMMONGROUND_SECRET_KEY=x python -m bench.outbox [--mails 2000] [--workers 2]
(the database is emptied and recreated; the workers use PostgreSQL's SKIP LOCKED claims.)
"""
from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import time

from core.testing import SMTPRecorder


def _work(host: str, port: int, start_at: float) -> None:
    os.environ["COMMONGROUND_MAIL_SMTP_HOST"] = host
    os.environ["COMMONGROUND_MAIL_SMTP_PORT"] = str(port)
    from bench.cg_app import app
    from core.outbox import relay

    app.config.update(MAIL_SMTP_HOST=host, MAIL_SMTP_PORT=port)
    with app.app_context():
        while time.time() < start_at:
            time.sleep(0.01)
        while relay(limit=100).attempted:
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from bench.cg_app import app
    from core.extensions import db
    from core.models import OutboxMessage
    from core.outbox import enqueue

    with app.app_context():
        db.drop_all()
        db.create_all()
        for n in range(args.mails):
            enqueue(f"reader{n}@example.org", f"Mail {n}", "A line of text.", "<p>A line of text.</p>")
        db.session.commit()
        db.engine.dispose()  # no pooled connection crosses the fork

    server = SMTPRecorder().start()
    start_at = time.time() + 1.0
    workers = [multiprocessing.Process(target=_work, args=(server.host, server.port, start_at))
               for _ in range(args.workers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.time() - start_at
    server.stop()

    ids = collections.Counter(message["Message-ID"] for message in server.messages)
    with app.app_context():
        unsent = db.session.scalar(db.select(db.func.count()).where(OutboxMessage.sent_at.is_(None)))
    print(f"{args.mails} mails, {args.workers} workers: {elapsed:.2f} s, {args.mails / elapsed:.0f} mails/s, "
          f"{len(server.connections)} SMTP connections, load {os.getloadavg()[0]:.1f}")
    duplicates = sum(count - 1 for count in ids.values())
    print(f"arrived {len(ids)} distinct, {duplicates} duplicates, {unsent} rows unsent")
    if len(ids) != args.mails or duplicates or unsent:
        raise SystemExit("exactly-once violated")


if __name__ == "__main__":
    main()
