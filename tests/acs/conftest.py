"""AReq material for the ACS tests: a valid browser AReq per version, and the demo card ranges."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from acs import services
from acs.models import Transaction
from acs.protocol.examples import example_areq

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")

# The reference's example AReq, dated now and aimed at the test world's Alice.
ALICE_AREQ: dict[str, Any] = {
    "dsURL": "http://127.0.0.1:9/rreq",
    "cardExpiryDate": "3012",
    "purchaseDate": "20261125093015",
    "cardholderName": "ALICE SATO",
    "email": "alice@example.jp",
    "mobilePhone": {"cc": "81", "subscriber": "9011110001"},
}


def make_areq(version: str = "2.2.0", *, challenge_ind: str | None = "01", **changes: Any) -> dict[str, Any]:
    return example_areq(version, challenge_ind=challenge_ind, **{**ALICE_AREQ, **changes})


@pytest.fixture
def post_areq(client: Client, card_ranges: None) -> Callable[..., Any]:
    def post(message: dict[str, Any] | bytes | str, **extra: Any) -> Any:
        body = message if isinstance(message, bytes | str) else json.dumps(message)
        return client.post(
            "/acs/areq", data=body, content_type=extra.pop("content_type", "application/json"), **extra
        )

    return post


def failed_challenge(post_areq: Callable[..., Any], ds_url: str) -> Transaction:
    """A challenge of Alice's that ended N/19, its RReq queued for `ds_url`."""
    ares = post_areq(make_areq(challenge_ind="04", dsURL=ds_url)).json()
    txn = services.challenge_complete(acs_trans_id=ares["acsTransID"], trans_status="N", reason="19")
    assert txn is not None
    return txn
