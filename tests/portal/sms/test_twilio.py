from __future__ import annotations

import logging
import re
import socket

import pytest

from portal.sms.gateway import sms_send
from portal.sms.models import SmsMessage

from .conftest import ACCOUNT_SID, AUTH_TOKEN, CALLBACK_URL, FROM_NUMBER, SERVICE_SID, FakeTwilio

pytestmark = pytest.mark.django_db

PHONE = "+819011110001"
BODY = "My Net+ 認証コード: 482913"


def _send(to: str = PHONE) -> SmsMessage:
    return sms_send(to=to, body=BODY, purpose="challenge_otp")


def test_it_sends_through_the_messages_api(twilio: FakeTwilio) -> None:
    message = _send()

    [request] = twilio.received
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["auth"] == (ACCOUNT_SID, AUTH_TOKEN)
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["form"] == {
        "To": PHONE,
        "From": FROM_NUMBER,
        "Body": BODY,
        "StatusCallback": f"{CALLBACK_URL}?message={message.pk}",  # names the row: see the callback tests
    }
    assert (message.status, message.backend, message.error_code) == ("queued", "twilio", "")
    assert re.fullmatch(r"SM[0-9a-f]{32}", message.provider_sid)
    assert message.dispatched


def test_it_keeps_no_body_since_it_holds_a_one_time_password(twilio: FakeTwilio) -> None:
    message = _send()

    stored = SmsMessage.objects.get(pk=message.pk)
    assert stored.body == ""
    assert stored.to_number == PHONE
    assert stored.provider_sid == message.provider_sid


def test_it_sends_the_normalised_number(twilio: FakeTwilio) -> None:
    _send("090-1111-0001")

    assert twilio.received[0]["form"]["To"] == PHONE


def test_it_records_an_initial_sent_status(twilio: FakeTwilio) -> None:
    twilio.mode = "sent"

    assert _send().status == "sent"


def test_it_uses_the_messaging_service_without_a_from_number(twilio: FakeTwilio, settings) -> None:
    settings.TWILIO_FROM_NUMBER = ""
    settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE_SID

    assert _send().status == "queued"
    form = twilio.received[0]["form"]
    assert form["MessagingServiceSid"] == SERVICE_SID
    assert "From" not in form


def test_it_leaves_out_the_status_callback_when_none_is_set(twilio: FakeTwilio, settings) -> None:
    settings.TWILIO_STATUS_CALLBACK_URL = ""

    _send()

    assert "StatusCallback" not in twilio.received[0]["form"]


@pytest.mark.parametrize(
    ("mode", "status", "error_code"),
    [
        ("invalid_number", "invalid_number", "21211"),
        ("landline", "invalid_number", "21614"),
        ("unverified", "invalid_number", "21608"),
        ("rate_limited", "rate_limited", "20429"),
        ("unsubscribed", "failed", "21610"),
        ("server_error", "failed", "20500"),
    ],
)
def test_it_maps_twilio_errors_to_a_status(
    twilio: FakeTwilio, mode: str, status: str, error_code: str
) -> None:
    twilio.mode = mode

    message = _send()

    assert (message.status, message.error_code, message.provider_sid) == (status, error_code, "")
    assert not message.dispatched
    stored = SmsMessage.objects.get(pk=message.pk)
    assert (stored.status, stored.error_code) == (status, error_code)


def test_it_logs_an_error_without_the_number(twilio: FakeTwilio, caplog: pytest.LogCaptureFixture) -> None:
    twilio.mode = "invalid_number"

    with caplog.at_level(logging.INFO):
        _send()

    assert "invalid_number" in caplog.text and "21211" in caplog.text
    assert "9011110001" not in caplog.text
    assert "482913" not in caplog.text


def test_it_records_a_wrong_auth_token_as_failed(twilio: FakeTwilio, settings) -> None:
    settings.TWILIO_AUTH_TOKEN = "wrong-token"

    message = _send()

    assert (message.status, message.error_code) == ("failed", "20003")
    assert twilio.received[0]["auth"] == (ACCOUNT_SID, "wrong-token")


def test_it_gives_up_on_a_slow_twilio(twilio: FakeTwilio, settings) -> None:
    settings.TWILIO_TIMEOUT = 1
    twilio.mode, twilio.delay = "slow", 2.5

    message = _send()

    assert (message.status, message.error_code) == ("failed", "timeout")
    assert len(twilio.received) == 1


def test_it_fails_when_twilio_cannot_be_reached(twilio: FakeTwilio, settings) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{closed.getsockname()[1]}"

    message = _send()

    assert (message.status, message.error_code) == ("failed", "connection")


def test_it_fails_without_credentials_and_sends_nothing(twilio: FakeTwilio, settings) -> None:
    settings.TWILIO_FROM_NUMBER = ""
    settings.TWILIO_MESSAGING_SERVICE_SID = ""

    message = _send()

    assert (message.status, message.error_code) == ("failed", "config")
    assert twilio.received == []
