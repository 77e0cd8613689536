"""threeDSSessionData goes back to the merchant unchanged with every answer to a CReq (reference §1)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from acs.models import ResultDelivery, Transaction
from portal.models import Member

from .challenge_helpers import creq_for, cres_of, last_code, open_challenge, start, step
from .conftest import make_areq

pytestmark = pytest.mark.usefixtures("card_ranges")
SESSION = "c2Vzc2lvbi1mb3ItdGhpcy1jcmVx"


def _echoed(response: Any) -> str | None:
    match = re.search(r'name="threeDSSessionData" value="([^"]*)"', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def _late(client: Client) -> dict[str, Any]:
    ares = start(client)
    Transaction.objects.update(created_at=timezone.now() - dt.timedelta(seconds=31))
    return ares


def _frictionless(client: Client) -> dict[str, Any]:
    ares = client.post("/acs/areq", data=json.dumps(make_areq()), content_type="application/json").json()
    assert ares["transStatus"] == "Y"
    return ares


def _challenge_over(client: Client) -> dict[str, Any]:
    ares = start(client)
    step(client, open_challenge(client, ares, threeDSSessionData="Zmlyc3Q"), code=last_code())
    return ares


def _challenge_running(client: Client) -> dict[str, Any]:
    ares = start(client)
    open_challenge(client, ares, threeDSSessionData="Zmlyc3Q")
    return ares


@pytest.mark.parametrize(
    ("setup", "changes", "code"),
    [
        (_late, {}, "402"),
        (_frictionless, {}, "305"),
        (start, {"challengeWindowSize": "09"}, "203"),
        (start, {"messageVersion": "2.1.0"}, "203"),
        (_challenge_over, {"challengeWindowSize": "03"}, "315"),
        (_challenge_running, {"challengeWindowSize": "05"}, "305"),
    ],
)
def test_it_echoes_the_session_data_of_a_creq_it_refuses(
    client: Client,
    alice: Member,
    setup: Callable[[Client], dict[str, Any]],
    changes: dict[str, str],
    code: str,
) -> None:
    ares = setup(client)

    response = client.post(
        "/acs/challenge", {"creq": creq_for(ares, **changes), "threeDSSessionData": SESSION}
    )

    assert cres_of(response)["errorCode"] == code
    assert _echoed(response) == SESSION


def test_it_echoes_nothing_when_none_was_posted(client: Client, alice: Member) -> None:
    response = client.post("/acs/challenge", {"creq": creq_for(_late(client))})
    assert cres_of(response)["errorCode"] == "402"
    assert _echoed(response) is None


def test_it_keeps_1024_bytes_of_session_data_whole_to_the_final_cres(client: Client, alice: Member) -> None:
    session = "A" * 1024
    ares = start(client)

    done = step(client, open_challenge(client, ares, threeDSSessionData=session), code=last_code())

    assert cres_of(done)["transStatus"] == "Y"
    assert _echoed(done) == session


def test_it_refuses_session_data_over_1024_bytes_rather_than_cut_it(client: Client, alice: Member) -> None:
    session = "A" * 1025
    ares = start(client)

    response = open_challenge(client, ares, threeDSSessionData=session)

    erro = cres_of(response)
    assert (erro["errorCode"], erro["errorDetail"]) == ("203", "threeDSSessionData")
    assert _echoed(response) == session  # the merchant can still find its session
    txn = Transaction.objects.get()
    assert (txn.trans_status, txn.three_ds_session_data) == ("U", "")
    assert ResultDelivery.objects.get().payload["transStatus"] == "U"
