"""A real SMTP server on loopback (aiosmtpd) that keeps every message, for the tests that send
e-mail: import ``smtp_server`` (one per module) and ``mailbox`` (emptied for each test)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession


class Mailbox:
    """An SMTP handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.port = 0
        self._lock = threading.Lock()
        self._messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        message = email.message_from_bytes(
            envelope.original_content or b"", policy=email.policy.default
        )
        assert isinstance(message, EmailMessage)
        with self._lock:
            self._messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[tuple[list[str], EmailMessage]]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def body_to(self, address: str) -> str:
        """The body of the one message sent to ``address``."""
        bodies = [message.get_content() for to, message in self.messages if to == [address]]
        assert len(bodies) == 1, (address, [to for to, _ in self.messages])
        return str(bodies[0])

    def take(self) -> dict[str, EmailMessage]:
        """The messages received since the last call, by recipient (one each at most)."""
        with self._lock:
            taken, self._messages = self._messages, []
        by_recipient: dict[str, EmailMessage] = {}
        for recipients, message in taken:
            for recipient in recipients:
                assert recipient not in by_recipient, f"{recipient} was sent two messages"
                by_recipient[recipient] = message
        return by_recipient


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    smtp_server.clear()
    return smtp_server
