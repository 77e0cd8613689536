"""POST /acs/areq: every failure is an Erro in JSON with the right code, and nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError

from acs.models import Transaction
from portal.models import Member

from .conftest import VERSIONS, make_areq

Post = Callable[..., Any]


def _erro(response: Any, code: str) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["messageType"] == "Erro", body
    assert body["errorCode"] == code, body
    assert body["errorComponent"] == "A"
    assert body["errorDescription"]
    return body


def _with_duplicate_key(message: dict[str, Any], name: str) -> str:
    text = json.dumps(message)
    return text[:-1] + f', "{name}": {json.dumps(message[name])}}}'


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "body, code, detail",
    [
        ("not json", "101", None),
        ("[1, 2]", "101", None),
        (lambda v: make_areq(v, messageType="PReq"), "101", None),
        (lambda v: make_areq(v, messageVersion="2.0.9"), "102", None),
        (lambda v: make_areq(v, browserUserAgent=None), "201", "browserUserAgent"),
        (lambda v: make_areq(v, acctNumber="", notificationURL=None), "201", "acctNumber,notificationURL"),
        (lambda v: make_areq(v, purchaseDate="20261399000000"), "203", "purchaseDate"),
        (lambda v: make_areq(v, acctInfo={"chAccAgeInd": "99"}), "203", "acctInfo.chAccAgeInd"),
        (lambda v: _with_duplicate_key(make_areq(v), "purchaseAmount"), "204", "purchaseAmount"),
        (lambda v: make_areq(v, messageCategory="50"), "207", "messageCategory"),
        (lambda v: make_areq(v, purchaseCurrency="999"), "304", "purchaseCurrency"),
        (lambda v: make_areq(v, merchantCountryCode="000"), "304", "merchantCountryCode"),
        (lambda v: make_areq(v, mcc="0000"), "306", "mcc"),
        (lambda v: make_areq(v, acctNumber="5555555555554444"), "305", "acctNumber"),
        (
            lambda v: make_areq(
                v,
                messageExtension=[
                    {"name": "x", "id": "ID-1", "criticalityIndicator": True, "data": {"k": "v"}}
                ],
            ),
            "202",
            "ID-1",
        ),
    ],
)
def test_it_answers_bad_messages_with_the_right_erro(
    post_areq: Post, alice: Member, version: str, body: Any, code: str, detail: str | None
) -> None:
    message = body(version) if callable(body) else body
    erro = _erro(post_areq(message), code)
    if detail is not None:
        assert erro["errorDetail"] == detail
    if code != "101":
        assert erro["errorMessageType"] == "AReq"
    assert not Transaction.objects.exists()


def test_it_names_the_ids_it_could_read_in_the_erro(post_areq: Post, alice: Member) -> None:
    message = make_areq(browserUserAgent=None)
    erro = _erro(post_areq(message), "201")
    assert erro["threeDSServerTransID"] == message["threeDSServerTransID"]
    assert erro["dsTransID"] == message["dsTransID"]
    assert erro["messageVersion"] == "2.2.0"


def test_it_lists_supported_versions_in_a_102(post_areq: Post, alice: Member) -> None:
    erro = _erro(post_areq(make_areq(messageVersion="3.0.0")), "102")
    assert "2.1.0" in erro["errorDetail"] and "2.3.1" in erro["errorDetail"]


def test_it_refuses_a_form_post_with_101(post_areq: Post, alice: Member) -> None:
    _erro(post_areq("a=b", content_type="application/x-www-form-urlencoded"), "101")


def test_it_refuses_an_oversized_body(post_areq: Post, alice: Member) -> None:
    _erro(post_areq(make_areq(merchantName="x" * 70_000)), "101")


def test_it_refuses_a_get(client: Any, card_ranges: None) -> None:
    _erro(client.get("/acs/areq"), "101")


@pytest.mark.parametrize("version", VERSIONS)
def test_it_answers_a_replayed_message_312_without_a_second_acs_trans_id(
    post_areq: Post, alice: Member, version: str
) -> None:
    message = make_areq(version)
    first = post_areq(message).json()
    erro = _erro(post_areq(message), "312")
    assert erro["threeDSServerTransID"] == message["threeDSServerTransID"]
    assert "acsTransID" not in erro
    same_ds_id = make_areq(version, dsTransID=message["dsTransID"])
    _erro(post_areq(same_ds_id), "312")
    assert list(Transaction.objects.values_list("acs_trans_id", flat=True)) == [
        __import__("uuid").UUID(first["acsTransID"])
    ]


def test_it_answers_403_when_the_database_fails(post_areq: Post, alice: Member) -> None:
    with mock.patch(
        "acs.services.sql.read_together", side_effect=OperationalError("server closed the connection")
    ):
        erro = _erro(post_areq(make_areq()), "403")
    assert erro["errorDetail"]
