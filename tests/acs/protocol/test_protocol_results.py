"""RReq building, RRes parsing and a DS that answers with an Erro."""

from __future__ import annotations

import json
from typing import Any

import pytest

from acs.protocol import DESCRIPTIONS, Erro, ProtocolError, RRes, build_rreq, parse_ds_reply, parse_rres

SERVER_ID = "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11"
DS_ID = "5b2e7c90-1f4a-4d8e-a3c6-0e9b8d7f6a55"
ACS_ID = "d3b9e4a7-6c21-4f0b-8e55-71a2c4f9b0de"
AV = "FBUWFxgZGhscHR4fICEiIyQlJic="
# Reference §7: the RReq of an OTP passed on the second try, and its RRes.
RREQ = {
    "messageType": "RReq",
    "messageVersion": "2.2.0",
    "messageCategory": "01",
    "threeDSServerTransID": SERVER_ID,
    "dsTransID": DS_ID,
    "acsTransID": ACS_ID,
    "transStatus": "Y",
    "eci": "05",
    "authenticationValue": AV,
    "authenticationType": "02",
    "interactionCounter": "02",
}
IDS = {"threeDSServerTransID": SERVER_ID, "dsTransID": DS_ID, "acsTransID": ACS_ID}
RRES = {**IDS, "messageType": "RRes", "messageVersion": "2.2.0", "resultsStatus": "01"}
ERRO = {
    "messageType": "Erro",
    "messageVersion": "2.2.0",
    **IDS,
    "errorCode": "203",
    "errorComponent": "D",
    "errorDescription": DESCRIPTIONS["203"],
    "errorDetail": "eci",
    "errorMessageType": "RReq",
}


def rreq(version: str = "2.2.0", **kwargs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "message_version": version,
        "message_category": "01",
        "three_ds_server_trans_id": SERVER_ID,
        "acs_trans_id": ACS_ID,
        "ds_trans_id": DS_ID,
    }
    return build_rreq(**{**base, **kwargs})


def test_it_builds_the_reference_rreq() -> None:
    built = rreq(
        trans_status="Y", eci="05", authentication_value=AV, authentication_type="02", interaction_counter=2
    )

    assert built == RREQ


def test_it_builds_a_timeout_rreq_without_eci_or_value() -> None:
    built = rreq(trans_status="N", trans_status_reason="14", challenge_cancel="05", interaction_counter=0)

    assert {
        k: built[k] for k in ("transStatus", "transStatusReason", "challengeCancel", "interactionCounter")
    } == {
        "transStatus": "N",
        "transStatusReason": "14",
        "challengeCancel": "05",
        "interactionCounter": "00",
    }
    assert "eci" not in built and "authenticationValue" not in built


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2.1.0", {"authenticationType": "01"}), ("2.3.1", {"authenticationMethod": ["01"]})],
)
def test_it_writes_the_versions_authentication_field(version: str, expected: dict) -> None:
    built = rreq(
        version, trans_status="N", trans_status_reason="19", authentication_type="01", interaction_counter=3
    )

    assert {k: v for k, v in built.items() if k.startswith("authentication")} == expected
    assert built["interactionCounter"] == "03"


@pytest.mark.parametrize(
    ("version", "kwargs"),
    [
        ("2.2.0", {"trans_status": "Y"}),
        ("2.2.0", {"trans_status": "N"}),
        ("2.2.0", {"trans_status": "N", "trans_status_reason": "14"}),
        ("2.2.0", {"trans_status": "C", "trans_status_reason": "01"}),
        ("2.2.0", {"trans_status": "U", "trans_status_reason": "14", "challenge_cancel": "10"}),
        ("2.1.0", {"trans_status": "U", "trans_status_reason": "22"}),
        ("2.2.0", {"trans_status": "Y", "authentication_value": AV, "interaction_counter": 100}),
        ("2.2.0", {"trans_status": "Y", "authentication_value": AV, "authentication_type": "05"}),
    ],
)
def test_it_refuses_an_invalid_rreq(version: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        rreq(version, **kwargs)


@pytest.mark.parametrize(
    ("version", "status"),
    [("2.1.0", "01"), ("2.2.0", "02"), ("2.2.0", "03"), ("2.3.1", "04"), ("2.2.0", "81")],
)
def test_it_parses_an_rres(version: str, status: str) -> None:
    parsed = parse_rres(json.dumps({**RRES, "messageVersion": version, "resultsStatus": status}))

    assert isinstance(parsed, RRes)
    assert (parsed.resultsStatus, parsed.acsTransID) == (status, ACS_ID)


@pytest.mark.parametrize(
    ("changes", "code", "detail"),
    [
        ({"resultsStatus": "04"}, "203", "resultsStatus"),
        ({"resultsStatus": "05"}, "207", "resultsStatus"),
        ({"resultsStatus": "1"}, "203", "resultsStatus"),
        ({"acsTransID": None}, "201", "acsTransID"),
        ({"messageVersion": "2.0.0"}, "102", "2.1.0,2.2.0,2.3.1"),
        ({"messageType": "RReq"}, "101", "Invalid Message for the receiving component"),
    ],
)
def test_it_reports_an_invalid_rres(changes: dict[str, Any], code: str, detail: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_rres({**RRES, **changes})

    assert (caught.value.code, caught.value.detail) == (code, detail)


def test_it_tells_an_rres_from_an_erro_in_the_ds_reply() -> None:
    assert isinstance(parse_ds_reply(json.dumps(RRES).encode()), RRes)
    erro = parse_ds_reply(json.dumps(ERRO).encode())

    assert isinstance(erro, Erro)
    assert (erro.errorCode, erro.errorComponent, erro.errorDetail) == ("203", "D", "eci")


def test_it_refuses_an_erro_where_only_an_rres_will_do() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_rres(ERRO)

    assert (caught.value.code, caught.value.message_type) == ("101", "Erro")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (json.dumps({**ERRO, "errorCode": None}), "201"),
        (json.dumps(ERRO)[:-1] + ', "errorCode": "203"}', "204"),
        (b"<html>", "101"),
    ],
)
def test_it_reports_an_invalid_ds_reply(body: str | bytes, code: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_ds_reply(body)

    assert caught.value.code == code
