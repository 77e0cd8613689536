"""The pseudonymised history: what recording writes and what the look-up reads back."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from django.utils import timezone

import riskanalysis
from riskanalysis.decision import Decision, Outcome
from riskanalysis.facts import Facts, MethodDevice
from riskanalysis.history import Kind, Window
from riskanalysis.models import CardProfile, CardSignal, DenyEntry
from riskanalysis.recording import challenge_recorded
from riskanalysis.selectors import history_for
from riskanalysis.signals import card_key, keys_for

from .conftest import make_facts, record

FRICTIONLESS = Decision(Outcome.FRICTIONLESS, 0)


def _record(facts: Facts, at: dt.datetime, status: str = "Y") -> str:
    acs_trans_id = str(uuid.uuid4())
    record(facts=facts, decision=FRICTIONLESS, acs_trans_id=acs_trans_id, trans_status=status, now=at)
    return acs_trans_id


def test_it_counts_velocity_per_card_device_and_network_in_three_windows(db: None) -> None:
    now = timezone.now()
    facts = make_facts()
    for minutes in (5, 30, 300, 2000):  # 10 min, 1 h, 24 h, older
        _record(facts, now - dt.timedelta(minutes=minutes))
    history = history_for(keys_for(facts), now=now)
    assert history.card_velocity == Window(1, 2, 3)
    assert history.device_velocity == Window(1, 2, 3)
    assert history.ip_velocity == Window(1, 2, 3)
    assert history.card_auths == 4 and history.card_trusted_auths == 4


def test_it_counts_other_cards_seen_with_a_device(db: None) -> None:
    now = timezone.now()
    for i, minutes in enumerate((1, 2, 40, 600)):
        _record(make_facts(card_ref=f"card-{i}"), now - dt.timedelta(minutes=minutes))
    history = history_for(keys_for(make_facts(card_ref="card-0")), now=now)
    assert history.device_cards == Window(1, 2, 3)  # card-0 itself is not counted
    assert history.ip_cards == Window(1, 2, 3)
    assert history.device_cards_ever == 3


def test_it_trusts_only_what_was_authenticated(db: None) -> None:
    now = timezone.now()
    challenged = make_facts(method=MethodDevice(device_id_key="e" * 64, fingerprint_key="9" * 64))
    acs_trans_id = _record(challenged, now - dt.timedelta(hours=2), status="C")
    keys = keys_for(challenged)
    history = history_for(keys, now=now)
    assert history.seen[Kind.DEVICE_ID].count == 1 and not history.trusted(Kind.DEVICE_ID)
    challenge_recorded(acs_trans_id=acs_trans_id, trans_status="Y", now=now)
    history = history_for(keys, now=now)
    assert history.trusted(Kind.DEVICE_ID) and history.card_trusted_auths == 1
    assert history.amount_n == 1 and history.amount_max_yen == 12_800
    assert history.last_challenge_passed_at == now


def test_it_takes_trust_back_and_deny_lists_the_device_on_a_fraud_mark(db: None) -> None:
    now = timezone.now()
    facts = make_facts(card_ref="f" * 64)
    acs_trans_id = _record(facts, now - dt.timedelta(hours=1))
    riskanalysis.fraud_mark(pan_fingerprint="f" * 64, acs_trans_id=acs_trans_id, source="cardholder")
    history = history_for(keys_for(facts), now=now)
    assert not history.trusted(Kind.DEVICE_ID) and history.trusted(Kind.MERCHANT)
    assert history.fraud_marks == 1 and history.last_fraud_at is not None
    assert history.denied == {Kind.DEVICE_ID, Kind.FINGERPRINT}
    assert DenyEntry.objects.count() == 2
    decision = riskanalysis.assess(replace(facts, purchase_time=None))
    assert decision.outcome is Outcome.REJECT
    assert "device_deny_listed" in [r.code for r in decision.reasons]


def test_it_keeps_one_row_per_card_and_value(db: None) -> None:
    facts = make_facts()
    for _ in range(3):
        _record(facts, timezone.now())
    card = card_key(facts.card_ref)
    assert CardProfile.objects.get(card_key=card).auths == 3
    signals = CardSignal.objects.filter(card_key=card)
    assert signals.count() == len(keys_for(facts).values)
    assert {s.count for s in signals} == {3}
