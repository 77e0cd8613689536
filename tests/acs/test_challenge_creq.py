"""CReq handling: late, repeated, changed, unknown and invalid CReqs (reference §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from acs import protocol
from acs.models import ResultDelivery, Transaction
from portal.models import Member

from .challenge_helpers import creq_for, cres_of, last_code, open_challenge, start, step
from .conftest import make_areq

pytestmark = pytest.mark.usefixtures("card_ranges")


def test_it_answers_a_creq_after_30_seconds_with_402(client: Client, alice: Member) -> None:
    ares = start(client)
    Transaction.objects.update(created_at=timezone.now() - dt.timedelta(seconds=31))
    response = open_challenge(client, ares)
    assert cres_of(response)["errorCode"] == "402"
    rreq = ResultDelivery.objects.get().payload
    assert (rreq["transStatus"], rreq["transStatusReason"], rreq["challengeCancel"]) == ("N", "14", "05")


def test_it_answers_a_creq_after_the_result_with_315(client: Client, alice: Member) -> None:
    ares = start(client)
    step(client, open_challenge(client, ares), code=last_code())
    again = client.post("/acs/challenge", {"creq": creq_for(ares, window="03")})
    erro = cres_of(again)
    assert (erro["messageType"], erro["errorCode"]) == ("Erro", "315")


def test_it_aborts_on_a_second_different_creq(client: Client, alice: Member) -> None:
    ares = start(client)
    open_challenge(client, ares)
    response = client.post("/acs/challenge", {"creq": creq_for(ares, window="05")})
    assert cres_of(response)["errorCode"] == "305"
    txn = Transaction.objects.get()
    assert (txn.trans_status, txn.challenge_cancel) == ("U", "06")


def test_it_refuses_a_creq_for_a_frictionless_transaction(client: Client, alice: Member) -> None:
    import json

    ares = client.post("/acs/areq", data=json.dumps(make_areq()), content_type="application/json").json()
    assert ares["transStatus"] == "Y"
    response = client.post("/acs/challenge", {"creq": creq_for(ares)})
    assert cres_of(response)["errorCode"] == "305"


def test_it_answers_a_changed_version_with_203(client: Client, alice: Member) -> None:
    ares = start(client)
    response = client.post("/acs/challenge", {"creq": creq_for(ares, messageVersion="2.1.0")})
    erro = cres_of(response)
    assert (erro["errorCode"], erro["errorDetail"]) == ("203", "messageVersion")
    assert ResultDelivery.objects.get().payload["transStatus"] == "U"


def test_it_sends_an_invalid_creq_back_as_an_erro(client: Client, alice: Member) -> None:
    ares = start(client)
    response = client.post("/acs/challenge", {"creq": creq_for(ares, challengeWindowSize="09")})
    assert (cres_of(response)["errorCode"], cres_of(response)["errorDetail"]) == (
        "203",
        "challengeWindowSize",
    )


@pytest.mark.parametrize(
    "creq",
    [
        "",
        "%%%",
        protocol.encode_message({"acsTransID": "not-a-uuid"}),
        protocol.encode_message(
            {
                "acsTransID": "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11",
                "threeDSServerTransID": "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11",
                "challengeWindowSize": "01",
                "messageType": "CReq",
                "messageVersion": "2.2.0",
            }
        ),
    ],
)
def test_it_shows_a_problem_page_when_no_merchant_can_be_told(client: Client, db: None, creq: str) -> None:
    response = client.post("/acs/challenge", {"creq": creq})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_it_refuses_a_forged_step_token(client: Client, alice: Member) -> None:
    response = client.post("/acs/challenge/step", {"token": "forged", "action": "submit", "code": "123456"})
    assert response.status_code == 400


def test_it_refuses_a_get(client: Client, db: None) -> None:
    assert client.get("/acs/challenge").status_code == 405
