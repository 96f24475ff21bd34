"""Sending e-mail: SMTP when a server is configured, otherwise a folder of .eml files.

Without an SMTP server (the demo, a laptop) messages are written to ``data/outbox`` so that
nothing is lost and a password reset link can still be followed.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from boundaries.store.models import utc_now

if TYPE_CHECKING:
    from boundaries.web.settings import WebSettings

log = logging.getLogger(__name__)
OUTBOX = Path("data") / "outbox"


class Mailer(Protocol):
    """Something that sends one plain-text e-mail."""

    def send(self, to: str, subject: str, body: str) -> None: ...


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utc_now())
    message["Message-ID"] = make_msgid(domain="boundaries.invalid")
    message.set_content(body)
    return message


class SmtpMailer:
    """Sends through an SMTP server, with STARTTLS when asked (the usual port 587 set-up)."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = True,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self.password, self.timeout = (
            starttls,
            username,
            password,
            timeout,
        )

    def send(self, to: str, subject: str, body: str) -> None:
        message = _message(self.sender, to, subject, body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


class FolderMailer:
    """Writes each message to a folder as an .eml file, for when no SMTP server is set up."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder, self.sender = folder, sender

    def send(self, to: str, subject: str, body: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message = _message(self.sender, to, subject, body)
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")
        path = self.folder / f"{stamp}.eml"
        path.write_bytes(bytes(message))
        log.warning("E-mail is not set up; the message to %s was saved in %s", to, path)


def mailer_for(settings: WebSettings) -> Mailer:
    """The installation's mailer: SMTP when a host is set, else ``data/outbox``. The web app and
    every command that sends e-mail use this one set-up."""
    smtp = settings.smtp
    if smtp.host:
        return SmtpMailer(
            smtp.host,
            smtp.port,
            smtp.sender,
            starttls=smtp.starttls,
            username=smtp.username,
            password=smtp.password.get_secret_value() if smtp.password else None,
            timeout=smtp.timeout_seconds,
        )
    return FolderMailer(Path.cwd() / OUTBOX, smtp.sender)
