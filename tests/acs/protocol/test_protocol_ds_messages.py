"""What a DS posts to the ACS (an AReq or an Erro), and an RRes checked against its RReq."""

from __future__ import annotations

import json
from typing import Any

import pytest

from acs.protocol import AReq, Erro, ProtocolError, check_rres, parse_ds_request, parse_rres
from acs.protocol.examples import EXAMPLE_AREQ

IDS = {name: EXAMPLE_AREQ[name] for name in ("threeDSServerTransID", "dsTransID")}
ACS_ID = "d3b9e4a7-6c21-4f0b-8e55-71a2c4f9b0de"
# Reference §4: the DS's read of the ARes timed out, so it tells the ACS.
ERRO = {
    "messageType": "Erro",
    "messageVersion": "2.2.0",
    **IDS,
    "errorCode": "402",
    "errorComponent": "D",
    "errorDescription": "Transaction Timed Out",
    "errorDetail": "ARes",
    "errorMessageType": "ARes",
}
RREQ = {"messageType": "RReq", "messageVersion": "2.2.0", "acsTransID": ACS_ID, **IDS}
RRES = {**RREQ, "messageType": "RRes", "resultsStatus": "01"}


def test_it_parses_an_areq_or_an_erro_from_the_ds() -> None:
    assert isinstance(parse_ds_request(json.dumps(EXAMPLE_AREQ).encode()), AReq)
    erro = parse_ds_request(json.dumps(ERRO).encode())
    assert isinstance(erro, Erro)
    assert (erro.errorCode, erro.dsTransID) == ("402", IDS["dsTransID"])


@pytest.mark.parametrize(
    ("message", "code", "message_type"),
    [
        ({**ERRO, "errorCode": None}, "201", "Erro"),
        ({**ERRO, "errorComponent": "X"}, "203", "Erro"),
        ({**EXAMPLE_AREQ, "messageType": "RReq"}, "101", "RReq"),
        ({**EXAMPLE_AREQ, "browserUserAgent": None}, "201", "AReq"),
    ],
)
def test_it_says_which_type_an_invalid_message_was(
    message: dict[str, Any], code: str, message_type: str
) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_ds_request(json.dumps({k: v for k, v in message.items() if v is not None}))
    assert (caught.value.code, caught.value.message_type) == (code, message_type)


def test_it_accepts_an_rres_that_echoes_its_rreq_in_any_case() -> None:
    check_rres(parse_rres({**RRES, "acsTransID": ACS_ID.upper()}), rreq=RREQ)


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"messageVersion": "2.1.0"}, "messageVersion"),
        ({"acsTransID": IDS["dsTransID"], "dsTransID": ACS_ID}, "acsTransID,dsTransID"),
    ],
)
def test_it_names_what_an_rres_changed_from_its_rreq(changes: dict[str, str], detail: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        check_rres(parse_rres({**RRES, **changes}), rreq=RREQ)
    assert (caught.value.code, caught.value.detail, caught.value.message_type) == ("203", detail, "RRes")
    assert caught.value.ids["acsTransID"] == {**RRES, **changes}["acsTransID"]
