"""Outbox throughput: N queued mails, relay workers (processes), a local aiosmtpd sink in its own process.

Prints mails/s, CPU per mail (the workers' process CPU time / mails, and the sink's), the load
average, and checks exactly-once: every Message-ID arrives once, every row is marked sent.

Usage: COMMONGROUND_SQLALCHEMY_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/cg_outbox \\
       COMMONGROUND_SECRET_KEY=x python -m bench.outbox [--mails 2000] [--workers 2] [--no-pipelining]
       python -m bench.outbox --sink-only [--mails 2000]     # the sink alone, fed by a raw pipelined client
       add --raw-sink to either for a minimal asyncio sink instead of aiosmtpd
(the database is emptied and recreated; the workers use PostgreSQL's SKIP LOCKED claims.)

The sink is aiosmtpd (as ``core.testing.SMTPRecorder``), offering PIPELINING like Postfix, but
it keeps only each message's Message-ID (found in the bytes, not parsed): parsing every message
with the email package costs the sink more than the relay costs the workers.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import multiprocessing
import os
import re
import resource
import socket
import threading
import time

MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)


class Sink:
    """aiosmtpd handler: counts Message-IDs and connections, nothing else."""

    def __init__(self, pipelining: bool) -> None:
        self.pipelining = pipelining
        self.ids: list[bytes] = []
        self.peers: set = set()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 (aiosmtpd API)
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        self.ids.append(found.group(1) if found else b"")
        self.peers.add(session.peer)
        return "250 OK"


class RawSink(asyncio.Protocol):
    """A minimal SMTP receiver (asyncio protocol, no aiosmtpd): every command accepted, replies
    to a pipelined group written at once. Enough for smtplib and the relay; shows whether the
    aiosmtpd sink was what limited a run."""

    def __init__(self, handler: Sink) -> None:
        self.handler = handler
        self.buffer = b""
        self.data: list[bytes] | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.peer = transport.get_extra_info("peername")
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, chunk: bytes) -> None:
        lines = (self.buffer + chunk).split(b"\r\n")
        self.buffer = lines.pop()
        out = []
        for line in lines:
            if self.data is not None:
                if line == b".":
                    found = MESSAGE_ID.search(b"\r\n".join(self.data))
                    self.handler.ids.append(found.group(1) if found else b"")
                    self.handler.peers.add(self.peer)
                    self.data = None
                    out.append(b"250 OK\r\n")
                else:
                    self.data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                out.append(b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n" if self.handler.pipelining
                           else b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.data = []
                out.append(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                out.append(b"221 bye\r\n")
                self.transport.write(b"".join(out))
                self.transport.close()
                return
            else:
                out.append(b"250 OK\r\n")
        if out:
            self.transport.write(b"".join(out))


def _sink(port: int, pipelining: bool, ready, done, results, raw: bool = False) -> None:
    from aiosmtpd.controller import Controller

    handler = Sink(pipelining)
    if raw:
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(loop.create_server(lambda: RawSink(handler), "127.0.0.1", port))
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        ready.set()
        done.wait()
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
    else:
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        ready.set()
        done.wait()
        controller.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put((handler.ids, len(handler.peers), usage.ru_utime + usage.ru_stime))


def _work(port: int, start_at: float, results) -> None:
    from bench.cg_app import app
    from core.outbox import relay

    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port)
    with app.app_context():
        while time.time() < start_at:
            time.sleep(0.01)
        cpu = time.process_time()
        sent = 0
        while (report := relay()).attempted:
            sent += report.sent
        results.put((sent, time.process_time() - cpu, time.time()))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_sink(pipelining: bool, raw: bool = False):
    port = _free_port()
    ready, done, results = multiprocessing.Event(), multiprocessing.Event(), multiprocessing.Queue()
    process = multiprocessing.Process(target=_sink, args=(port, pipelining, ready, done, results, raw))
    process.start()
    ready.wait()
    return port, process, done, results


def sink_only(mails: int, raw: bool) -> None:
    """Feed the sink with a raw pipelined client (one round trip a message) and time it."""
    port, process, done, results = _start_sink(True, raw)
    conn = socket.create_connection(("127.0.0.1", port))
    reader = conn.makefile("rb")

    def replies(count: int) -> None:
        for _ in range(count):
            while reader.readline()[3:4] == b"-":
                pass
    replies(1)
    conn.sendall(b"EHLO bench\r\n")
    replies(1)
    start = time.time()
    envelope = b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
    conn.sendall(envelope)
    replies(3)
    for n in range(mails):
        body = f"Message-ID: <{n}@bench>\r\nSubject: x\r\n\r\nA line of text.\r\n.\r\n".encode()
        last = n == mails - 1
        conn.sendall(body + (b"" if last else envelope))
        replies(1 if last else 4)
    elapsed = time.time() - start
    conn.sendall(b"QUIT\r\n")
    conn.close()
    done.set()
    ids, _, cpu = results.get()
    process.join()
    print(f"{'raw' if raw else 'aiosmtpd'} sink alone: {mails} mails in {elapsed:.2f} s, "
          f"{mails / elapsed:.0f} mails/s, "
          f"sink CPU {cpu / mails * 1000:.2f} ms/mail (incl. start-up), load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-pipelining", action="store_true", help="the sink does not offer PIPELINING")
    parser.add_argument("--sink-only", action="store_true")
    parser.add_argument("--raw-sink", action="store_true", help="a minimal asyncio SMTP sink instead of aiosmtpd")
    args = parser.parse_args()
    if args.sink_only:
        sink_only(args.mails, args.raw_sink)
        return

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

    port, sink, done, sink_results = _start_sink(not args.no_pipelining, args.raw_sink)
    load_before = os.getloadavg()
    start_at = time.time() + 1.0
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_work, args=(port, start_at, results)) for _ in range(args.workers)]
    for worker in workers:
        worker.start()
    finished = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, _, end in finished) - start_at
    worker_cpu = sum(cpu for _, cpu, _ in finished)
    load_after = os.getloadavg()
    done.set()
    ids, connections, sink_cpu = sink_results.get()
    sink.join()

    arrived = collections.Counter(ids)
    with app.app_context():
        unsent = db.session.scalar(db.select(db.func.count()).where(OutboxMessage.sent_at.is_(None)))
    print(f"{args.mails} mails, {args.workers} worker(s), {'raw' if args.raw_sink else 'aiosmtpd'} sink, "
          f"pipelining {'off' if args.no_pipelining else 'on'}: "
          f"{elapsed:.2f} s, {args.mails / elapsed:.0f} mails/s; "
          f"worker CPU {worker_cpu / args.mails * 1000:.2f} ms/mail, sink CPU {sink_cpu / args.mails * 1000:.2f} "
          f"ms/mail; {connections} SMTP connections; load {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
          f"per worker: {', '.join(str(sent) for sent, _, _ in finished)} sent")
    duplicates = sum(count - 1 for count in arrived.values())
    print(f"arrived {len(arrived)} distinct, {duplicates} duplicates, {unsent} rows unsent")
    if len(arrived) != args.mails or duplicates or unsent:
        raise SystemExit("exactly-once violated")


if __name__ == "__main__":
    main()
