"""A local Twilio for the SMS tests: the Messages API over real HTTP, answering like Twilio does."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
FROM_NUMBER = "+15005550006"
SERVICE_SID = "MG" + "fedcba9876543210" * 2
CALLBACK_URL = "https://acs.example.jp/sms/twilio/status"

# Twilio's answer for each error the fake can play: (HTTP status, code, message).
ERRORS: dict[str, tuple[int, int, str]] = {
    "invalid_number": (400, 21211, "The 'To' number {to} is not a valid phone number."),
    "landline": (400, 21614, "'To' number {to} is not a valid mobile number"),
    "unverified": (
        400,
        21608,
        "The number {to} is unverified. Trial accounts may only send messages to verified numbers.",
    ),
    "unsubscribed": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "rate_limited": (429, 20429, "Too Many Requests"),
    "server_error": (500, 20500, "An internal server error has occurred"),
}


@dataclass
class FakeTwilio:
    mode: str = "queued"  # "queued", "sent", "slow", or a key of ERRORS
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""
    # Set to play a Twilio that reports a status on the StatusCallback before it answers the
    # create call: called with (StatusCallback URL, the report's form); returns the HTTP status.
    report_early: tuple[str, Callable[[str, dict[str, str]], int]] | None = None
    early_answers: list[int] = field(default_factory=list)

    def answer(self, path: str, auth: tuple[str, str], form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if auth != (ACCOUNT_SID, AUTH_TOKEN):
            return 401, _error(401, 20003, "Authenticate")
        if path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
            return 404, _error(404, 20404, f"The requested resource {path} was not found")
        if self.mode in ERRORS:
            status, code, message = ERRORS[self.mode]
            return status, _error(status, code, message.format(to=form.get("To", "")))
        message = self.message(form, status="sent" if self.mode == "sent" else "queued")
        if self.report_early and "StatusCallback" in form:
            status, deliver = self.report_early
            self.early_answers.append(deliver(form["StatusCallback"], status_report(message["sid"], status)))
        return 201, message

    def message(self, form: dict[str, str], *, status: str) -> dict[str, Any]:
        sid = "SM" + secrets.token_hex(16)
        now = formatdate(usegmt=True)
        return {
            "account_sid": ACCOUNT_SID,
            "api_version": "2010-04-01",
            "body": form.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": status,
            "to": form.get("To"),
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"},
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }


def status_report(sid: str, status: str, **extra: str) -> dict[str, str]:
    """The form of Twilio's status callback for message `sid`."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "From": FROM_NUMBER,
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "To": "+819011110001",
        **extra,
    }


def _error(status: int, code: int, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _basic_auth(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.partition(" ")
    if scheme != "Basic":
        return ("", "")
    user, _, password = base64.b64decode(encoded).decode().partition(":")
    return (user, password)


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    twilio = FakeTwilio()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {name: values[0] for name, values in parse_qs(raw).items()}
            auth = _basic_auth(self.headers.get("Authorization", ""))
            twilio.received.append(
                {
                    "path": self.path,
                    "auth": auth,
                    "form": form,
                    "content_type": self.headers.get("Content-Type", ""),
                }
            )
            if twilio.mode == "slow":
                time.sleep(twilio.delay)
            status, answer = twilio.answer(self.path, auth, form)
            payload = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    twilio.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield twilio
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def twilio(fake_twilio: FakeTwilio, settings: Any) -> FakeTwilio:
    """Route `sms_send` through the Twilio backend to the local fake."""
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = FROM_NUMBER
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = fake_twilio.base_url
    settings.TWILIO_STATUS_CALLBACK_URL = CALLBACK_URL
    return fake_twilio


@pytest.fixture
def outbox(settings: Any) -> None:
    settings.SMS_BACKEND = "outbox"
