from __future__ import annotations

import logging

import pytest
from django.db import connection

from portal import crypto
from portal.sms.gateway import sms_send
from portal.sms.models import SmsMessage
from portal.sms.numbers import phone_fingerprint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox")]

PHONE = "+819011110001"
BODY = "My Net+ 認証コード: 482913"


def test_it_stores_the_message_as_sent_with_its_body() -> None:
    message = sms_send(to=PHONE, body=BODY, purpose="challenge_otp")

    stored = SmsMessage.objects.get(pk=message.pk)
    assert (stored.status, stored.backend, stored.purpose) == ("sent", "outbox", "challenge_otp")
    assert stored.body == BODY
    assert stored.to_number == PHONE
    assert stored.to_fingerprint == phone_fingerprint(PHONE)
    assert stored.dispatched


def test_it_keeps_the_number_and_body_encrypted_at_rest() -> None:
    sms_send(to=PHONE, body=BODY, purpose="challenge_otp")

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_number, body, to_fingerprint FROM portal_smsmessage")
        to_number, body, fingerprint = cursor.fetchone()
    assert "9011110001" not in to_number and "482913" not in body
    assert crypto.decrypt(to_number, purpose="sms.to_number") == PHONE
    assert fingerprint != crypto.pan_fingerprint(PHONE)


@pytest.mark.parametrize(
    "spelling", ["+81 90-1111-0001", "090-1111-0001", "09011110001", "+81 (90) 1111 0001"]
)
def test_it_normalises_the_number_to_e164(spelling: str) -> None:
    message = sms_send(to=spelling, body=BODY, purpose="phone_verification")

    assert message.status == "sent"
    assert message.to_number == PHONE
    assert message.to_fingerprint == phone_fingerprint(PHONE)


@pytest.mark.parametrize("number", ["", "not a phone", "+8190", "12"])
def test_it_refuses_a_number_that_cannot_be_a_phone(number: str) -> None:
    message = sms_send(to=number, body=BODY, purpose="phone_verification")

    assert message.status == "invalid_number"
    assert message.body == ""
    assert not message.dispatched


def test_it_logs_the_number_masked(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="portal.sms"):
        sms_send(to=PHONE, body=BODY, purpose="challenge_otp")

    assert "+81 ** **** 0001" in caplog.text
    assert "9011110001" not in caplog.text


def test_it_keeps_the_body_out_of_the_log_outside_local_runs(
    settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.LOCAL = False
    with caplog.at_level(logging.INFO, logger="portal.sms"):
        message = sms_send(to=PHONE, body=BODY, purpose="challenge_otp")

    assert message.status == "sent"
    assert "482913" not in caplog.text
