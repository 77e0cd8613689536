"""An Erro from a DS on the AReq endpoint: acknowledged, recorded, and the end of an unseen challenge."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from acs import services
from acs.models import ResultDelivery, Transaction
from portal.models import Member

from .challenge_helpers import creq_for, cres_of, start
from .conftest import make_areq

pytestmark = pytest.mark.usefixtures("card_ranges")
Post = Callable[..., Any]


def _erro(ares: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The Erro a DS sends the ACS when its read of the ARes timed out [Req 235]."""
    erro = {
        "messageType": "Erro",
        "messageVersion": ares["messageVersion"],
        "threeDSServerTransID": ares["threeDSServerTransID"],
        "dsTransID": ares["dsTransID"],
        "errorCode": "402",
        "errorComponent": "D",
        "errorDescription": "Transaction Timed Out",
        "errorDetail": "ARes",
        "errorMessageType": "ARes",
    }
    erro.update(changes)
    return {name: value for name, value in erro.items() if value is not None}


def _acknowledged(response: Any) -> None:
    assert response.status_code == 200
    assert response.content == b""  # no Erro back for an Erro


def test_it_ends_a_challenge_whose_ares_the_ds_dropped_and_sends_no_rreq(
    client: Client, post_areq: Post, alice: Member, staff: Member
) -> None:
    ares = start(client)

    _acknowledged(post_areq(_erro(ares)))

    txn = Transaction.objects.get()
    assert txn.state == Transaction.State.ENDED_BY_DS
    assert (txn.ds_error_code, txn.ds_error_description, txn.ds_error_detail) == (
        "402",
        "Transaction Timed Out",
        "ARes",
    )
    # The 30-second timer finds nothing to end: no RReq for an ARes the requestor never saw.
    assert services.challenges_expire(now=timezone.now() + dt.timedelta(seconds=31)) == []
    assert not ResultDelivery.objects.exists()
    # A CReq for it all the same is not expected (305), and still starts nothing.
    assert cres_of(client.post("/acs/challenge", {"creq": creq_for(ares)}))["errorCode"] == "305"
    assert not ResultDelivery.objects.exists()
    # Support sees what the DS said.
    client.force_login(staff)
    page = client.get(f"/admin/acs/transaction/{txn.pk}/change/").content.decode()
    assert "Transaction Timed Out" in page


@pytest.mark.parametrize("given", ["threeDSServerTransID", "acsTransID", "dsTransID"])
def test_it_finds_the_transaction_by_any_one_of_its_ids(
    client: Client, post_areq: Post, alice: Member, given: str
) -> None:
    ares = start(client)
    ids = {name: None for name in ("threeDSServerTransID", "acsTransID", "dsTransID")}

    _acknowledged(post_areq(_erro(ares, **{**ids, given: ares[given]})))

    assert Transaction.objects.get().state == Transaction.State.ENDED_BY_DS


def test_it_records_an_erro_about_a_frictionless_answer_without_changing_it(
    post_areq: Post, alice: Member
) -> None:
    ares = post_areq(make_areq()).json()
    assert ares["transStatus"] == "Y"

    _acknowledged(post_areq(_erro(ares)))

    txn = Transaction.objects.get()
    assert (txn.state, txn.trans_status, txn.ds_error_code) == (Transaction.State.ANSWERED, "Y", "402")


@pytest.mark.parametrize(
    "changes",
    [
        {"dsTransID": str(uuid.uuid4())},  # our threeDSServerTransID with a dsTransID not its own
        {"threeDSServerTransID": str(uuid.uuid4()), "dsTransID": str(uuid.uuid4())},  # unknown
        {"threeDSServerTransID": None, "dsTransID": None},  # no ID at all
    ],
)
def test_it_acknowledges_an_erro_for_no_transaction_of_ours_and_changes_nothing(
    client: Client, post_areq: Post, alice: Member, changes: dict[str, Any]
) -> None:
    ares = start(client)

    _acknowledged(post_areq(_erro(ares, **changes)))

    txn = Transaction.objects.get()
    assert (txn.state, txn.ds_error_code) == (Transaction.State.AWAITING_CREQ, "")


@pytest.mark.parametrize(
    "changes",
    [{"errorCode": None}, {"errorComponent": "X"}, {"messageVersion": "9.9.9"}],
)
def test_it_acknowledges_an_invalid_erro_without_answering_with_one(
    client: Client, post_areq: Post, alice: Member, changes: dict[str, Any]
) -> None:
    ares = start(client)

    _acknowledged(post_areq(_erro(ares, **changes)))

    assert Transaction.objects.get().state == Transaction.State.AWAITING_CREQ


def test_it_still_answers_any_other_message_type_with_101(post_areq: Post, alice: Member) -> None:
    answer = post_areq(json.dumps(make_areq(messageType="RReq"))).json()
    assert (answer["messageType"], answer["errorCode"]) == ("Erro", "101")
