"""build_ares: frictionless, challenge and refusal answers in each version's format."""

from __future__ import annotations

from typing import Any

import pytest

from acs.protocol import build_ares

SERVER_ID = "1c7d4e2a-8b3f-4a61-9d05-6e2f1a0b3c44"
DS_ID = "e4a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b"
ACS_ID = "a0b1c2d3-e4f5-4a6b-8c7d-8e9f0a1b2c3d"
AV = "AAABAgMEBQYHCAkQERITFBUWFxg="
# Reference §7, the frictionless JCB ARes.
FRICTIONLESS = {
    "messageType": "ARes",
    "messageVersion": "2.2.0",
    "threeDSServerTransID": SERVER_ID,
    "dsTransID": DS_ID,
    "acsTransID": ACS_ID,
    "acsReferenceNumber": "ACS_REF_TEST",
    "dsReferenceNumber": "DS_REF_JCB_TEST",
    "transStatus": "Y",
    "eci": "05",
    "authenticationValue": AV,
}


def ares(version: str = "2.2.0", **kwargs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "message_version": version,
        "three_ds_server_trans_id": SERVER_ID,
        "ds_trans_id": DS_ID,
        "acs_trans_id": ACS_ID,
        "acs_reference_number": "ACS_REF_TEST",
        "ds_reference_number": "DS_REF_JCB_TEST",
    }
    return build_ares(**{**base, **kwargs})


def test_it_builds_the_reference_frictionless_ares() -> None:
    built = ares(trans_status="Y", eci="05", authentication_value=AV)

    assert built == FRICTIONLESS
    assert list(built)[:2] == ["messageType", "messageVersion"]


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
def test_it_builds_an_attempts_ares_with_eci_and_value(version: str) -> None:
    built = ares(version, trans_status="A", eci="06", authentication_value=AV)

    assert (built["transStatus"], built["eci"], built["authenticationValue"]) == ("A", "06", AV)
    assert "acsURL" not in built and "transStatusReason" not in built


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.1.0", {"authenticationType": "02"}),
        ("2.2.0", {"authenticationType": "02"}),
        ("2.3.1", {"authenticationMethod": ["02"]}),
    ],
)
def test_it_builds_a_challenge_ares_with_the_versions_authentication_field(
    version: str, expected: dict
) -> None:
    built = ares(version, trans_status="C", acs_url="https://acs.example/challenge", authentication_type="02")

    assert built["transStatus"] == "C"
    assert built["acsURL"] == "https://acs.example/challenge"
    assert built["acsChallengeMandated"] == "N"
    assert {k: built[k] for k in expected} == expected
    assert not {"authenticationType", "authenticationMethod"} - set(expected) & set(built)
    assert "authenticationValue" not in built and "eci" not in built


@pytest.mark.parametrize(
    ("authentication_type", "method"), [("01", "01"), ("02", "02"), ("03", "09"), ("04", "12")]
)
def test_it_maps_the_authentication_type_to_a_231_method(authentication_type: str, method: str) -> None:
    built = ares(
        "2.3.1", trans_status="C", acs_url="https://acs.example/c", authentication_type=authentication_type
    )

    assert built["authenticationMethod"] == [method]


def test_it_marks_a_mandated_challenge() -> None:
    built = ares(
        trans_status="C",
        acs_url="https://acs.example/c",
        authentication_type="01",
        acs_challenge_mandated=True,
    )

    assert built["acsChallengeMandated"] == "Y"


@pytest.mark.parametrize(
    ("status", "reason"), [("R", "11"), ("N", "01"), ("U", "03"), ("N", "13"), ("R", "85")]
)
def test_it_builds_a_refusal_with_its_reason(status: str, reason: str) -> None:
    built = ares(trans_status=status, trans_status_reason=reason, acs_operator_id="OP-1")

    assert (built["transStatus"], built["transStatusReason"], built["acsOperatorID"]) == (
        status,
        reason,
        "OP-1",
    )


@pytest.mark.parametrize(
    ("version", "expected"), [("2.1.0", "Call us"), ("2.2.0", "Call us"), ("2.3.1", {"text": "Call us"})]
)
def test_it_writes_cardholder_info_in_the_versions_shape(version: str, expected: Any) -> None:
    built = ares(version, trans_status="N", trans_status_reason="01", cardholder_info="Call us")

    assert built["cardholderInfo"] == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"trans_status": "Y"},  # no authentication value
        {"trans_status": "N"},  # no reason
        {"trans_status": "C", "authentication_type": "02"},  # no acsURL
        {"trans_status": "C", "acs_url": "https://acs.example/c"},  # no authentication type
        {"trans_status": "Y", "authentication_value": AV, "acs_url": "https://acs.example/c"},
        {"trans_status": "Y", "authentication_value": AV, "authentication_type": "02"},
        {"trans_status": "X"},
        {"trans_status": "S"},
        {"trans_status": "N", "trans_status_reason": "31"},  # EMVCo-reserved
        {"trans_status": "N", "trans_status_reason": "27"},  # 2.3.1 only
        {"trans_status": "C", "acs_url": "https://acs.example/c", "authentication_type": "09"},
        {"trans_status": "Y", "authentication_value": AV, "eci": "5"},
        {"trans_status": "Y", "authentication_value": AV, "cardholder_info": "x" * 129},
        {"trans_status": "Y", "authentication_value": AV, "message_version": "2.0.0"},
    ],
)
def test_it_refuses_an_invalid_ares(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ares(**kwargs)


@pytest.mark.parametrize(("status", "reason"), [("I", None), ("N", "22")])
def test_it_refuses_22_statuses_and_reasons_in_210(status: str, reason: str | None) -> None:
    with pytest.raises(ValueError):
        ares("2.1.0", trans_status=status, trans_status_reason=reason)
    assert ares("2.2.0", trans_status=status, trans_status_reason=reason)["transStatus"] == status
