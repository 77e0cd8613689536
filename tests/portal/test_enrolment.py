"""The 3-D Secure service: verified phone, personal message, legacy switch, phone and e-mail changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from portal.models import Card, Member, PhoneVerificationDevice, ThreeDSEnrolment
from portal.sms.models import SmsMessage

from ..conftest import PASSWORD, make_member


@pytest.fixture
def dan(unregistered_card: Card) -> Member:
    return make_member(unregistered_card, "dan-tanaka", method=None)


def _code() -> str:
    return re.search(r"\b(\d{6})\b", SmsMessage.objects.order_by("-pk").first().body).group(1)  # type: ignore[union-attr]


def _as(client: Client, member: Member) -> Client:
    client.force_login(member)
    return client


def test_it_enrols_only_after_the_phone_is_verified(english: Client, dan: Member) -> None:
    _as(english, dan)
    response = english.post("/3ds/enrol/", {"mobile": "080-1234-5678", "personal_message": "青い傘"})
    assert response["Location"] == "/3ds/verify/"
    assert not ThreeDSEnrolment.objects.filter(member=dan).exists()
    sms = SmsMessage.objects.get()
    assert sms.to_number == "+818012345678" and sms.purpose == "phone_verification"
    assert english.post("/3ds/verify/", {"code": _code()})["Location"] == "/home/"
    enrolment = ThreeDSEnrolment.objects.get(member=dan)
    assert (enrolment.method, enrolment.mobile, enrolment.personal_message) == (
        "sms_otp",
        "+818012345678",
        "青い傘",
    )
    assert not PhoneVerificationDevice.objects.exists()
    assert mail.outbox[-1].to == ["dan-tanaka@example.jp"]


@pytest.mark.parametrize(
    "mobile", ["03-1234-5678", "050-1234-5678", "+1 415 555 0100", "090-1234", "not a phone"]
)
def test_it_accepts_only_japanese_mobile_numbers(english: Client, dan: Member, mobile: str) -> None:
    _as(english, dan)
    response = english.post("/3ds/enrol/", {"mobile": mobile})
    assert "starting with 070, 080 or 090" in response.content.decode()
    assert not SmsMessage.objects.exists()


def test_a_wrong_code_saves_nothing(english: Client, dan: Member) -> None:
    _as(english, dan)
    english.post("/3ds/enrol/", {"mobile": "07012345678"})
    wrong = "000000" if _code() != "000000" else "111111"
    assert "The code is not correct." in english.post("/3ds/verify/", {"code": wrong}).content.decode()
    assert not ThreeDSEnrolment.objects.filter(member=dan).exists()


def test_wrong_codes_count_until_a_new_code_is_needed(english: Client, dan: Member, settings: Any) -> None:
    settings.OTP_THROTTLE_FACTOR = 0  # no back-off between tries: the limit alone is tested
    _as(english, dan)
    english.post("/3ds/enrol/", {"mobile": "07012345678"})
    right = _code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        assert "The code is not correct." in english.post("/3ds/verify/", {"code": wrong}).content.decode()
    assert PhoneVerificationDevice.objects.get(user=dan).throttling_failure_count == settings.OTP_MAX_ATTEMPTS

    refused = english.post("/3ds/verify/", {"code": right}).content.decode()
    assert "Too many wrong codes. Please ask for a new code." in refused
    assert not ThreeDSEnrolment.objects.filter(member=dan).exists()

    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    english.post("/3ds/verify/resend/")  # a new code comes with new tries
    english.post("/3ds/verify/", {"code": _code()})
    assert ThreeDSEnrolment.objects.filter(member=dan).exists()


def test_it_limits_the_personal_message_to_fit_the_smallest_challenge_window(
    english: Client, alice: Member
) -> None:
    _as(english, alice)
    english.post("/3ds/message/", {"personal_message": "あ" * 21})
    assert ThreeDSEnrolment.objects.get(member=alice).personal_message == "さくら満開"
    english.post("/3ds/message/", {"personal_message": "  新しい   言葉  "})
    assert ThreeDSEnrolment.objects.get(member=alice).personal_message == "新しい 言葉"
    english.post("/3ds/message/", {"personal_message": ""})
    assert ThreeDSEnrolment.objects.get(member=alice).personal_message == ""


def test_a_legacy_member_is_told_to_switch_and_can(english: Client, carol: Member) -> None:
    _as(english, carol)
    assert "Switch to SMS codes" in english.get("/home/").content.decode()
    english.post("/3ds/switch/", {"mobile": "090-5555-1234", "password": PASSWORD})
    english.post("/3ds/verify/", {"code": _code()})
    enrolment = ThreeDSEnrolment.objects.get(member=carol)
    assert (enrolment.method, enrolment.mobile, enrolment.personal_message) == (
        "sms_otp",
        "+819055551234",
        "いつもの猫",
    )


def test_changing_the_phone_asks_the_password_and_tells_the_old_number(
    english: Client, alice: Member
) -> None:
    _as(english, alice)
    refused = english.post("/3ds/phone/", {"mobile": "090-7777-0000", "password": "not-my-password"})
    assert "The password is not correct." in refused.content.decode()
    english.post("/3ds/phone/", {"mobile": "090-7777-0000", "password": PASSWORD})
    english.post("/3ds/verify/", {"code": _code()})
    assert ThreeDSEnrolment.objects.get(member=alice).mobile == "+819077770000"
    old_notice = SmsMessage.objects.order_by("-pk").first()
    assert (
        old_notice is not None
        and old_notice.to_number == "+819011110001"
        and old_notice.purpose == "change_notice"
    )
    assert mail.outbox[-1].to == ["alice-visa@example.jp"]


def test_changing_the_email_asks_the_password_and_tells_the_old_address(
    english: Client, alice: Member
) -> None:
    _as(english, alice)
    english.post("/email/", {"email": "new@example.jp", "password": "wrong-password"})
    assert Member.objects.get(pk=alice.pk).email == "alice-visa@example.jp"
    english.post("/email/", {"email": "new@example.jp", "password": PASSWORD})
    assert Member.objects.get(pk=alice.pk).email == "new@example.jp"
    assert mail.outbox[-1].to == ["alice-visa@example.jp"]
    assert "n***@example.jp" in mail.outbox[-1].body


def test_it_resends_a_verification_code_after_the_cooldown(
    english: Client, dan: Member, settings: Any
) -> None:
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    _as(english, dan)
    english.post("/3ds/enrol/", {"mobile": "07012345678"})
    english.post("/3ds/verify/resend/")
    assert SmsMessage.objects.count() == 2
    english.post("/3ds/verify/", {"code": _code()})
    assert ThreeDSEnrolment.objects.filter(member=dan).exists()


def test_starting_again_keeps_the_cooldown_and_the_quota_of_codes(
    english: Client, dan: Member, settings: Any
) -> None:
    settings.OTP_MAX_RESENDS = 3  # the first code and three more, as the numbers below
    _as(english, dan)
    english.post("/3ds/enrol/", {"mobile": "07012345678"})
    again = english.post("/3ds/enrol/", {"mobile": "08012345678"})  # another number, at once
    assert again.status_code == 200
    assert "A new code cannot be sent yet" in again.context["form"].errors["mobile"][0]
    assert SmsMessage.objects.count() == 1
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    for number in ("08012345678", "09012345678", "07087654321"):
        assert english.post("/3ds/enrol/", {"mobile": number})["Location"] == "/3ds/verify/"
    refused = english.post("/3ds/enrol/", {"mobile": "08087654321"})  # a fifth code: over the quota
    assert refused.status_code == 200
    assert "No more codes can be sent for now" in refused.context["form"].errors["mobile"][0]
    assert SmsMessage.objects.count() == 1 + settings.OTP_MAX_RESENDS
    english.post("/3ds/verify/", {"code": _code()})  # the last code sent is the one that counts
    assert ThreeDSEnrolment.objects.get(member=dan).mobile == "+817087654321"


def test_a_code_that_could_not_be_sent_is_said_on_the_form(
    english: Client, dan: Member, settings: Any
) -> None:
    settings.SMS_DAILY_CAP_PER_PHONE = 0
    _as(english, dan)
    response = english.post("/3ds/enrol/", {"mobile": "07012345678"})
    assert response.status_code == 200
    assert "could not be sent" in response.context["form"].errors["mobile"][0]
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    resent = english.post("/3ds/verify/resend/", follow=True)
    assert "could not be sent" in resent.content.decode()
    assert "A new code has been sent" not in resent.content.decode()
    assert not SmsMessage.objects.filter(status=SmsMessage.Status.SENT).exists()


def test_wrong_passwords_on_a_change_count_towards_the_lockout(
    english: Client, alice: Member, settings: Any
) -> None:
    _as(english, alice)
    for _attempt in range(settings.LOCKOUT_THRESHOLD):
        english.post("/3ds/phone/", {"mobile": "090-7777-0000", "password": "not-my-password"})
    assert Member.objects.get(pk=alice.pk).is_locked
    assert english.get("/home/")["Location"].startswith("/login/")  # the session no longer counts
    assert not SmsMessage.objects.exists()
