"""Drive a browser challenge through the ACS's real endpoints, as a 3DS Requestor page would."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client

from acs import protocol
from portal.sms.models import SmsMessage

from .conftest import make_areq


def start(client: Client, version: str = "2.2.0", **changes: Any) -> dict[str, Any]:
    """Post an AReq that mandates a challenge; return the ARes."""
    message = make_areq(version, challenge_ind="04", **changes)
    ares = client.post("/acs/areq", data=json.dumps(message), content_type="application/json").json()
    assert ares["transStatus"] == "C", ares
    return ares


def creq_for(ares: dict[str, Any], window: str = "02", **changes: Any) -> str:
    creq = {
        "threeDSServerTransID": ares["threeDSServerTransID"],
        "acsTransID": ares["acsTransID"],
        "challengeWindowSize": window,
        "messageType": "CReq",
        "messageVersion": ares["messageVersion"],
    }
    creq.update(changes)
    return protocol.encode_message(creq)


def open_challenge(client: Client, ares: dict[str, Any], **fields: str) -> Any:
    return client.post(
        "/acs/challenge", {"creq": creq_for(ares), "threeDSSessionData": "c2Vzc2lvbg", **fields}
    )


def token_of(response: Any) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


def step(client: Client, response: Any, action: str = "submit", **fields: str) -> Any:
    return client.post("/acs/challenge/step", {"token": token_of(response), "action": action, **fields})


def last_code() -> str:
    body = SmsMessage.objects.order_by("-pk").first().body  # type: ignore[union-attr]
    return re.search(r"#(\d{6})$", body).group(1)  # type: ignore[union-attr]


def cres_of(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    match = re.search(r'name="cres" value="([^"]+)"', html)
    assert match, html[:800]
    return json.loads(protocol.b64url_decode(match.group(1)))
