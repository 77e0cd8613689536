"""The example messages of the reference (§7), posted to the real endpoints."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from acs import protocol
from acs.models import Transaction
from acs.protocol.examples import EXAMPLE_AREQ, EXAMPLE_METHOD_NOTIFICATION
from portal.models import Member

from .ds_server import running_ds

AREQ_EXAMPLE = EXAMPLE_AREQ
METHOD_NOTIFICATION = EXAMPLE_METHOD_NOTIFICATION


def _post(client: Client, message: dict[str, Any]) -> dict[str, Any]:
    return client.post("/acs/areq", data=json.dumps(message), content_type="application/json").json()


@pytest.mark.usefixtures("card_ranges")
def test_it_answers_the_example_areq_frictionless(client: Client, alice: Member) -> None:
    ares = _post(client, AREQ_EXAMPLE)
    assert ares["transStatus"] == "Y" and ares["eci"] == "05"
    assert ares["threeDSServerTransID"] == AREQ_EXAMPLE["threeDSServerTransID"]


@pytest.mark.usefixtures("card_ranges")
def test_it_runs_the_example_challenge_creq_and_rreq(client: Client, alice: Member) -> None:
    with running_ds() as ds:
        ares = _post(client, {**AREQ_EXAMPLE, "threeDSRequestorChallengeInd": "04", "dsURL": ds.url})
        assert ares["transStatus"] == "C" and ares["authenticationType"] == "02"
        creq = {
            "threeDSServerTransID": AREQ_EXAMPLE["threeDSServerTransID"],
            "acsTransID": ares["acsTransID"],
            "challengeWindowSize": "02",
            "messageType": "CReq",
            "messageVersion": "2.2.0",
        }
        page = client.post("/acs/challenge", {"creq": protocol.encode_message(creq)})
        assert page.status_code == 200 and "さくら満開" in page.content.decode()
        token = page.content.decode().split('name="token" value="')[1].split('"')[0]
        client.post("/acs/challenge/step", {"token": token, "action": "cancel"})
    [rreq] = ds.received
    assert rreq["messageType"] == "RReq" and rreq["transStatus"] == "N"
    assert Transaction.objects.get().state == Transaction.State.COMPLETED


@pytest.mark.usefixtures("card_ranges")
def test_it_answers_the_example_method_data(client: Client, db: None) -> None:
    data = protocol.encode_message(
        {
            "threeDSServerTransID": "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11",
            "threeDSMethodNotificationURL": "https://merchant.example/3ds/method-done",
        }
    )
    page = client.post("/acs/method", {"threeDSMethodData": data})
    assert page.status_code == 200
    assert METHOD_NOTIFICATION in page.content.decode()
