"""AReqs and 3DS Method runs for the risk tests, through the real endpoints."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.test import Client

from acs.protocol import encode_message
from acs.protocol.examples import example_areq

ALICE_EMAIL = "alice.sato@example.jp"
# The reference's example AReq from Alice's iPhone in Tokyo, with her addresses.
ALICE_IPHONE: dict[str, Any] = {
    "dsURL": "http://127.0.0.1:9/rreq",
    "threeDSServerRefNumber": "3DSS_REF",
    "cardExpiryDate": "3012",
    "purchaseDate": "20261125093015",
    "browserIP": "133.242.0.7",
    "browserScreenHeight": "844",
    "browserScreenWidth": "390",
    "browserUserAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1",
    "cardholderName": "ALICE SATO",
    "email": ALICE_EMAIL,
    "mobilePhone": {"cc": "81", "subscriber": "9011110001"},
    "billAddrLine1": "1-2-3 Marunouchi",
    "billAddrCity": "Chiyoda-ku",
    "shipAddrCountry": "392",
    "shipAddrLine1": "1-2-3 Marunouchi",
    "shipAddrCity": "Chiyoda-ku",
    "shipAddrPostCode": "1000005",
    "acctInfo": None,
}


def areq(**changes: Any) -> dict[str, Any]:
    return example_areq("2.2.0", **{**ALICE_IPHONE, **changes})


def post_areq(client: Client, message: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/acs/areq", data=json.dumps(message), content_type="application/json")
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    assert answer["messageType"] == "ARes", answer
    return answer


def run_method(
    client: Client,
    trans_id: str,
    *,
    device_id: str,
    canvas: str = "0a1b2c3d4e5f6071",
    timezone_offset: int = -540,
    timezone_name: str = "Asia/Tokyo",
    remote_addr: str = "133.242.0.7",
) -> None:
    """Run the 3DS Method as the browser would: load the page, post the device data."""
    data = encode_message(
        {"threeDSServerTransID": trans_id, "threeDSMethodNotificationURL": "https://3dss.example/notify"}
    )
    page = client.post("/acs/method", {"threeDSMethodData": data}, REMOTE_ADDR=remote_addr)
    token = re.search(r'data-token="([^"]+)"', page.content.decode())
    assert token is not None
    body = {
        "token": token.group(1),
        "screenWidth": 390,
        "screenHeight": 844,
        "colorDepth": 24,
        "timezoneOffset": timezone_offset,
        "timezoneName": timezone_name,
        "languages": ["ja-JP"],
        "platform": "iPhone",
        "hardwareConcurrency": 6,
        "maxTouchPoints": 5,
        "canvasHash": canvas,
        "webglHash": "99887766aabbccdd",
        "deviceId": device_id,
        "storageAvailable": True,
    }
    collected = client.post(
        "/acs/method/collect", data=json.dumps(body), content_type="application/json", REMOTE_ADDR=remote_addr
    )
    assert collected.status_code == 204, collected.content


def authenticate(
    client: Client, *, device_id: str | None, at: dt.datetime | None = None, **changes: Any
) -> dict[str, Any]:
    """Run the method (when a device id is given) and post the AReq; return the ARes.

    `at` is the purchaseDate, which is the risk clock's "now" when RISK_CLOCK is purchase_date.
    """
    message = areq(**changes)
    if at is not None:
        message["purchaseDate"] = at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")
    if device_id is not None:
        run_method(
            client,
            message["threeDSServerTransID"],
            device_id=device_id,
            canvas=device_id.replace("-", "")[:16],
        )
    else:
        message["threeDSCompInd"] = "U"
    return post_areq(client, message)
