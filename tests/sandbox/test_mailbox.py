"""The sandbox mailbox: an e-mail backend that prints each message and keeps it for /sandbox/mail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.test import Client

from sandbox.models import SandboxMail

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _mailbox_backend(settings: Any) -> None:
    # pytest-django swaps in the locmem backend for every test; put the sandbox's back.
    settings.EMAIL_BACKEND = "sandbox.mail.SandboxMailboxBackend"


def _email_backend(**env: str) -> str:
    """EMAIL_BACKEND as a local run with exactly these e-mail variables would choose it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SANDBOX_"))}
    result = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.EMAIL_BACKEND)"],
        cwd=ROOT,
        env={**clean, "APP_ENV": "local", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({}, "sandbox.mail.SandboxMailboxBackend"),  # a local run with the sandbox
        ({"EMAIL_HOST": "smtp.example.jp"}, "django.core.mail.backends.smtp.EmailBackend"),
        ({"SANDBOX_ENABLED": "0"}, "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_it_picks_the_email_backend_of_a_local_run(environment: dict[str, str], backend: str) -> None:
    assert _email_backend(**environment) == backend


def test_it_stores_and_prints_a_plain_message(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    sent = send_mail(
        "仮パスワードのお知らせ",
        "仮パスワード: Temp-1234-abcd",
        "My Net+ <no-reply@mynet.example.jp>",
        ["hanako@demo.mynet.example.jp"],
    )
    assert sent == 1
    [stored] = SandboxMail.objects.all()
    assert stored.to == "hanako@demo.mynet.example.jp"
    assert stored.subject == "仮パスワードのお知らせ"
    assert stored.body == "仮パスワード: Temp-1234-abcd"
    assert stored.from_email == "My Net+ <no-reply@mynet.example.jp>"
    assert stored.html == ""
    assert "Subject: =?utf-8?" in capsys.readouterr().out  # the console backend's output


def test_it_keeps_the_html_alternative_and_every_recipient(db: None) -> None:
    message = EmailMultiAlternatives(
        "Welcome",
        "plain text",
        "no-reply@mynet.example.jp",
        ["a@example.jp"],
        cc=["b@example.jp"],
        bcc=["c@example.jp"],
    )
    message.attach_alternative("<p>Hello <b>there</b></p>", "text/html")
    message.attach("note.txt", "hello", "text/plain")
    assert message.send() == 1
    stored = SandboxMail.objects.get()
    assert stored.to == "a@example.jp, b@example.jp, c@example.jp"
    assert (stored.body, stored.html, stored.attachments) == (
        "plain text",
        "<p>Hello <b>there</b></p>",
        ["note.txt"],
    )


def test_it_sends_several_messages_over_one_connection(db: None) -> None:
    messages = [mail.EmailMessage(f"n{i}", "body", "x@example.jp", ["y@example.jp"]) for i in range(3)]
    with mail.get_connection() as connection:
        assert connection.send_messages(messages) == 3
    assert SandboxMail.objects.count() == 3


def test_the_mailbox_lists_and_shows_a_message_with_its_html_in_a_sandboxed_frame(db: None) -> None:
    message = EmailMultiAlternatives("Your code", "text <version>", "x@example.jp", ["y@example.jp"])
    message.attach_alternative('<p onclick="x()">"quoted" & <script>alert(1)</script></p>', "text/html")
    message.send()
    stored = SandboxMail.objects.get()
    listing = Client().get("/sandbox/mail").content.decode()
    assert "Your code" in listing and f"/sandbox/mail/{stored.pk}" in listing
    detail = Client().get(f"/sandbox/mail/{stored.pk}").content.decode()
    assert "text &lt;version&gt;" in detail
    assert (
        '<iframe class="mail-html" sandbox title="HTML version" srcdoc="&lt;p onclick=&quot;x()&quot;&gt;'
        in detail
    )
    assert "<script>alert(1)" not in detail


def test_the_mailbox_says_when_it_is_empty(db: None) -> None:
    assert "No mail yet" in Client().get("/sandbox/mail").content.decode()
    assert Client().get("/sandbox/mail/999").status_code == 404
