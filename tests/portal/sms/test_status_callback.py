from __future__ import annotations

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from portal.sms.gateway import sms_send
from portal.sms.models import SmsMessage

from .conftest import ACCOUNT_SID, AUTH_TOKEN, CALLBACK_URL, FakeTwilio

pytestmark = pytest.mark.django_db

PATH = "/sms/twilio/status"


@pytest.fixture
def message(twilio: FakeTwilio) -> SmsMessage:
    message = sms_send(to="+819011110001", body="code 482913", purpose="challenge_otp")
    assert message.status == "queued"
    return message


def _report(sid: str, status: str, **extra: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "From": "+15005550006",
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "To": "+819011110001",
        **extra,
    }


def _post(
    client: Client,
    params: dict[str, str],
    *,
    url: str = CALLBACK_URL,
    token: str = AUTH_TOKEN,
    signature: str | None = None,
) -> int:
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    return client.post(PATH, params, headers={"X-Twilio-Signature": signature}).status_code


def _status(message: SmsMessage) -> tuple[str, str]:
    message.refresh_from_db()
    return message.status, message.error_code


def test_it_records_delivery(client: Client, message: SmsMessage) -> None:
    assert _post(client, _report(message.provider_sid, "sent")) == 204
    assert _status(message) == ("sent", "")

    assert _post(client, _report(message.provider_sid, "delivered")) == 204
    assert _status(message) == ("delivered", "")


@pytest.mark.parametrize("status", ["undelivered", "failed"])
def test_it_records_a_failed_delivery_with_its_error_code(
    client: Client, message: SmsMessage, status: str
) -> None:
    assert _post(client, _report(message.provider_sid, status, ErrorCode="30003")) == 204

    assert _status(message) == (status, "30003")


def test_it_never_moves_a_message_back(client: Client, message: SmsMessage) -> None:
    _post(client, _report(message.provider_sid, "delivered"))

    assert _post(client, _report(message.provider_sid, "sent")) == 204
    assert _status(message) == ("delivered", "")


def test_it_refuses_a_wrong_signature(client: Client, message: SmsMessage) -> None:
    params = _report(message.provider_sid, "delivered")

    assert _post(client, params, token="not-the-auth-token") == 403
    assert _post(client, params, signature="") == 403
    assert _status(message) == ("queued", "")


def test_it_refuses_a_report_whose_form_was_altered(client: Client, message: SmsMessage) -> None:
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        CALLBACK_URL, _report(message.provider_sid, "failed")
    )

    assert _post(client, _report(message.provider_sid, "delivered"), signature=signature) == 403
    assert _status(message) == ("queued", "")


def test_it_refuses_every_report_without_an_auth_token(client: Client, message: SmsMessage, settings) -> None:
    settings.TWILIO_AUTH_TOKEN = ""

    assert _post(client, _report(message.provider_sid, "delivered"), token="") == 403
    assert _status(message) == ("queued", "")


def test_it_answers_404_for_an_unknown_message(client: Client, message: SmsMessage) -> None:
    assert _post(client, _report("SM" + "0" * 32, "delivered")) == 404
    assert _post(client, {"MessageStatus": "delivered"}) == 404


def test_it_checks_the_signature_against_the_called_url_when_none_is_set(
    client: Client, message: SmsMessage, settings
) -> None:
    settings.TWILIO_STATUS_CALLBACK_URL = ""
    params = _report(message.provider_sid, "delivered")

    assert _post(client, params, url=CALLBACK_URL) == 403
    assert _post(client, params, url=f"http://testserver{PATH}") == 204
    assert _status(message) == ("delivered", "")


def test_it_only_takes_post(client: Client) -> None:
    assert client.get(PATH).status_code == 405
