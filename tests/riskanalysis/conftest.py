"""Facts and histories for the rule tables, and clean per-process risk state between tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection, transaction

from riskanalysis import provider, rulesets
from riskanalysis.facts import Facts, MethodDevice
from riskanalysis.history import History, Kind, Seen
from riskanalysis.recording import assessment_statements
from riskanalysis.signals import keys_for

NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
METHOD = MethodDevice(device_id_key="d" * 64, fingerprint_key="f" * 64, timezone_offset=-540)


def make_facts(**changes: Any) -> Facts:
    """A low-risk purchase by a known, enrolled cardholder, changed by `changes`."""
    base = Facts(
        message_version="2.2.0",
        amount_minor=12_800,
        currency="392",
        exponent=0,
        merchant_name="Example Shop",
        mcc="5732",
        merchant_country="392",
        requestor_id="REQ-0001",
        challenge_indicators=("01",),
        authentication_indicator="01",
        card_known=True,
        card_status="active",
        enrolled=True,
        enrolment_method="sms_otp",
        browser_ip="133.242.0.7",
        browser_language="ja-JP",
        browser_user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        browser_javascript_enabled=True,
        browser_tz=-540,
        three_ds_comp_ind="Y",
        method=METHOD,
        card_ref="c" * 64,
        email_matches=True,
        phone_matches=True,
        name_matches=True,
        ip_country="JP",
        ip_country_offsets=frozenset({-540}),
    )
    return replace(base, **changes)


def seen(count: int = 5, trusted: int = 5, days: int = 60) -> Seen:
    return Seen(count, trusted, NOW - dt.timedelta(days=days), NOW - dt.timedelta(days=1))


KNOWN = {kind: seen() for kind in Kind}


def make_history(**changes: Any) -> History:
    """A card with months of authenticated history, all of this AReq's values known."""
    base = History(
        now=NOW,
        card_auths=40,
        card_trusted_auths=40,
        card_first_seen=NOW - dt.timedelta(days=120),
        amount_n=40,
        amount_log_mean=9.0,
        amount_log_std=0.5,
        amount_max_yen=30_000,
        seen=dict(KNOWN),
    )
    return replace(base, **changes)


def without(*kinds: Kind) -> dict[Kind, Seen]:
    return {k: v for k, v in KNOWN.items() if k not in kinds}


@pytest.fixture(autouse=True)
def _fresh_risk_state() -> Iterator[None]:
    rulesets.forget()
    provider.reset()
    yield
    rulesets.forget()
    provider.reset()


def record(*, facts: Facts, **what: Any) -> None:
    """Store an assessment's writes (the ACS sends them within its transaction's INSERT)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in assessment_statements(facts=facts, keys=keys_for(facts), **what):
            cursor.execute(statement.sql, statement.params)
