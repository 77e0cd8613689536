"""ProtocolError -> Erro, end to end from a faulty AReq."""

from __future__ import annotations

import json

import pytest

from acs.protocol import DESCRIPTIONS, ProtocolError, build_erro, parse_areq, parse_erro
from acs.protocol.examples import EXAMPLE_AREQ

SERVER_ID = EXAMPLE_AREQ["threeDSServerTransID"]
DS_ID = EXAMPLE_AREQ["dsTransID"]
# Reference §7: the Erro for an AReq without browserUserAgent.
ERRO = {
    "messageType": "Erro",
    "messageVersion": "2.2.0",
    "threeDSServerTransID": SERVER_ID,
    "dsTransID": DS_ID,
    "errorCode": "201",
    "errorComponent": "A",
    "errorDescription": "Required Data Element Missing",
    "errorDetail": "browserUserAgent",
    "errorMessageType": "AReq",
}
# The reference's example AReq without its browserUserAgent.
AREQ = {name: value for name, value in EXAMPLE_AREQ.items() if name != "browserUserAgent"}


def test_it_turns_the_reference_faulty_areq_into_the_reference_erro() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_areq(json.dumps(AREQ).encode())

    assert build_erro(caught.value) == ERRO


def test_it_parses_the_reference_erro() -> None:
    erro = parse_erro(json.dumps(ERRO))

    assert (erro.errorCode, erro.errorDetail, erro.threeDSServerTransID) == (
        "201",
        "browserUserAgent",
        SERVER_ID,
    )


@pytest.mark.parametrize(
    ("message_version", "version", "expected"),
    [
        ("2.3.1", None, "2.3.1"),
        ("2.1.0", None, "2.1.0"),
        ("9.9.9", None, "2.2.0"),  # a 102: answer in the version every DS reads
        (None, None, "2.2.0"),
        ("2.3.1", "2.1.0", "2.1.0"),
        ("2.3.1", "bogus", "2.3.1"),
    ],
)
def test_it_chooses_the_erro_version(message_version: str | None, version: str | None, expected: str) -> None:
    error = ProtocolError("203", "mcc", message_version=message_version)

    assert build_erro(error, version=version)["messageVersion"] == expected


@pytest.mark.parametrize(
    "code", ["101", "102", "201", "203", "301", "305", "312", "314", "315", "402", "405"]
)
def test_it_fills_every_required_erro_field(code: str) -> None:
    erro = build_erro(ProtocolError(code))

    assert erro["messageType"] == "Erro"
    assert erro["errorCode"] == code
    assert erro["errorComponent"] == "A"
    assert erro["errorDescription"] == DESCRIPTIONS[code]
    assert erro["errorDetail"]  # required and never empty
    assert "errorMessageType" not in erro and "threeDSServerTransID" not in erro
    assert parse_erro(erro).errorCode == code


def test_it_includes_every_known_id_and_the_message_type() -> None:
    ids = {"threeDSServerTransID": SERVER_ID, "acsTransID": "d3b9e4a7-6c21-4f0b-8e55-71a2c4f9b0de"}
    erro = build_erro(ProtocolError("305", "acctNumber", message_type="AReq", ids=ids))

    assert {k: erro[k] for k in (*ids, "errorMessageType", "errorDetail")} == {
        **ids,
        "errorMessageType": "AReq",
        "errorDetail": "acctNumber",
    }


def test_it_describes_itself_with_code_description_and_detail() -> None:
    error = ProtocolError("204", "mcc")

    assert str(error) == "204 Duplicate Data Element: mcc"
    assert (error.component, error.description) == ("A", "Duplicate Data Element")
