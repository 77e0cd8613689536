"""AReq material for the ACS tests: a valid browser AReq per version, and the demo card ranges."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from acs import directory
from acs.demo import seed_acs_demo
from acs.protocol.examples import EXAMPLE_AREQ

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")

# The reference's example AReq, dated now and aimed at the test world's Alice; the IDs, version and
# challenge indicator are set per test by make_areq.
BASE_AREQ: dict[str, Any] = {
    **{
        k: v
        for k, v in EXAMPLE_AREQ.items()
        if k not in ("messageVersion", "threeDSServerTransID", "dsTransID", "threeDSRequestorChallengeInd")
    },
    "dsURL": "http://127.0.0.1:9/rreq",
    "cardExpiryDate": "3012",
    "purchaseDate": "20261125093015",
    "cardholderName": "ALICE SATO",
    "email": "alice@example.jp",
    "mobilePhone": {"cc": "81", "subscriber": "9011110001"},
}


def make_areq(version: str = "2.2.0", *, challenge_ind: str | None = "01", **changes: Any) -> dict[str, Any]:
    message = copy.deepcopy(BASE_AREQ)
    message["messageVersion"] = version
    message["threeDSServerTransID"] = str(uuid.uuid4())
    message["dsTransID"] = str(uuid.uuid4())
    if challenge_ind is not None:
        message["threeDSRequestorChallengeInd"] = [challenge_ind] if version == "2.3.1" else challenge_ind
    if version == "2.1.0":
        message.pop("browserJavascriptEnabled")
    if version == "2.3.1":
        message["acceptLanguage"] = ["ja-JP", "en"]
        message["acquirerCountryCode"] = "392"
        message["acquirerCountryCodeSource"] = "01"
    for name, value in changes.items():
        if value is None:
            message.pop(name, None)
        else:
            message[name] = value
    return message


@pytest.fixture
def card_ranges(db: None) -> Iterator[None]:
    directory.forget()
    seed_acs_demo()
    yield
    directory.forget()


@pytest.fixture
def post_areq(client: Client, card_ranges: None) -> Callable[..., Any]:
    def post(message: dict[str, Any] | bytes | str, **extra: Any) -> Any:
        body = message if isinstance(message, bytes | str) else json.dumps(message)
        return client.post(
            "/acs/areq", data=body, content_type=extra.pop("content_type", "application/json"), **extra
        )

    return post
