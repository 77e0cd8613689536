from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from portal.sms.gateway import sms_send
from portal.sms.models import SmsMessage

pytestmark = pytest.mark.usefixtures("outbox")

LIST = "/admin/portal/smsmessage/"


@pytest.fixture
def messages(db: None) -> list[SmsMessage]:
    return [
        sms_send(to="+819011110001", body="認証コード 482913", purpose="challenge_otp"),
        sms_send(to="+819022220002", body="確認コード 551177", purpose="phone_verification"),
    ]


def _ciphertexts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_number, body FROM portal_smsmessage")
        return [value for row in cursor.fetchall() for value in row if value]


def test_it_shows_masked_numbers_and_never_a_body(staff_client: Client, messages: list[SmsMessage]) -> None:
    secrets = ["+819011110001", "9022220002", "482913", "551177", *_ciphertexts()]
    for url in [LIST, f"{LIST}{messages[0].pk}/change/", f"{LIST}?status__exact=sent"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "+81 ** **** 0001" in content
        for secret in secrets:
            assert secret not in content, (url, secret[:4])


def test_it_finds_the_messages_to_a_phone(staff_client: Client, messages: list[SmsMessage]) -> None:
    content = staff_client.get(LIST, {"q": "090-2222-0002"}).content.decode()

    assert "+81 ** **** 0002" in content
    assert "+81 ** **** 0001" not in content


def test_it_is_read_only(staff_client: Client, messages: list[SmsMessage]) -> None:
    assert staff_client.get(f"{LIST}add/").status_code == 403
    assert staff_client.post(f"{LIST}{messages[0].pk}/delete/", {"post": "yes"}).status_code == 403
    assert SmsMessage.objects.count() == 2
