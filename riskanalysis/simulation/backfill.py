"""Build a large past for the population fast: authentications written straight into the history.

Replaying a million AReqs through the endpoint would take hours; the past only has to look like
the one the endpoint would have written. So each past purchase is generated from the same
habits, turned into the same Facts the ACS builds, keyed by the same `keys_for`, and written in
bulk (COPY on PostgreSQL): assessments, the card signals and card profiles aggregated from them.
Device fingerprints use riskanalysis.pseudonym.fingerprint_key, as the real 3DS Method does; a
test checks that a backfilled device is recognised when the same device runs the real Method.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import connection

from portal.crypto import pan_fingerprint
from riskanalysis.facts import Address, Facts, MethodDevice
from riskanalysis.models import Assessment, CardProfile, CardSignal
from riskanalysis.pseudonym import fingerprint_key, pseudonym
from riskanalysis.signals import Keys, keys_for
from riskanalysis.simulation.population import Cardholder
from riskanalysis.simulation.scenarios import Attempt, Traffic


def facts_of(attempt: Attempt, card_ref: str) -> Facts:
    """Return the Facts acs.facts would build for this attempt's AReq and method data."""
    device, ship = attempt.device, attempt.ship
    method = (
        MethodDevice(
            device_id_key=pseudonym("device_id", device.device_id.lower()),
            fingerprint_key=fingerprint_key(
                canvas=device.canvas,
                webgl=device.webgl,
                screen=f"{device.screen[0]}x{device.screen[1]}",
                color_depth=24,
                platform=device.platform,
                cores=device.cores,
                timezone_name=device.tz_name,
            ),
        )
        if attempt.method
        else None
    )
    return Facts(
        message_version="2.2.0",
        amount_minor=attempt.amount,
        currency="392",
        exponent=0,
        merchant_name=attempt.merchant.name,
        mcc=attempt.merchant.mcc,
        merchant_country="392",
        requestor_id=attempt.merchant.requestor_id,
        challenge_indicators=("01",),
        authentication_indicator="01",
        card_known=True,
        card_status="active",
        enrolled=True,
        enrolment_method="sms_otp",
        browser_ip=attempt.ip,
        browser_language=device.language,
        browser_user_agent=device.user_agent,
        acquirer_merchant_id=attempt.merchant.mid,
        email=attempt.email,
        phones=(f"81{attempt.phone.lstrip('0')}",) if attempt.phone else (),
        ship_address=Address(
            (ship["line1"], "", ""), ship["city"], ship["post"], ship["state"], ship["country"]
        )
        if ship
        else Address(),
        browser_tz=device.tz_offset,
        browser_screen=f"{device.screen[0]}x{device.screen[1]}",
        browser_color_depth="24",
        method=method,
        card_ref=card_ref,
    )


def _past(
    traffic: Traffic, person: Cardholder, count: int, start: dt.datetime, days: int
) -> Iterator[Attempt]:
    rng = traffic.rng
    times = sorted(start - dt.timedelta(seconds=rng.uniform(0, days * 86400)) for _ in range(count))
    for at in times:
        yield traffic.legit(person, at)


def backfill(people: list[Cardholder], *, total: int, start: dt.datetime, days: int, seed: int) -> int:
    """Write about `total` past authentications of `people` in the `days` before `start`."""
    traffic = Traffic(people, seed=seed, fraud_per_day=0)
    per_person = max(1, total // max(len(people), 1))
    signals: dict[tuple[str, str], list[Any]] = {}
    profiles: dict[str, list[Any]] = {}
    batch: list[tuple[Any, ...]] = []
    written = 0
    for person in people:
        card_ref = pan_fingerprint(person.pan)
        for attempt in _past(traffic, person, per_person, start, days):
            keys = keys_for(facts_of(attempt, card_ref))
            batch.append(_assessment_row(attempt, keys))
            _aggregate(signals, profiles, keys, attempt)
            if len(batch) >= 20_000:
                written += _write_assessments(batch)
                batch = []
    written += _write_assessments(batch)
    _write_signals(signals)
    _write_profiles(profiles)
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility map: the planner picks the indexes, index-only scans work.
        # (VACUUM cannot run inside a transaction, as in a test.)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Assessment, CardSignal, CardProfile):
                cursor.execute(f"{command} {model._meta.db_table}")
    return written


def _assessment_row(attempt: Attempt, keys: Keys) -> tuple[Any, ...]:
    signal_keys = json.dumps([[kind.value, value] for kind, value in keys.values.items()])
    return (
        str(uuid.uuid4()),
        attempt.at,
        keys.card,
        keys.device,
        keys.ip,
        signal_keys,
        attempt.amount,
        attempt.merchant.mcc,
        "392",
        "",
        "frictionless",
        0,
        "[]",
        0,
        "frictionless",
        0,
        "[]",
        "backfill",
        0,
        "",
    )


def _aggregate(
    signals: dict[tuple[str, str], list[Any]], profiles: dict[str, list[Any]], keys: Keys, attempt: Attempt
) -> None:
    at = attempt.at
    for kind, value in keys.values.items():
        row = signals.get((keys.card, value))
        if row is None:
            signals[(keys.card, value)] = [kind.value, at, at, 1, 1]
        else:
            row[1], row[2], row[3], row[4] = min(row[1], at), max(row[2], at), row[3] + 1, row[4] + 1
    log = math.log(attempt.amount)
    p = profiles.setdefault(keys.card, [at, at, 0, 0.0, 0.0, 0])
    p[0], p[1], p[2] = min(p[0], at), max(p[1], at), p[2] + 1
    p[3], p[4], p[5] = p[3] + log, p[4] + log * log, max(p[5], attempt.amount)


ASSESSMENT_COLUMNS = (
    "acs_trans_id",
    "created_at",
    "card_key",
    "device_key",
    "ip_key",
    "signal_keys",
    "amount_yen",
    "mcc",
    "merchant_country",
    "ip_country",
    "outcome",
    "score",
    "reasons",
    "ruleset_version",
    "shadow_outcome",
    "shadow_score",
    "shadow_reasons",
    "provider",
    "elapsed_us",
    "challenge_result",
)


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            [
                tuple(
                    connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
                    for v in row
                )
                for row in rows
            ],
        )


def _write_assessments(rows: list[tuple[Any, ...]]) -> int:
    if rows:
        _copy(Assessment._meta.db_table, ASSESSMENT_COLUMNS, rows)
    return len(rows)


def _write_signals(signals: dict[tuple[str, str], list[Any]]) -> None:
    CardSignal.objects.filter(card_key__in={card for card, _ in signals}).delete()
    rows = [
        (card, kind, value, first, last, count, trusted)
        for (card, value), (kind, first, last, count, trusted) in signals.items()
    ]
    for start in range(0, len(rows), 50_000):
        _copy(
            CardSignal._meta.db_table,
            ("card_key", "kind", "value_key", "first_seen", "last_seen", "count", "trusted"),
            rows[start : start + 50_000],
        )


def _write_profiles(profiles: dict[str, list[Any]]) -> None:
    CardProfile.objects.filter(card_key__in=list(profiles)).delete()
    rows = [
        (card, first, last, n, n, n, log_sum, log_sq, max_yen, 0, 0)
        for card, (first, last, n, log_sum, log_sq, max_yen) in profiles.items()
    ]
    _copy(
        CardProfile._meta.db_table,
        (
            "card_key",
            "first_seen",
            "last_seen",
            "auths",
            "trusted_auths",
            "amount_n",
            "amount_log_sum",
            "amount_log_sq",
            "amount_max_yen",
            "fraud_marks",
            "challenge_failures",
        ),
        rows,
    )
