"""The sandbox Directory Server's results endpoint: RReq in, RRes (or a DS Erro) out."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from acs import protocol
from sandbox.models import DemoPurchase

from .purchases import challenged_purchase

URL = "/sandbox/ds/rreq"


def rreq_for(purchase: DemoPurchase, **changes: Any) -> dict[str, Any]:
    rreq = protocol.build_rreq(
        message_version=purchase.message_version,
        message_category="01",
        three_ds_server_trans_id=str(purchase.three_ds_server_trans_id),
        acs_trans_id=str(purchase.acs_trans_id),
        ds_trans_id=str(purchase.ds_trans_id),
        trans_status="Y",
        eci="05",
        authentication_value="AAABAgMEBQYHCAkQERITFBUWFxg=",
        authentication_type="02",
        interaction_counter=1,
    )
    rreq.update(changes)
    return {name: value for name, value in rreq.items() if value is not None}


def post(client: Client, body: dict[str, Any] | str) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
def test_it_answers_a_valid_rreq_with_an_rres(db: None, version: str) -> None:
    purchase = challenged_purchase(version)
    rreq = rreq_for(purchase)
    response = post(Client(enforce_csrf_checks=True), rreq)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rres = protocol.parse_rres(response.content)
    assert rres.resultsStatus == "01" and rres.messageVersion == version
    assert (str(rres.threeDSServerTransID), str(rres.acsTransID), str(rres.dsTransID)) == (
        str(purchase.three_ds_server_trans_id),
        str(purchase.acs_trans_id),
        str(purchase.ds_trans_id),
    )
    purchase.refresh_from_db()
    assert purchase.rreq == rreq and purchase.rres == response.json()
    assert purchase.rreq_received_at is not None
    assert ("X-Response-ID" in response) == (version == "2.3.1")


def test_it_refuses_a_second_rreq_for_the_same_challenge_with_312(db: None) -> None:
    purchase = challenged_purchase()
    post(Client(), rreq_for(purchase))
    erro = protocol.parse_erro(
        post(Client(), rreq_for(purchase, transStatus="N", transStatusReason="19", eci=None)).content
    )
    assert (erro.errorCode, erro.errorComponent, erro.errorMessageType) == ("312", "D", "RReq")
    purchase.refresh_from_db()
    assert purchase.rreq["transStatus"] == "Y"  # the first result stands


def test_it_answers_an_unknown_transaction_with_301(db: None) -> None:
    purchase = challenged_purchase()
    erro = protocol.parse_erro(post(Client(), rreq_for(purchase, acsTransID=str(uuid.uuid4()))).content)
    assert erro.errorCode == "301"


@pytest.mark.parametrize(
    "change, code, detail",
    [
        ({"transStatus": None}, "201", "transStatus"),
        ({"transStatus": "X"}, "203", "transStatus"),
        ({"messageType": "RRes"}, "101", "messageType"),
        ({"messageVersion": "9.9.9"}, "102", "2.1.0,2.2.0,2.3.1"),
    ],
)
def test_it_answers_a_bad_rreq_with_a_ds_erro(
    db: None, change: dict[str, Any], code: str, detail: str
) -> None:
    purchase = challenged_purchase()
    rreq = {k: v for k, v in {**rreq_for(purchase), **change}.items() if v is not None}
    erro = protocol.parse_erro(post(Client(), rreq).content)
    assert (erro.errorCode, erro.errorComponent) == (code, "D")
    assert detail in erro.errorDetail
    purchase.refresh_from_db()
    assert purchase.rreq is None


def test_it_answers_a_body_that_is_not_json_with_101(db: None) -> None:
    erro = protocol.parse_erro(post(Client(), "{not json").content)
    assert (erro.errorCode, erro.errorComponent) == ("101", "D")


def test_it_takes_only_post(db: None) -> None:
    assert Client().get(URL).status_code == 405
