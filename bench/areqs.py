"""AReq bodies for the benchmark, built before the clock starts so the generator only sends bytes.

Each AReq comes from the next cardholder of the population (bench/population.py) and takes the
next step of a fixed mix: the three protocol versions, and one AReq in ten carrying a challenge
mandate (threeDSRequestorChallengeInd 04) while the others state no preference. What the ACS
answers is its own business (risk analysis decides Y, C, N or R); the benchmark only requires
an ARes and counts the transStatus values. Every body has its own threeDSServerTransID and
dsTransID, since a replayed pair is answered with Erro 312.

Built on the reference's example (acs.protocol.examples, pure Python): the bodies are made in the
benchmark's own process; the load generator only reads them from a file.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from population import Cardholder

from acs.protocol.examples import example_areq

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")
CHALLENGE_EVERY = 10  # one AReq in ten asks for a challenge
ARES = b'"messageType":"ARes"'

# The reference's example AReq for the population's cards (they expire in December 2030).
BENCH_FIELDS: dict[str, Any] = {
    "dsReferenceNumber": "DS_REF_BENCH",
    "dsURL": "http://127.0.0.1:9/rreq",
    "threeDSServerRefNumber": "3DSS_REF_BENCH",
    "cardExpiryDate": "3012",
    "purchaseDate": "20261125093015",
}


@dataclass(frozen=True)
class Body:
    """One AReq body and the bytes its answer must contain."""

    data: bytes
    expect: bytes = ARES


def message(version: str, holder: Cardholder, *, challenge: bool) -> dict[str, Any]:
    """Return a valid browser AReq of `version` for `holder`, with fresh transaction IDs."""
    return example_areq(
        version,
        challenge_ind="04" if challenge else "01",
        **BENCH_FIELDS,
        acctNumber=holder.pan,
        cardholderName=holder.name,
        email=holder.email,
        mobilePhone={"cc": "81", "subscriber": holder.mobile_subscriber},
        browserIP=holder.ip,
    )


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
