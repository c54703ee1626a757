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

import binascii
import functools
import hashlib
import os
import re
import secrets
import smtplib
import socket
import ssl
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
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

    def send_many(self, messages: list[RenderedMessage]) -> list[Exception | None]: ...

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


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready for the wire: envelope addresses and the CRLF bytes (not yet dot-stuffed)."""

    message_id: str
    sender: str
    recipient: str
    data: bytes
    smtputf8: bool = False


_CRLF_LINES = re.compile(r"\r\n|\r|\n")


def _lines_fit(text: str) -> bool:
    return all(len(line) <= 998 for line in text.split("\n"))


def _body_part(text: str, subtype: str) -> bytes:
    """One text part: 7bit when it can be, else quoted-printable (binascii's C encoder)."""
    text = _CRLF_LINES.sub("\n", text)
    if not text.endswith("\n"):
        text += "\n"
    if text.isascii() and _lines_fit(text):
        cte, body = "7bit", text.encode("ascii")
    else:
        cte, body = "quoted-printable", binascii.b2a_qp(text.encode("utf-8"), istext=True)
    return (f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: {cte}\r\n'
            f"\r\n").encode("ascii") + body.replace(b"\n", b"\r\n")


@functools.lru_cache(maxsize=8)
def _envelope_sender(mail_from: str) -> str:
    return parseaddr(mail_from)[1] or mail_from


def render_message(row: Any, mail_from: str) -> RenderedMessage:
    """The bytes ``build_message`` describes, written directly: the relay's per-mail cost.

    ``email.message.EmailMessage`` parses every header it is given and flattens through its
    header registry (about 2 ms a message under load); for the common case (ASCII addresses,
    no line breaks in headers) this writes the same structure in a few microseconds. Anything
    else (an address beyond ASCII, which needs SMTPUTF8) goes through ``build_message``.
    Raises ``PermanentDeliveryError`` for a message that can never be sent.
    """
    name, addr = parseaddr(row.to_addr)
    if not addr or "@" not in addr or any(c in row.to_addr for c in "\r\n"):
        raise PermanentDeliveryError(f"invalid recipient address: {row.to_addr!r}")
    sender = _envelope_sender(mail_from)
    subject = row.subject or ""
    simple = (addr.isascii() and mail_from.isascii() and not any(c in subject + mail_from for c in "\r\n"))
    if not simple:
        try:
            message = build_message(row, mail_from)
        except ValueError as err:  # a header the email package refuses (line breaks)
            raise PermanentDeliveryError(f"cannot build message: {err}") from err
        smtputf8 = not addr.isascii()
        data = message.as_bytes(policy=SMTP.clone(utf8=True) if smtputf8 else SMTP)
        return RenderedMessage(row.message_id, sender, addr, data, smtputf8)
    if subject.isascii() and len(subject) <= 68:
        subject_line = f"Subject: {subject}"
    else:
        charset = "us-ascii" if subject.isascii() else "utf-8"
        subject_line = "Subject: " + Header(subject, charset, header_name="Subject").encode(linesep="\r\n")
    headers = "\r\n".join((
        f"From: {mail_from}",
        f"To: {formataddr((name, addr))}",
        subject_line,
        f"Message-ID: {row.message_id}",
        f"Date: {format_datetime(row.created_at)}",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
    )).encode("ascii") + b"\r\n"
    text = _body_part(row.body_text or "", "plain")
    if not row.body_html:
        return RenderedMessage(row.message_id, sender, addr, headers + text)
    html = _body_part(row.body_html, "html")
    boundary = f"=_{secrets.token_hex(12)}"
    while boundary.encode() in text or boundary.encode() in html:
        boundary = f"=_{secrets.token_hex(12)}"
    delimiter = f"--{boundary}\r\n".encode()
    data = (headers + f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode()
            + delimiter + text + b"\r\n" + delimiter + html + f"\r\n--{boundary}--\r\n".encode())
    return RenderedMessage(row.message_id, sender, addr, data)


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

    def send_many(self, messages: list[RenderedMessage]) -> list[Exception | None]:
        """Write each message's bytes; a message that could not be written gets its error."""
        self.directory.mkdir(parents=True, exist_ok=True)
        results: list[Exception | None] = []
        for message in messages:
            digest = hashlib.sha256(message.message_id.encode()).hexdigest()[:20]
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(message.data)
                os.replace(tmp, self.directory / f"{digest}.eml")
            except OSError as err:
                Path(tmp).unlink(missing_ok=True)
                results.append(err)
            else:
                results.append(None)
        return results

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

    def send_many(self, messages: list[RenderedMessage]) -> list[Exception | None]:
        """Deliver a batch on this transport's connection; one result per message (None: accepted).

        With a server that offers PIPELINING (RFC 2920, as Postfix and Exim do) a message costs one
        round trip: its content, the end-of-data dot and the next message's MAIL, RCPT and DATA go
        out in one write, and the replies are read together. Without it, smtplib's four round
        trips a message. A broken connection fails the messages in flight (temporary: they are
        retried, and their stable Message-ID lets a receiver spot the repeat), and the rest of the
        batch continues on a new connection; a server that cannot be reached fails the rest at once.
        """
        results: list[Exception | None] = [TransportUnavailable("not attempted")] * len(messages)
        start = 0
        while start < len(messages):
            try:
                if self._conn is None:
                    self._conn = self._connect()
                    self._conn.ehlo_or_helo_if_needed()
            except (TransportUnavailable, OSError, smtplib.SMTPException) as err:
                unavailable = err if isinstance(err, TransportUnavailable) else TransportUnavailable(str(err))
                results[start:] = [unavailable] * (len(messages) - start)
                break
            if self._conn.has_extn("pipelining"):
                start = self._send_pipelined(self._conn, messages, start, results)
            else:
                start = self._send_one_by_one(self._conn, messages, start, results)
        return results

    def _send_one_by_one(self, conn: smtplib.SMTP, messages: list[RenderedMessage], start: int,
                         results: list[Exception | None]) -> int:
        for index in range(start, len(messages)):
            message = messages[index]
            try:
                if message.smtputf8 and not conn.has_extn("smtputf8"):
                    raise smtplib.SMTPNotSupportedError("the server does not accept addresses beyond ASCII")
                options = ["SMTPUTF8", "BODY=8BITMIME"] if message.smtputf8 else []
                conn.sendmail(message.sender, [message.recipient], message.data, options)
                results[index] = None
            except smtplib.SMTPNotSupportedError as err:
                results[index] = err
            except Exception as err:
                results[index] = _classify(err)
                self._drop()
                return index + 1
        return len(messages)

    def _send_pipelined(self, conn: smtplib.SMTP, messages: list[RenderedMessage], start: int,
                        results: list[Exception | None]) -> int:
        """Returns the index to go on from: the end, or the first message after a broken connection."""
        in_flight: list[int] = []
        content = b""  # the accepted message's content, sent with the next commands
        open_transaction = False  # MAIL accepted but the message refused: RSET before the next one
        index = start
        try:
            while index < len(messages) or content:
                commands = []
                if open_transaction:
                    commands.append(b"RSET\r\n")
                current = messages[index] if index < len(messages) else None
                if current is not None:
                    if current.smtputf8 and not conn.has_extn("smtputf8"):
                        results[index] = smtplib.SMTPNotSupportedError("the server does not accept addresses "
                                                                       "beyond ASCII")
                        index += 1
                        current = None
                    else:
                        options = " SMTPUTF8 BODY=8BITMIME" if current.smtputf8 else ""
                        commands.append(f"MAIL FROM:<{current.sender}>{options}\r\n".encode()
                                        + f"RCPT TO:<{current.recipient}>\r\nDATA\r\n".encode())
                        in_flight.append(index)
                if not content and not commands:
                    continue
                conn.send(content + b"".join(commands))
                if content:
                    code, reply = conn.getreply()
                    results[in_flight.pop(0)] = None if code == 250 else _refusal(code, reply)
                    content = b""
                if open_transaction:
                    conn.getreply()
                    open_transaction = False
                if current is None:
                    continue
                (mail_code, mail_reply), (rcpt_code, rcpt_reply), (data_code, data_reply) = (
                    conn.getreply(), conn.getreply(), conn.getreply())
                if data_code == 354 and mail_code == 250 and rcpt_code in (250, 251):
                    content = _dot_stuffed(current.data)
                    index += 1
                    continue
                in_flight.pop()
                if mail_code != 250:
                    refusal = _refusal(mail_code, mail_reply)
                elif rcpt_code not in (250, 251):
                    refusal = _refusal(rcpt_code, rcpt_reply)
                else:
                    refusal = _refusal(data_code, data_reply)
                results[index] = refusal
                open_transaction = mail_code == 250
                index += 1
                if data_code == 354:  # a server that lets DATA through after refusing: end the session
                    raise smtplib.SMTPDataError(data_code, data_reply)
        except Exception as err:
            failure = _classify(err)
            for pending in in_flight:
                results[pending] = failure
            self._drop(hard=True)
            return max([index, *[pending + 1 for pending in in_flight]])
        return len(messages)

    def _drop(self, *, hard: bool = False) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and hard:
            conn.close()
        elif conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def close(self) -> None:
        self._drop()


def _dot_stuffed(data: bytes) -> bytes:
    """Message content as sent after DATA: leading dots doubled, CRLF line ends, the final dot."""
    data = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r\n|\r|\n", b"\r\n", data))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _refusal(code: int, reply: bytes) -> Exception:
    """A server's refusal of one message: permanent for 5xx, else worth a retry."""
    text = reply.decode("utf-8", "replace")
    if code >= 500:
        return PermanentDeliveryError(f"{code} {text!r}")
    return smtplib.SMTPResponseException(code, text)


def _classify(err: Exception) -> Exception:
    """The outbox's view of a send error (as ``SMTPTransport.send`` raises it)."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in err.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return PermanentDeliveryError(f"recipient refused: {err.recipients}")
    elif isinstance(err, smtplib.SMTPResponseException) and err.smtp_code >= 500:
        return PermanentDeliveryError(f"{err.smtp_code} {err.smtp_error!r}")
    return err


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
