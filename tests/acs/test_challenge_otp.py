"""The SMS one-time-password challenge, through the real endpoints."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from acs.models import ChallengeOtpDevice, ResultDelivery, Transaction
from acs.results import results_deliver_due
from portal.models import Member
from portal.sms.models import SmsMessage

from .challenge_helpers import cres_of, last_code, open_challenge, start, step, token_of
from .ds_server import running_ds

pytestmark = pytest.mark.usefixtures("card_ranges")


@pytest.fixture(autouse=True)
def _no_throttle(settings: Any) -> None:
    # django-otp's back-off (1 s, 2 s, ...) has its own test below; elsewhere tests type fast.
    settings.OTP_THROTTLE_FACTOR = 0


def test_it_shows_the_purchase_and_the_personal_message_and_sends_one_sms(
    client: Client, alice: Member
) -> None:
    page = open_challenge(client, start(client))
    html = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "Visa Secure",
        "Example Shop",
        "¥12,800",
        "4111 11** **** 1111",
        "さくら満開",
        "+81 ** **** 0001",
        'autocomplete="one-time-code"',
        'inputmode="numeric"',
    ):
        assert expected in html, expected
    assert page["Content-Security-Policy"].endswith("frame-ancestors *; base-uri 'none'")
    assert "X-Frame-Options" not in page
    assert not page.cookies
    [sms] = SmsMessage.objects.all()
    assert "Example Shop" in sms.body and "¥12,800" in sms.body
    assert sms.body.endswith(f"@127.0.0.1 #{last_code()}")


def test_it_resends_nothing_when_the_page_is_reloaded(client: Client, alice: Member) -> None:
    ares = start(client)
    open_challenge(client, ares)
    again = open_challenge(client, ares)
    assert again.status_code == 200 and "さくら満開" in again.content.decode()
    assert SmsMessage.objects.count() == 1


def test_it_keeps_only_a_hash_of_the_code(client: Client, alice: Member) -> None:
    open_challenge(client, start(client))
    device = ChallengeOtpDevice.objects.get()
    assert device.token is None
    assert last_code() not in device.token_hash


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
def test_it_passes_the_right_code_and_reports_y(client: Client, alice: Member, version: str) -> None:
    with running_ds() as ds:
        ares = start(client, version, dsURL=ds.url)
        page = open_challenge(client, ares)
        done = step(client, page, code=last_code())
    cres = cres_of(done)
    assert cres == {
        "threeDSServerTransID": ares["threeDSServerTransID"],
        "acsTransID": ares["acsTransID"],
        "messageType": "CRes",
        "messageVersion": version,
        "transStatus": "Y",
        "challengeCompletionInd": "Y",
    }
    assert 'name="threeDSSessionData" value="c2Vzc2lvbg"' in done.content.decode()
    assert 'action="https://3dss.example/cres"' in done.content.decode()
    [rreq] = ds.received
    assert (rreq["transStatus"], rreq["eci"], rreq["interactionCounter"]) == ("Y", "05", "01")
    assert ResultDelivery.objects.get().status == ResultDelivery.Status.DELIVERED


def test_it_says_how_many_tries_are_left_then_accepts_the_right_code(client: Client, alice: Member) -> None:
    ares = start(client, browserLanguage="en-GB")
    page = open_challenge(client, ares)
    wrong = step(client, page, code="000000" if last_code() != "000000" else "111111")
    assert "You have 2 tries left" in wrong.content.decode()
    done = step(client, wrong, code=last_code())
    assert cres_of(done)["transStatus"] == "Y"
    assert Transaction.objects.get().interaction_counter == 2


def test_it_ends_n_19_after_three_wrong_codes(client: Client, alice: Member) -> None:
    page = open_challenge(client, start(client))
    bad = "000000" if last_code() != "000000" else "111111"
    for _ in range(2):
        page = step(client, page, code=bad)
    done = step(client, page, code=bad)
    assert cres_of(done)["transStatus"] == "N"
    txn = Transaction.objects.get()
    assert (txn.trans_status_reason, txn.interaction_counter) == ("19", 3)
    assert ResultDelivery.objects.get().payload["transStatusReason"] == "19"


def test_it_refuses_a_resend_during_the_cooldown_and_allows_it_after(client: Client, alice: Member) -> None:
    ares = start(client, browserLanguage="en")
    page = open_challenge(client, ares)
    first = last_code()
    early = step(client, page, action="resend")
    assert "Please wait before asking for another" in early.content.decode()
    assert SmsMessage.objects.count() == 1
    ChallengeOtpDevice.objects.update(last_generated_timestamp=timezone.now() - dt.timedelta(seconds=31))
    resent = step(client, early, action="resend")
    assert "A new code has been sent" in resent.content.decode()
    assert SmsMessage.objects.count() == 2
    if last_code() != first:
        stale_code = step(client, resent, code=first)
        assert "not correct" in stale_code.content.decode()
    assert Transaction.objects.get().interaction_counter <= 1  # resends are not attempts


@override_settings(OTP_RESEND_COOLDOWN_SECONDS=0)
def test_it_stops_after_three_resends(client: Client, alice: Member) -> None:
    page = open_challenge(client, start(client, browserLanguage="en"))
    for _ in range(3):
        page = step(client, page, action="resend")
    assert SmsMessage.objects.count() == 4
    refused = step(client, page, action="resend")
    assert SmsMessage.objects.count() == 4
    assert "disabled" in refused.content.decode().split('value="resend"')[1].split(">")[0]


def test_it_reports_an_expired_code(client: Client, alice: Member) -> None:
    page = open_challenge(client, start(client, browserLanguage="en"))
    ChallengeOtpDevice.objects.update(valid_until=timezone.now() - dt.timedelta(seconds=1))
    expired = step(client, page, code=last_code())
    assert "The code has expired" in expired.content.decode()


def test_it_cancels_with_challenge_cancel_01(client: Client, alice: Member) -> None:
    page = open_challenge(client, start(client))
    done = step(client, page, action="cancel")
    assert cres_of(done)["transStatus"] == "N"
    rreq = ResultDelivery.objects.get().payload
    assert (rreq["transStatus"], rreq["challengeCancel"], rreq["transStatusReason"]) == ("N", "01", "26")


def test_it_refuses_an_old_form_without_counting_it(client: Client, alice: Member) -> None:
    ares = start(client, browserLanguage="en")
    first_page = open_challenge(client, ares)
    open_challenge(client, ares)  # a reload serves a newer page
    stale = step(client, first_page, code=last_code())
    assert "That page was out of date" in stale.content.decode()
    txn = Transaction.objects.get()
    assert txn.state == Transaction.State.CHALLENGING and txn.interaction_counter == 0


def test_it_shows_the_same_result_when_the_final_form_is_posted_twice(client: Client, alice: Member) -> None:
    page = open_challenge(client, start(client))
    token = token_of(page)
    code = last_code()
    first = client.post("/acs/challenge/step", {"token": token, "action": "submit", "code": code})
    second = client.post("/acs/challenge/step", {"token": token, "action": "submit", "code": code})
    assert cres_of(first) == cres_of(second)
    assert ResultDelivery.objects.count() == 1


def test_it_times_out_an_idle_page_with_challenge_cancel_04(client: Client, alice: Member) -> None:
    page = open_challenge(client, start(client))
    Transaction.objects.update(last_activity_at=timezone.now() - dt.timedelta(minutes=11))
    out = StringIO()
    call_command("expire_challenges", stdout=out)
    assert "expired 1" in out.getvalue()
    rreq = ResultDelivery.objects.get().payload
    assert (rreq["transStatus"], rreq["transStatusReason"], rreq["challengeCancel"]) == ("N", "14", "04")
    # The page's form, posted after the sweep, hands the same N result back to the merchant.
    late = step(client, page, code=last_code())
    assert cres_of(late)["transStatus"] == "N"


def test_it_ends_an_idle_page_when_its_form_comes_back_before_the_sweep(
    client: Client, alice: Member
) -> None:
    page = open_challenge(client, start(client))
    Transaction.objects.update(last_activity_at=timezone.now() - dt.timedelta(minutes=11))
    late = step(client, page, code=last_code())
    txn = Transaction.objects.get()
    assert (txn.trans_status, txn.trans_status_reason, txn.challenge_cancel) == ("N", "14", "04")
    assert cres_of(late)["transStatus"] == "N"


@override_settings(CHALLENGE_INACTIVITY_SECONDS=2)
def test_it_honours_a_short_inactivity_setting(client: Client, alice: Member) -> None:
    open_challenge(client, start(client))
    Transaction.objects.update(last_activity_at=timezone.now() - dt.timedelta(seconds=3))
    assert results_deliver_due() == 0
    call_command("expire_challenges", stdout=StringIO())
    assert Transaction.objects.get().challenge_cancel == "04"


def test_it_throttles_a_quick_retry_without_counting_it(client: Client, alice: Member, settings: Any) -> None:
    settings.OTP_THROTTLE_FACTOR = 1
    page = open_challenge(client, start(client, browserLanguage="en"))
    bad = "000000" if last_code() != "000000" else "111111"
    wrong = step(client, page, code=bad)
    quick = step(client, wrong, code=last_code())
    assert "Please wait a moment" in quick.content.decode()
    assert Transaction.objects.get().interaction_counter == 1
    ChallengeOtpDevice.objects.update(throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=2))
    assert cres_of(step(client, quick, code=last_code()))["transStatus"] == "Y"


def test_it_speaks_japanese_to_a_japanese_browser_and_english_otherwise(
    client: Client, alice: Member
) -> None:
    japanese = open_challenge(client, start(client, browserLanguage="ja-JP")).content.decode()
    assert '<html lang="ja">' in japanese
    assert "お支払いの本人確認" in japanese and "認証コード" in japanese
    assert "【My Net+】" in SmsMessage.objects.get().body
    english = open_challenge(client, start(client, browserLanguage="en-US")).content.decode()
    assert '<html lang="en">' in english and "Confirm your payment" in english
