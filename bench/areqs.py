"""AReq bodies for the benchmark, built before the clock starts so the generator only sends bytes.

Each AReq comes from the next cardholder of the population (bench/population.py) and takes the
next step of a fixed mix: the three protocol versions, and one AReq in ten carrying a challenge
mandate (threeDSRequestorChallengeInd 04) while the others state no preference. What the ACS
answers is its own business (risk analysis decides Y, C, N or R); the benchmark only requires
an ARes and counts the transStatus values. Every body has its own threeDSServerTransID and
dsTransID, since a replayed pair is answered with Erro 312.

Pure standard library: the load generator process never imports Django.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from typing import Any

from population import Cardholder

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")
CHALLENGE_EVERY = 10  # one AReq in ten asks for a challenge
ARES = b'"messageType":"ARes"'

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
    "cardExpiryDate": "3012",  # the population's cards expire in December 2030
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
    "browserJavaEnabled": False,
    "browserJavascriptEnabled": True,
    "browserLanguage": "ja-JP",
    "browserColorDepth": "24",
    "browserScreenHeight": "900",
    "browserScreenWidth": "1440",
    "browserTZ": "-540",
    "browserUserAgent": "Mozilla/5.0 (X11; Linux x86_64)",
    "billAddrCountry": "392",
    "billAddrPostCode": "1000005",
    "addrMatch": "Y",
    "acctInfo": {"chAccAgeInd": "05", "txnActivityDay": "1"},
}


@dataclass(frozen=True)
class Body:
    """One AReq body and the bytes its answer must contain."""

    data: bytes
    expect: bytes = ARES


def message(version: str, holder: Cardholder, *, challenge: bool) -> dict[str, Any]:
    """Return a valid browser AReq of `version` for `holder`, with fresh transaction IDs."""
    areq = {
        **BASE,
        "messageVersion": version,
        "threeDSServerTransID": str(uuid.uuid4()),
        "dsTransID": str(uuid.uuid4()),
        "acctNumber": holder.pan,
        "cardholderName": holder.name,
        "email": holder.email,
        "mobilePhone": {"cc": "81", "subscriber": holder.mobile_subscriber},
        "browserIP": holder.ip,
    }
    indicator = "04" if challenge else "01"
    areq["threeDSRequestorChallengeInd"] = [indicator] if version == "2.3.1" else indicator
    if version == "2.1.0":
        del areq["browserJavascriptEnabled"]  # came with 2.2.0
    if version == "2.3.1":
        areq.update(acceptLanguage=["ja-JP", "en"], acquirerCountryCode="392", acquirerCountryCodeSource="01")
    return areq


def _mix() -> list[tuple[str, bool]]:
    # Each version nine times without a challenge request and once with, in a fixed shuffle so
    # that challenges and versions interleave instead of arriving in blocks.
    mix = [
        (version, challenge) for challenge in [False] * (CHALLENGE_EVERY - 1) + [True] for version in VERSIONS
    ]
    random.Random(3).shuffle(mix)
    return mix


class AReqs:
    """A supply of AReq bodies that walks through the cardholders, so no card is hammered."""

    def __init__(self, holders: list[Cardholder]) -> None:
        if not holders:
            raise ValueError("no cardholders")
        self.holders = holders
        self.mix = _mix()
        self.taken = 0

    def take(self, count: int) -> list[Body]:
        """Return the next `count` bodies, never handed out before."""
        out = []
        for index in range(self.taken, self.taken + count):
            version, challenge = self.mix[index % len(self.mix)]
            holder = self.holders[index % len(self.holders)]
            out.append(
                Body(
                    json.dumps(message(version, holder, challenge=challenge), separators=(",", ":")).encode()
                )
            )
        self.taken += count
        return out
