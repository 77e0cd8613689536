"""Switching from the legacy password method to SMS codes asks the password, as a phone change does:
whoever holds the number receives the codes that confirm payments."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from portal.models import Member, PhoneVerificationDevice, ThreeDSEnrolment
from portal.sms.models import SmsMessage

from ..conftest import PASSWORD


@pytest.fixture
def english(client: Client, carol: Member) -> Client:
    client.cookies["django_language"] = "en"
    client.force_login(carol)
    return client


def test_it_refuses_a_switch_without_the_password(english: Client, carol: Member) -> None:
    response = english.post("/3ds/switch/", {"mobile": "090-5555-1234"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not SmsMessage.objects.exists() and not PhoneVerificationDevice.objects.exists()


def test_it_refuses_a_switch_with_a_wrong_password(english: Client, carol: Member) -> None:
    response = english.post("/3ds/switch/", {"mobile": "090-5555-1234", "password": "not-my-password"})
    assert "The password is not correct." in response.content.decode()
    assert not SmsMessage.objects.exists()
    assert Member.objects.get(pk=carol.pk).failed_login_count == 1  # the same lockout as log-in


def test_it_sends_the_code_with_the_password(english: Client, carol: Member) -> None:
    response = english.post("/3ds/switch/", {"mobile": "090-5555-1234", "password": PASSWORD})
    assert response["Location"] == "/3ds/verify/"
    assert SmsMessage.objects.get().to_number == "+819055551234"
    assert ThreeDSEnrolment.objects.get(member=carol).method == ThreeDSEnrolment.Method.PASSWORD


def test_the_page_asks_for_the_password(english: Client, settings: Any) -> None:
    assert 'name="password"' in english.get("/3ds/switch/").content.decode()
