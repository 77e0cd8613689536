"""Risk analysis seen from POST /acs/areq: history changes the answer."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from acs.models import Transaction
from config.sql import Statement
from portal.models import Card, Member
from riskanalysis.models import Assessment, CardProfile

from ..conftest import make_card
from .world import ALICE_EMAIL, areq, authenticate, post_areq

FIFTH_PAN = "4111111111111129"
HOME_DEVICE = "6f1c1b7e-8a55-4c0e-9a39-2d2b7f3c9a10"
US_IP = "8.8.8.8"


@pytest.fixture
def ranges(card_ranges: None) -> Iterator[None]:
    # The AReq's purchaseDate is the risk clock: past purchases can be days old.
    with override_settings(RISK_CLOCK="purchase_date"):
        yield


@pytest.fixture
def alice_known(ranges: None, alice: Member, client: Client) -> Member:
    """Alice with her registered e-mail, and three authenticated purchases from her phone at home."""
    Card.objects.filter(pk=alice.card_id).update(email=ALICE_EMAIL)
    for days in (30, 20, 10):
        ares = authenticate(client, device_id=HOME_DEVICE, at=timezone.now() - dt.timedelta(days=days))
        assert ares["transStatus"] == "Y"
    return alice


def test_it_answers_the_usual_phone_at_home_frictionless(alice_known: Member, client: Client) -> None:
    ares = authenticate(client, device_id=HOME_DEVICE)
    assert ares["transStatus"] == "Y"
    assessment = Assessment.objects.get(acs_trans_id=ares["acsTransID"])
    assert assessment.outcome == "frictionless"
    assert assessment.reasons == [{"code": "known_device", "score": -10}]


def test_it_challenges_a_new_device_on_a_foreign_ip(alice_known: Member, client: Client) -> None:
    ares = authenticate(client, device_id=str(uuid.uuid4()), browserIP=US_IP, browserTZ="480")
    assert ares["transStatus"] == "C"
    txn = Transaction.objects.get(acs_trans_id=ares["acsTransID"])
    assert {"new_device", "new_ip_prefix", "ip_country_foreign"} <= set(txn.risk_reasons)
    assessment = Assessment.objects.get(acs_trans_id=ares["acsTransID"])
    assert assessment.ip_country == "US"
    assert assessment.score == txn.risk_score >= 50


def test_it_rejects_a_burst_of_cards_from_one_device(
    ranges: None, alice: Member, bob: Member, carol: Member, unregistered_card: Card, client: Client
) -> None:
    make_card(FIFTH_PAN)
    bot = str(uuid.uuid4())
    pans = ["4111111111111111", "3566002020360505", "4012888888881881", "3530111333300000", FIFTH_PAN]
    answers = [
        authenticate(client, device_id=bot, acctNumber=pan, purchaseAmount="100")["transStatus"]
        for pan in pans
    ]
    assert answers[-1] == "R"
    last = Transaction.objects.order_by("-created_at").first()
    assert last is not None and last.trans_status_reason == "11"
    assert "device_card_burst" in last.risk_reasons


def test_it_learns_nothing_from_a_failed_challenge(alice_known: Member, client: Client) -> None:
    from acs.services import challenge_complete

    thief = str(uuid.uuid4())
    first = authenticate(client, device_id=thief, browserIP=US_IP)
    assert first["transStatus"] == "C"
    challenge_complete(acs_trans_id=first["acsTransID"], trans_status="N", reason="19")
    again = authenticate(client, device_id=thief, browserIP=US_IP)
    assessment = Assessment.objects.get(acs_trans_id=again["acsTransID"])
    assert {"new_device", "recent_failed_challenge"} <= {r["code"] for r in assessment.reasons}
    assert Assessment.objects.get(acs_trans_id=first["acsTransID"]).challenge_result == "failed"


def test_it_trusts_a_device_once_its_challenge_is_passed(alice_known: Member, client: Client) -> None:
    from acs.services import challenge_complete

    new_phone = str(uuid.uuid4())
    first = authenticate(client, device_id=new_phone, browserIP=US_IP)
    assert first["transStatus"] == "C"
    challenge_complete(acs_trans_id=first["acsTransID"], trans_status="Y", attempt=True)
    assert authenticate(client, device_id=new_phone, browserIP=US_IP)["transStatus"] == "Y"


def _auths() -> int:
    return sum(CardProfile.objects.values_list("auths", flat=True))


def test_it_stores_the_assessment_with_the_transaction_and_nothing_on_a_replay(
    alice_known: Member, client: Client
) -> None:
    message = areq()
    ares = post_areq(client, message)
    assessments, auths = Assessment.objects.count(), _auths()
    replayed = client.post("/acs/areq", data=json.dumps(message), content_type="application/json").json()
    assert replayed["errorCode"] == "312"
    # The replay stored nothing: neither a transaction nor an assessment, nor a count.
    assert (Assessment.objects.count(), _auths()) == (assessments, auths)
    assert Assessment.objects.filter(acs_trans_id=ares["acsTransID"]).exists()
    assert Transaction.objects.filter(three_ds_server_trans_id=message["threeDSServerTransID"]).count() == 1


# A write PostgreSQL (or SQLite) refuses: the assessment's NOT NULL columns left empty.
REFUSED = Statement("INSERT INTO riskanalysis_assessment (acs_trans_id) VALUES (%s)", [str(uuid.uuid4())])


@pytest.mark.parametrize(
    "failure",
    [{"return_value": [REFUSED]}, {"side_effect": ValueError("bug")}],
    ids=["the database refuses the history", "the history writes cannot be built"],
)
def test_it_answers_when_the_history_cannot_be_stored(
    alice_known: Member, client: Client, caplog: pytest.LogCaptureFixture, failure: dict[str, Any]
) -> None:
    before = Assessment.objects.count()
    with mock.patch("riskanalysis.recording.assessment_statements", **failure):
        ares = authenticate(client, device_id=HOME_DEVICE)
    assert ares["transStatus"] == "Y"
    assert Transaction.objects.filter(acs_trans_id=ares["acsTransID"]).exists()
    assert Assessment.objects.count() == before
    assert "risk history: assessment not recorded" in caplog.text
