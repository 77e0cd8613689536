"""A first CReq that loses the transaction's lock to another request is judged on what won."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from acs import services
from acs.models import ResultDelivery, Transaction
from portal.models import Member
from portal.sms.models import SmsMessage

from .challenge_helpers import cres_of, open_challenge, start

pytestmark = pytest.mark.usefixtures("card_ranges")


def _before_begin(monkeypatch: pytest.MonkeyPatch, winner: Any) -> None:
    """Run `winner` after the CReq read its transaction and before it takes the lock."""
    real = services.challenge_begin

    def racing(**kwargs: Any) -> services.Begun:
        winner(kwargs["acs_trans_id"])
        return real(**kwargs)

    monkeypatch.setattr(services, "challenge_begin", racing)


def test_a_different_creq_that_lost_the_race_aborts_the_challenge(
    client: Client, alice: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    ares = start(client)
    begin = services.challenge_begin
    _before_begin(
        monkeypatch,
        lambda acs_trans_id: begin(
            acs_trans_id=acs_trans_id, creq_digest="another CReq", window_size="05", session_data=""
        ),
    )

    response = open_challenge(client, ares)

    assert cres_of(response)["errorCode"] == "305"  # reference §5: RReq (U...) + Erro 305
    txn = Transaction.objects.get()
    assert (txn.state, txn.trans_status) == (Transaction.State.COMPLETED, "U")
    assert ResultDelivery.objects.get().payload["transStatus"] == "U"


def test_a_creq_that_lost_the_race_to_the_expiry_sweep_gets_402_and_no_code(
    client: Client, alice: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    ares = start(client)
    later = timezone.now() + dt.timedelta(seconds=31)
    _before_begin(monkeypatch, lambda acs_trans_id: services.challenges_expire(now=later))

    response = open_challenge(client, ares)

    assert cres_of(response)["errorCode"] == "402"
    assert not SmsMessage.objects.exists()
    rreq = ResultDelivery.objects.get().payload
    assert (rreq["transStatus"], rreq["transStatusReason"], rreq["challengeCancel"]) == ("N", "14", "05")


def test_expiry_leaves_a_challenge_a_creq_started_after_the_sweep_looked(
    client: Client, alice: Member
) -> None:
    ares = start(client)
    txn = Transaction.objects.get()
    open_challenge(client, ares)  # the CReq wins the lock the sweep was about to take

    assert services.challenge_expire(acs_trans_id=txn.acs_trans_id, cancel="05") is None

    assert Transaction.objects.get().state == Transaction.State.CHALLENGING
    assert not ResultDelivery.objects.exists()
