"""POST /acs/areq: every answer, in all three versions."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from acs.demo import SANDBOX_DS_SUBJECT
from acs.models import Transaction
from acs.services import verify_av
from portal.models import Card, Member

from .conftest import VERSIONS, make_areq

Post = Callable[..., Any]


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("pan", ["4111111111111111", "3566002020360505"])
def test_it_answers_a_low_risk_purchase_frictionless_with_a_verifiable_value(
    post_areq: Post, alice: Member, bob: Member, version: str, pan: str
) -> None:
    message = make_areq(version, acctNumber=pan)
    ares = _ok(post_areq(message))
    assert ares["messageType"] == "ARes"
    assert ares["messageVersion"] == version
    assert ares["transStatus"] == "Y"
    assert ares["eci"] == "05"
    assert ares["threeDSServerTransID"] == message["threeDSServerTransID"]
    assert ares["dsTransID"] == message["dsTransID"]
    assert ares["dsReferenceNumber"] == "DS_REF_TEST"
    assert ares["acsReferenceNumber"]
    value = ares["authenticationValue"]
    assert len(value) == 28 and len(base64.b64decode(value)) == 20
    txn = Transaction.objects.get(acs_trans_id=ares["acsTransID"])
    assert verify_av(txn=txn, value=value)
    tampered = bytearray(base64.b64decode(value))
    tampered[10] ^= 0x01
    assert not verify_av(txn=txn, value=base64.b64encode(bytes(tampered)).decode())


@pytest.mark.parametrize("version", VERSIONS)
def test_it_asks_an_enrolled_cardholder_for_a_challenge_when_mandated(
    post_areq: Post, alice: Member, version: str
) -> None:
    ares = _ok(post_areq(make_areq(version, challenge_ind="04")))
    assert ares["transStatus"] == "C"
    assert ares["acsURL"].endswith("/acs/challenge")
    assert ares["acsChallengeMandated"] == "Y"
    assert "authenticationValue" not in ares and "eci" not in ares
    if version == "2.3.1":
        assert ares["authenticationMethod"] == ["02"]
    else:
        assert ares["authenticationType"] == "02"
    txn = Transaction.objects.get(acs_trans_id=ares["acsTransID"])
    assert txn.state == Transaction.State.AWAITING_CREQ


def test_it_challenges_a_purchase_above_the_amount_threshold(post_areq: Post, carol: Member) -> None:
    with override_settings(RISK_CHALLENGE_AMOUNT_JPY=10_000):
        ares = _ok(post_areq(make_areq(acctNumber="4012888888881881", purchaseAmount="50000")))
    assert ares["transStatus"] == "C"
    assert ares["acsChallengeMandated"] == "N"
    assert ares["authenticationType"] == "01"  # the legacy password method: a static passcode


def test_it_honours_a_no_challenge_preference_while_the_risk_is_moderate(
    post_areq: Post, alice: Member
) -> None:
    with override_settings(RISK_CHALLENGE_AMOUNT_JPY=10_000):
        ares = _ok(post_areq(make_areq(purchaseAmount="20000", challenge_ind="02")))
        assert ares["transStatus"] == "Y"
        far_above = _ok(post_areq(make_areq(purchaseAmount="90000", challenge_ind="02")))
        assert far_above["transStatus"] == "C"


@pytest.mark.parametrize("version", VERSIONS)
def test_it_answers_a_card_in_range_but_not_enrolled(
    post_areq: Post, unregistered_card: Card, version: str
) -> None:
    frictionless = _ok(post_areq(make_areq(version, acctNumber="3530111333300000")))
    assert frictionless["transStatus"] == "Y"
    ares = _ok(post_areq(make_areq(version, acctNumber="3530111333300000", challenge_ind="04")))
    assert ares["transStatus"] == "N"
    assert ares["transStatusReason"] == "13"
    assert "My Net+" in json.dumps(ares, ensure_ascii=False)


@pytest.mark.parametrize("status, reason", [("lost", "10"), ("closed", "12"), ("replaced", "06")])
def test_it_rejects_a_card_that_is_not_active(
    post_areq: Post, alice: Member, status: str, reason: str
) -> None:
    Card.objects.filter(pk=alice.card_id).update(status=status)
    ares = _ok(post_areq(make_areq()))
    assert ares["transStatus"] == "R"
    assert ares["transStatusReason"] == reason
    assert "authenticationValue" not in ares


def test_it_answers_n_08_for_a_pan_in_range_without_a_card_record(post_areq: Post, db: None) -> None:
    ares = _ok(post_areq(make_areq(acctNumber="4111110000000001")))
    assert ares["transStatus"] == "N"
    assert ares["transStatusReason"] == "08"


def test_it_answers_an_expired_card_n_05(post_areq: Post, alice: Member) -> None:
    Card.objects.filter(pk=alice.card_id).update(expiry_year=2024, expiry_month=1)
    ares = _ok(post_areq(make_areq()))
    assert (ares["transStatus"], ares["transStatusReason"]) == ("N", "05")


@pytest.mark.parametrize("channel, reason", [("01", "03"), ("03", "21")])
def test_it_answers_u_for_channels_it_does_not_serve(
    post_areq: Post, alice: Member, channel: str, reason: str
) -> None:
    message = make_areq(deviceChannel=channel)
    ares = _ok(post_areq(message))
    assert (ares["transStatus"], ares.get("transStatusReason")) == ("U", reason)


def test_it_writes_cardholder_info_in_english_for_an_english_browser(
    post_areq: Post, unregistered_card: Card
) -> None:
    ares = _ok(
        post_areq(make_areq(acctNumber="3530111333300000", challenge_ind="04", browserLanguage="en-US"))
    )
    assert "not enrolled" in ares["cardholderInfo"]


def test_it_stores_no_pan_and_an_encrypted_value(post_areq: Post, alice: Member) -> None:
    ares = _ok(post_areq(make_areq()))
    txn = Transaction.objects.get(acs_trans_id=ares["acsTransID"])
    assert txn.masked_pan == "4111 11** **** 1111"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT authentication_value FROM acs_transaction WHERE id = %s", [txn.pk])
        raw = cursor.fetchone()[0]
    assert ares["authenticationValue"] not in raw


def test_it_sends_x_response_id_in_2_3_1(post_areq: Post, alice: Member) -> None:
    response = post_areq(make_areq("2.3.1"))
    assert response["X-Response-ID"] == response.json()["acsTransID"]


def test_it_refuses_an_unknown_directory_server(post_areq: Post, alice: Member) -> None:
    with override_settings(DS_ALLOW_UNAUTHENTICATED=False):
        anonymous = post_areq(make_areq())
        stranger = post_areq(make_areq(), HTTP_X_SSL_CLIENT_S_DN="CN=evil.example")
        known = post_areq(make_areq(), HTTP_X_SSL_CLIENT_S_DN=SANDBOX_DS_SUBJECT)
    for response in (anonymous, stranger):
        assert response.status_code == 403
        assert response.json()["errorCode"] == "303"
    assert known.json()["transStatus"] == "Y"
    assert Transaction.objects.get().directory_server is not None
