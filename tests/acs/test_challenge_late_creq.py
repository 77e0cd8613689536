"""A CReq that comes after the challenge's timer ran out is late first, whatever else is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from acs import services
from acs.models import ResultDelivery, Transaction
from portal.models import Member

from .challenge_helpers import creq_for, cres_of, open_challenge, start

pytestmark = pytest.mark.usefixtures("card_ranges")


@pytest.mark.parametrize(
    "changes",
    [{"challengeWindowSize": "09"}, {"messageVersion": "2.1.0"}, {"messageType": None}],
)
def test_a_late_and_invalid_first_creq_ends_the_challenge_as_timed_out(
    client: Client, alice: Member, changes: dict[str, str | None]
) -> None:
    ares = start(client)
    Transaction.objects.update(created_at=timezone.now() - dt.timedelta(seconds=31))

    response = client.post("/acs/challenge", {"creq": creq_for(ares, **changes)})

    assert cres_of(response)["errorCode"] == "402"
    rreq = ResultDelivery.objects.get().payload
    assert (rreq["transStatus"], rreq["transStatusReason"], rreq["challengeCancel"]) == ("N", "14", "05")


def test_an_invalid_creq_after_ten_idle_minutes_ends_the_challenge_as_timed_out(
    client: Client, alice: Member
) -> None:
    ares = start(client)
    open_challenge(client, ares)
    Transaction.objects.update(last_activity_at=timezone.now() - dt.timedelta(seconds=601))

    response = client.post("/acs/challenge", {"creq": creq_for(ares, challengeWindowSize="09")})

    assert cres_of(response)["errorCode"] == "402"
    rreq = ResultDelivery.objects.get().payload
    assert (rreq["transStatus"], rreq["transStatusReason"], rreq["challengeCancel"]) == ("N", "14", "04")


def test_a_creq_after_the_sweep_ended_the_challenge_is_late_too(client: Client, alice: Member) -> None:
    ares = start(client)
    services.challenges_expire(now=timezone.now() + dt.timedelta(seconds=31))

    assert cres_of(open_challenge(client, ares))["errorCode"] == "402"
    assert ResultDelivery.objects.count() == 1
