"""Notice e-mails over real SMTP, to a local server started by the test."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from portal.models import Member
from portal.services.passwords import password_forgotten


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook)
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), email.message_from_bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_it_mails_the_temporary_password_over_smtp(alice: Member, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    ):
        password_forgotten(
            username="alice-visa", date_of_birth=dt.date(1985, 6, 15), email="alice-visa@example.jp"
        )
    [(sender, recipients, message)] = inbox.messages
    assert recipients == ["alice-visa@example.jp"]
    assert "no-reply@" in sender
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "【My Net+】仮パスワードのお知らせ"
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    assert "仮パスワード" in body


def test_an_smtp_outage_does_not_undo_the_change(alice: Member) -> None:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_free_port(),
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=2,
    ):
        password_forgotten(
            username="alice-visa", date_of_birth=dt.date(1985, 6, 15), email="alice-visa@example.jp"
        )
    alice.refresh_from_db()
    assert alice.must_change_password
