"""How an outbox row becomes a real email: build the MIME message, hand it to a transport.

Two transports share one tiny interface (``send(message)``, ``close()``):

- ``FileTransport`` writes each message as an ``.eml`` file into ``MAIL_SPOOL_DIR``
  (the development default: open the files with any mail client, nothing leaves the machine);
- ``SMTPTransport`` talks to ``MAIL_SMTP_HOST`` with :mod:`smtplib`, reusing one connection
  for a batch and reconnecting after an error. It gives up on a server that does not accept
  the connection within ``MAIL_SMTP_CONNECT_TIMEOUT`` or stops answering for
  ``MAIL_SMTP_TIMEOUT`` seconds, so a hung server costs a worker seconds, never a web request.

``send_now`` delivers one message at once, for jobs whose mail must never be stored.

Errors: ``PermanentDeliveryError`` (the server said 5xx, the message can never be delivered
as it is), ``TransportUnavailable`` (the server cannot be reached: the rest of the batch would
fail the same way) and anything else, which the outbox treats as a temporary failure.
"""
from __future__ import annotations

import hashlib
import os
import smtplib
import socket
import ssl
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any, Protocol


class PermanentDeliveryError(Exception):
    """The message will never be accepted as it is (bad address, 5xx answer)."""


class TransportUnavailable(Exception):
    """The mail server cannot be reached at all; every message in the batch would fail the same way."""


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


def new_message_id(mail_from: str) -> str:
    """A unique Message-ID in the sender's domain."""
    domain = mail_from.rsplit("@", 1)[-1].rstrip(">") or "commonground.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


@dataclass(frozen=True)
class Draft:
    """A message that exists only in memory (``send_now``); it has the fields of an outbox row."""

    to_addr: str
    subject: str
    body_text: str
    body_html: str | None = None
    message_id: str = field(default_factory=lambda: new_message_id("commonground.local"))
    created_at: datetime = field(default_factory=lambda: datetime.now().astimezone())


def build_message(row: Any, mail_from: str) -> EmailMessage:
    """A multipart text+HTML message for an outbox row; the row's Message-ID makes retries recognisable."""
    name, addr = parseaddr(row.to_addr)
    if not addr or "@" not in addr or any(c in row.to_addr for c in "\r\n"):
        raise PermanentDeliveryError(f"invalid recipient address: {row.to_addr!r}")
    message = EmailMessage()
    message["From"] = mail_from
    # formataddr() cannot write an address beyond ASCII; smtplib sends such a one with SMTPUTF8.
    message["To"] = formataddr((name, addr)) if addr.isascii() else addr
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text or "")
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


class FileTransport:
    """Write messages as ``.eml`` files; a retry of the same message overwrites its own file."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:20]
        target = self.directory / f"{digest}.eml"
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes(policy=SMTP))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        return None


class _TimedSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` with separate timeouts: to connect, and for every answer after that."""

    def __init__(self, host: str, port: int, *, connect_timeout: float, timeout: float) -> None:
        self.connect_timeout = connect_timeout
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = socket.create_connection((host, port), self.connect_timeout, self.source_address)
        sock.settimeout(timeout)
        return sock


class SMTPTransport:
    """Deliver through an SMTP server; one connection per batch, reopened after a failure."""

    def __init__(self, host: str, port: int = 25, *, username: str | None = None, password: str | None = None,
                 starttls: bool = False, timeout: float = 10, connect_timeout: float = 5) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            conn = _TimedSMTP(self.host, self.port, connect_timeout=self.connect_timeout, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as err:
            raise TransportUnavailable(f"cannot connect to {self.host}:{self.port}: {err}") from err
        try:
            if self.starttls:
                conn.starttls(context=ssl.create_default_context())
            if self.username:
                conn.login(self.username, self.password or "")
        except BaseException:
            conn.close()
            raise
        return conn

    def send(self, message: EmailMessage) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            self._drop()
            codes = [code for code, _ in err.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentDeliveryError(f"recipient refused: {err.recipients}") from err
            raise
        except smtplib.SMTPResponseException as err:
            self._drop()
            if err.smtp_code >= 500:
                raise PermanentDeliveryError(f"{err.smtp_code} {err.smtp_error!r}") from err
            raise
        except BaseException:
            self._drop()
            raise

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def close(self) -> None:
        self._drop()


def transport_from_config(config: dict) -> Transport:
    """SMTP when ``MAIL_SMTP_HOST`` is set, else ``.eml`` files in ``MAIL_SPOOL_DIR``."""
    if config.get("MAIL_SMTP_HOST"):
        return SMTPTransport(
            config["MAIL_SMTP_HOST"],
            int(config.get("MAIL_SMTP_PORT") or 25),
            username=config.get("MAIL_SMTP_USERNAME"),
            password=config.get("MAIL_SMTP_PASSWORD"),
            starttls=bool(config.get("MAIL_SMTP_STARTTLS")),
            timeout=float(config.get("MAIL_SMTP_TIMEOUT") or 10),
            connect_timeout=float(config.get("MAIL_SMTP_CONNECT_TIMEOUT") or 5),
        )
    return FileTransport(config["MAIL_SPOOL_DIR"])


def send_now(config: dict, to_addr: str, subject: str, body_text: str, body_html: str | None = None) -> None:
    """Deliver one message right away through the configured transport, storing nothing.

    For jobs whose mail must not wait in the outbox (its address and text would be kept);
    raises ``PermanentDeliveryError`` for a message that can never be delivered, anything else
    for a failure worth retrying. Never call it from a web request.
    """
    transport = transport_from_config(config)
    try:
        draft = Draft(to_addr, subject, body_text, body_html, message_id=new_message_id(config["MAIL_FROM"]))
        transport.send(build_message(draft, config["MAIL_FROM"]))
    finally:
        transport.close()
