"""AReq bodies for the benchmark, built before the clock starts so the generator only sends bytes.

The mix rotates the two enrolled demo cards of `seed_demo` (Visa 4111111111111111, JCB
3566002020360505) over the three protocol versions; one AReq in ten carries a challenge
mandate (threeDSRequestorChallengeInd 04, answered C), the others no preference (answered Y:
the amount is far below the risk threshold). Every body has its own threeDSServerTransID and
dsTransID, since a replayed pair is answered with Erro 312.

Pure standard library: the load generator process never imports Django.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from typing import Any

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")
CARDS = (("4111111111111111", "ALICE SATO"), ("3566002020360505", "TARO YAMADA"))
CHALLENGE_EVERY = 10  # one AReq in ten asks for a challenge

# Placeholders of the same length as a UUID, so a body's length never depends on its IDs.
_SERVER_ID = "S" * 36
_DS_ID = "D" * 36

BASE: dict[str, Any] = {
    "messageType": "AReq",
    "messageCategory": "01",
    "deviceChannel": "02",
    "dsReferenceNumber": "DS_REF_BENCH",
    "dsURL": "http://127.0.0.1:9/rreq",
    "threeDSServerRefNumber": "3DSS_REF_BENCH",
    "threeDSServerURL": "https://3dss.example/rreq",
    "threeDSRequestorID": "REQ-0001",
    "threeDSRequestorName": "Example Shop",
    "threeDSRequestorURL": "https://shop.example",
    "threeDSRequestorAuthenticationInd": "01",
    "threeDSCompInd": "Y",
    "cardExpiryDate": "3012",
    "acquirerBIN": "400551",
    "acquirerMerchantID": "MID000123",
    "mcc": "5732",
    "merchantCountryCode": "392",
    "merchantName": "Example Shop",
    "purchaseAmount": "12800",
    "purchaseCurrency": "392",
    "purchaseExponent": "0",
    "purchaseDate": "20261125093015",
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
    "email": "member@example.jp",
    "mobilePhone": {"cc": "81", "subscriber": "9011110001"},
    "billAddrCountry": "392",
    "billAddrPostCode": "1000005",
    "addrMatch": "Y",
    "acctInfo": {"chAccAgeInd": "05", "txnActivityDay": "1"},
}


@dataclass(frozen=True)
class Body:
    """One AReq body and the transStatus its ARes must carry."""

    data: bytes
    expect: bytes


def message(version: str, pan: str, name: str, *, challenge: bool) -> dict[str, Any]:
    """Return a valid browser AReq of `version` with placeholder transaction IDs."""
    areq = {**BASE, "messageVersion": version, "acctNumber": pan, "cardholderName": name}
    areq["threeDSServerTransID"] = _SERVER_ID
    areq["dsTransID"] = _DS_ID
    indicator = "04" if challenge else "01"
    areq["threeDSRequestorChallengeInd"] = [indicator] if version == "2.3.1" else indicator
    if version == "2.1.0":
        del areq["browserJavascriptEnabled"]  # came with 2.2.0
    if version == "2.3.1":
        areq.update(acceptLanguage=["ja-JP", "en"], acquirerCountryCode="392", acquirerCountryCodeSource="01")
    return areq


def _templates() -> list[tuple[str, bytes]]:
    # Every card x version pair, nine times frictionless and once challenged, in a fixed shuffle
    # so that challenges and cards interleave instead of arriving in blocks.
    mix = [
        (version, card, challenge)
        for challenge in [False] * (CHALLENGE_EVERY - 1) + [True]
        for card in CARDS
        for version in VERSIONS
    ]
    random.Random(3).shuffle(mix)
    return [
        (
            json.dumps(message(version, pan, name, challenge=challenge), separators=(",", ":")),
            b'"transStatus":"C"' if challenge else b'"transStatus":"Y"',
        )
        for version, (pan, name), challenge in mix
    ]


def bodies(count: int) -> list[Body]:
    """Return `count` AReq bodies in the benchmark's mix, each with fresh transaction IDs."""
    templates = _templates()
    out = []
    for index in range(count):
        text, expect = templates[index % len(templates)]
        text = text.replace(_SERVER_ID, str(uuid.uuid4())).replace(_DS_ID, str(uuid.uuid4()))
        out.append(Body(text.encode(), expect))
    return out
