"""The example messages of the reference (§7), posted to the real endpoints."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from acs import protocol
from acs.models import Transaction
from portal.models import Member

from .ds_server import running_ds

AREQ_EXAMPLE: dict[str, Any] = {
    "messageType": "AReq",
    "messageVersion": "2.2.0",
    "messageCategory": "01",
    "deviceChannel": "02",
    "threeDSServerTransID": "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11",
    "dsTransID": "5b2e7c90-1f4a-4d8e-a3c6-0e9b8d7f6a55",
    "dsReferenceNumber": "DS_REF_TEST",
    "dsURL": "https://ds.example/rreq",
    "threeDSServerRefNumber": "3DSS_REF_TEST",
    "threeDSServerURL": "https://3dss.example/rreq",
    "threeDSRequestorID": "REQ-0001",
    "threeDSRequestorName": "Example Shop",
    "threeDSRequestorURL": "https://shop.example",
    "threeDSRequestorAuthenticationInd": "01",
    "threeDSRequestorChallengeInd": "01",
    "threeDSCompInd": "Y",
    "acctNumber": "4111111111111111",
    "cardExpiryDate": "2812",
    "acquirerBIN": "400551",
    "acquirerMerchantID": "MID000123",
    "mcc": "5732",
    "merchantCountryCode": "392",
    "merchantName": "Example Shop",
    "purchaseAmount": "12800",
    "purchaseCurrency": "392",
    "purchaseExponent": "0",
    "purchaseDate": "20250401093015",
    "notificationURL": "https://3dss.example/cres",
    "browserAcceptHeader": "text/html",
    "browserIP": "203.0.113.7",
    "browserJavaEnabled": False,
    "browserJavascriptEnabled": True,
    "browserLanguage": "ja-JP",
    "browserColorDepth": "24",
    "browserScreenHeight": "900",
    "browserScreenWidth": "1440",
    "browserTZ": "-540",
    "browserUserAgent": "Mozilla/5.0 (X11; Linux x86_64)",
    "cardholderName": "TARO YAMADA",
    "email": "taro@example.jp",
    "mobilePhone": {"cc": "81", "subscriber": "9012345678"},
    "billAddrCountry": "392",
    "billAddrPostCode": "1000005",
    "addrMatch": "Y",
    "acctInfo": {"chAccAgeInd": "05", "txnActivityDay": "1"},
}
METHOD_NOTIFICATION = "eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6IjhmMGMxYTUyLTNlMmItNGMxZS05YjdhLTJkNWYwZTZjOWExMSJ9"


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
