from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connections
from django.test import Client
from twilio.request_validator import RequestValidator

from portal.sms.backends import status_callback_url
from portal.sms.gateway import sms_send
from portal.sms.models import SmsMessage

from .conftest import AUTH_TOKEN, CALLBACK_URL, FakeTwilio, status_report

pytestmark = pytest.mark.django_db

PATH = "/sms/twilio/status"


@pytest.fixture
def message(twilio: FakeTwilio) -> SmsMessage:
    message = sms_send(to="+819011110001", body="code 482913", purpose="challenge_otp")
    assert message.status == "queued"
    return message


def _post(
    client: Client,
    params: dict[str, str],
    *,
    url: str = CALLBACK_URL,
    token: str = AUTH_TOKEN,
    signature: str | None = None,
    path: str | None = None,
) -> int:
    """Post a status report to the URL `url` names, signed for `url` (Twilio signs what it calls)."""
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    if path is None:
        called = urlsplit(url)
        path = f"{called.path}?{called.query}" if called.query else called.path
    return client.post(path, params, headers={"X-Twilio-Signature": signature}).status_code


def _status(message: SmsMessage) -> tuple[str, str]:
    message.refresh_from_db()
    return message.status, message.error_code


def test_it_records_delivery(client: Client, message: SmsMessage) -> None:
    assert _post(client, status_report(message.provider_sid, "sent")) == 204
    assert _status(message) == ("sent", "")

    assert _post(client, status_report(message.provider_sid, "delivered")) == 204
    assert _status(message) == ("delivered", "")


@pytest.mark.parametrize("status", ["undelivered", "failed"])
def test_it_records_a_failed_delivery_with_its_error_code(
    client: Client, message: SmsMessage, status: str
) -> None:
    assert _post(client, status_report(message.provider_sid, status, ErrorCode="30003")) == 204

    assert _status(message) == (status, "30003")


def test_it_never_moves_a_message_back(client: Client, message: SmsMessage) -> None:
    _post(client, status_report(message.provider_sid, "delivered"))

    assert _post(client, status_report(message.provider_sid, "sent")) == 204
    assert _status(message) == ("delivered", "")


def test_it_refuses_a_wrong_signature(client: Client, message: SmsMessage) -> None:
    params = status_report(message.provider_sid, "delivered")

    assert _post(client, params, token="not-the-auth-token") == 403
    assert _post(client, params, signature="") == 403
    assert _status(message) == ("queued", "")


def test_it_refuses_a_report_whose_form_was_altered(client: Client, message: SmsMessage) -> None:
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        CALLBACK_URL, status_report(message.provider_sid, "failed")
    )

    assert _post(client, status_report(message.provider_sid, "delivered"), signature=signature) == 403
    assert _status(message) == ("queued", "")


def test_it_refuses_every_report_without_an_auth_token(client: Client, message: SmsMessage, settings) -> None:
    settings.TWILIO_AUTH_TOKEN = ""

    assert _post(client, status_report(message.provider_sid, "delivered"), token="") == 403
    assert _status(message) == ("queued", "")


def test_it_answers_404_for_an_unknown_message(client: Client, message: SmsMessage) -> None:
    assert _post(client, status_report("SM" + "0" * 32, "delivered")) == 404
    assert _post(client, {"MessageStatus": "delivered"}) == 404


def test_it_checks_the_signature_against_the_called_url_when_none_is_set(
    client: Client, message: SmsMessage, settings
) -> None:
    settings.TWILIO_STATUS_CALLBACK_URL = ""
    params = status_report(message.provider_sid, "delivered")

    assert _post(client, params, url=CALLBACK_URL) == 403
    assert _post(client, params, url=f"http://testserver{PATH}") == 204
    assert _status(message) == ("delivered", "")


def test_it_only_takes_post(client: Client) -> None:
    assert client.get(PATH).status_code == 405


def test_it_finds_the_message_its_callback_url_names_before_it_knows_the_sid(
    client: Client, message: SmsMessage
) -> None:
    sid = message.provider_sid
    SmsMessage.objects.filter(pk=message.pk).update(provider_sid="")  # Twilio's answer not yet in
    url = status_callback_url(message.pk)

    assert _post(client, status_report(sid, "delivered"), url=url) == 204
    assert _status(message) == ("delivered", "")
    assert message.provider_sid == sid  # learnt from the report


def test_it_refuses_a_report_whose_sid_is_another_messages(client: Client, message: SmsMessage) -> None:
    other = sms_send(to="+819011110002", body="code 111111", purpose="challenge_otp")
    url = status_callback_url(message.pk)

    assert _post(client, status_report(other.provider_sid, "failed"), url=url) == 404
    assert _status(message) == ("queued", "")
    assert _status(other) == ("queued", "")


def test_it_refuses_a_callback_url_whose_message_was_changed(client: Client, message: SmsMessage) -> None:
    other = sms_send(to="+819011110002", body="code 111111", purpose="challenge_otp")
    signed_for_other = RequestValidator(AUTH_TOKEN).compute_signature(
        status_callback_url(other.pk), status_report(message.provider_sid, "failed")
    )

    path = f"/sms/twilio/status?message={message.pk}"
    params = status_report(message.provider_sid, "failed")
    assert _post(client, params, signature=signed_for_other, path=path) == 403
    assert _status(message) == ("queued", "")


@pytest.mark.parametrize("named", ["abc", "-1", "\u00b2", "99999999999999999999"])
def test_it_answers_404_for_a_callback_url_naming_no_message(
    client: Client, message: SmsMessage, named: str
) -> None:
    url = f"{CALLBACK_URL}?{urlencode({'message': named})}"

    assert _post(client, status_report(message.provider_sid, "failed"), url=url) == 404
    assert _status(message) == ("queued", "")


@pytest.mark.django_db(transaction=True)
def test_a_report_that_comes_before_twilios_answer_is_kept(twilio: FakeTwilio) -> None:
    def deliver(url: str, form: dict[str, str]) -> int:
        # Twilio's callback, from the fake's own thread, while sms_send still waits for its answer.
        try:
            return _post(Client(), form, url=url)
        finally:
            connections.close_all()

    twilio.report_early = ("failed", deliver)

    message = sms_send(to="+819011110001", body="code 482913", purpose="challenge_otp")

    assert twilio.early_answers == [204]
    stored = SmsMessage.objects.get(pk=message.pk)
    assert (stored.status, message.status) == ("failed", "failed")  # not moved back to "queued"
    assert stored.provider_sid == message.provider_sid != ""
