"""3DS Method data, CReq parsing and the final CRes."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from acs.protocol import (
    ProtocolError,
    b64url_decode,
    b64url_encode,
    build_cres,
    build_method_notification,
    encode_message,
    loads_message,
    parse_creq,
    parse_method_data,
)

SERVER_ID = "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11"
ACS_ID = "d3b9e4a7-6c21-4f0b-8e55-71a2c4f9b0de"
CREQ = {
    "threeDSServerTransID": SERVER_ID,
    "acsTransID": ACS_ID,
    "challengeWindowSize": "02",
    "messageType": "CReq",
    "messageVersion": "2.2.0",
}  # reference §7
FINAL_CRES = {
    "threeDSServerTransID": SERVER_ID,
    "acsTransID": ACS_ID,
    "messageType": "CRes",
    "messageVersion": "2.2.0",
    "transStatus": "Y",
    "challengeCompletionInd": "Y",
}  # reference §7
METHOD_DATA = {
    "threeDSServerTransID": SERVER_ID,
    "threeDSMethodNotificationURL": "https://merchant.example/3ds/method-done",
}
# The exact notification of reference §7.
NOTIFICATION = "eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6IjhmMGMxYTUyLTNlMmItNGMxZS05YjdhLTJkNWYwZTZjOWExMSJ9"


def creq_field(message: dict[str, Any] | str, *, padded: bool = False) -> str:
    body = message if isinstance(message, str) else json.dumps(message)
    encoded = base64.urlsafe_b64encode(body.encode()).decode()
    return encoded if padded else encoded.rstrip("=")


def creq_error(field: str) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse_creq(field)
    return caught.value


@pytest.mark.parametrize("padded", [False, True])
def test_it_parses_the_reference_creq_from_the_form_field(padded: bool) -> None:
    creq = parse_creq(creq_field(CREQ, padded=padded))

    assert (creq.threeDSServerTransID, creq.acsTransID, creq.messageVersion) == (SERVER_ID, ACS_ID, "2.2.0")
    assert creq.window_size == (390, 400)


@pytest.mark.parametrize(("size", "expected"), [("01", (250, 400)), ("04", (600, 400)), ("05", None)])
def test_it_exposes_the_challenge_window_size(size: str, expected: tuple[int, int] | None) -> None:
    assert parse_creq(creq_field({**CREQ, "challengeWindowSize": size})).window_size == expected


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
def test_it_accepts_a_creq_of_each_version_with_extra_fields(version: str) -> None:
    creq = parse_creq(
        creq_field({**CREQ, "messageVersion": version, "threeDSRequestorURL": "https://m.example"})
    )

    assert creq.raw["threeDSRequestorURL"] == "https://m.example"


@pytest.mark.parametrize(
    ("field", "code", "detail"),
    [
        ("", "201", "creq"),
        ("%%%", "203", "creq"),
        (creq_field("not json"), "203", "creq"),
        (creq_field("[1]"), "203", "creq"),
        (creq_field({**CREQ, "messageType": "CRes"}), "101", "Invalid Message for the receiving component"),
        (creq_field({**CREQ, "messageVersion": "2.0.0"}), "102", "2.1.0,2.2.0,2.3.1"),
        (creq_field(json.dumps(CREQ)[:-1] + ', "acsTransID": "x"}'), "204", "acsTransID"),
        (
            creq_field({k: v for k, v in CREQ.items() if k != "challengeWindowSize"}),
            "201",
            "challengeWindowSize",
        ),
        (creq_field({**CREQ, "acsTransID": None}), "201", "acsTransID"),
        (creq_field({**CREQ, "challengeWindowSize": "06"}), "203", "challengeWindowSize"),
        (creq_field({**CREQ, "acsTransID": "d3b9e4a7"}), "203", "acsTransID"),
    ],
)
def test_it_reports_an_invalid_creq(field: str, code: str, detail: str) -> None:
    error = creq_error(field)

    assert (error.code, error.detail) == (code, detail)


def test_it_carries_the_creq_ids_in_its_errors() -> None:
    error = creq_error(creq_field({**CREQ, "challengeWindowSize": "9"}))

    assert (error.message_type, error.message_version) == ("CReq", "2.2.0")
    assert error.ids == {"threeDSServerTransID": SERVER_ID, "acsTransID": ACS_ID}


@pytest.mark.parametrize("padded", [False, True])
def test_it_parses_the_3ds_method_data_with_or_without_padding(padded: bool) -> None:
    method = parse_method_data(creq_field(METHOD_DATA, padded=padded))

    assert method.threeDSServerTransID == SERVER_ID
    assert method.threeDSMethodNotificationURL == "https://merchant.example/3ds/method-done"


@pytest.mark.parametrize(
    ("field", "code", "detail"),
    [
        ("", "201", "threeDSMethodData"),
        ("e30=x", "203", "threeDSMethodData"),
        (creq_field({"threeDSServerTransID": SERVER_ID}), "201", "threeDSMethodNotificationURL"),
        (creq_field({**METHOD_DATA, "threeDSServerTransID": "1"}), "203", "threeDSServerTransID"),
        (
            creq_field({**METHOD_DATA, "threeDSMethodNotificationURL": "javascript:alert(1)"}),
            "203",
            "threeDSMethodNotificationURL",
        ),
    ],
)
def test_it_reports_invalid_3ds_method_data(field: str, code: str, detail: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_method_data(field)

    assert (caught.value.code, caught.value.detail) == (code, detail)


def test_it_builds_the_exact_method_notification_of_the_reference() -> None:
    notification = build_method_notification(SERVER_ID)

    assert notification == NOTIFICATION
    assert loads_message(b64url_decode(notification)) == {"threeDSServerTransID": SERVER_ID}


def test_it_builds_the_reference_final_cres() -> None:
    cres = build_cres(
        message_version="2.2.0", three_ds_server_trans_id=SERVER_ID, acs_trans_id=ACS_ID, trans_status="Y"
    )

    assert cres == FINAL_CRES
    assert loads_message(b64url_decode(encode_message(cres))) == FINAL_CRES
    assert "=" not in b64url_encode(json.dumps(cres).encode())


@pytest.mark.parametrize(
    ("version", "status"), [("2.2.0", "C"), ("2.2.0", "A"), ("2.0.0", "Y"), ("2.3.1", "")]
)
def test_it_refuses_a_final_cres_that_is_not_y_or_n_in_a_supported_version(version: str, status: str) -> None:
    with pytest.raises(ValueError):
        build_cres(
            message_version=version,
            three_ds_server_trans_id=SERVER_ID,
            acs_trans_id=ACS_ID,
            trans_status=status,
        )
