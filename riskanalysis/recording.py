"""Writes to the pseudonymised history: assessments, what a card was seen with, outcomes, fraud.

A value becomes *trusted* for a card when it was seen in an authenticated transaction (a
frictionless Y or a passed challenge); the rules compare against trusted values only, so a
fraudster who was challenged and failed does not teach the history his device. A fraud mark
takes the trust back and deny-lists the device of the reported transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import uuid
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from config.sql import Statement, datetime_param, insert_statement
from riskanalysis.clock import now_for
from riskanalysis.decision import Decision, Reason
from riskanalysis.facts import Facts
from riskanalysis.history import METHOD_DEVICE_KINDS, Kind
from riskanalysis.models import Assessment, DenyEntry, FraudMark
from riskanalysis.pricing import amount_in_yen
from riskanalysis.signals import Keys, card_key

logger = logging.getLogger(__name__)

# A cancelled or timed-out challenge says little; a wrong code or a locked account says more.
ABANDONED_REASONS = frozenset({"14"})

# The history's amounts are bigint columns, but an AReq may carry up to 48 digits (reference
# §2.1); an amount beyond a bigint is "huge" to every rule, so it is kept as the largest one.
# Python ints overflow SQLite's driver before any DatabaseError could be caught.
MAX_AMOUNT_YEN = 2**63 - 1

# The card, time and trust once, the (kind, value) pairs as rows: few parameters (config.sql).
# "WHERE true" tells SQLite's parser that ON CONFLICT is the upsert, not a join condition.
_SIGNAL_UPSERT = (
    "INSERT INTO riskanalysis_cardsignal (card_key, kind, value_key, first_seen, last_seen, count, trusted) "
    "SELECT %s, v.column1, v.column2, %s, %s, 1, %s FROM (VALUES {values}) AS v WHERE true "
    "ON CONFLICT (card_key, value_key) DO UPDATE SET "
    "count = riskanalysis_cardsignal.count + 1, "
    "trusted = riskanalysis_cardsignal.trusted + excluded.trusted, "
    "last_seen = excluded.last_seen"
)
_PROFILE_UPSERT = (
    "INSERT INTO riskanalysis_cardprofile (card_key, first_seen, last_seen, auths, trusted_auths, amount_n, "
    "amount_log_sum, amount_log_sq, amount_max_yen, fraud_marks, challenge_failures) "
    "VALUES (%s, %s, %s, 1, %s, %s, %s, %s, %s, 0, 0) ON CONFLICT (card_key) DO UPDATE SET "
    "last_seen = excluded.last_seen, auths = riskanalysis_cardprofile.auths + 1, "
    "trusted_auths = riskanalysis_cardprofile.trusted_auths + excluded.trusted_auths, "
    "amount_n = riskanalysis_cardprofile.amount_n + excluded.amount_n, "
    "amount_log_sum = riskanalysis_cardprofile.amount_log_sum + excluded.amount_log_sum, "
    "amount_log_sq = riskanalysis_cardprofile.amount_log_sq + excluded.amount_log_sq, "
    "amount_max_yen = CASE WHEN excluded.amount_max_yen > riskanalysis_cardprofile.amount_max_yen "
    "THEN excluded.amount_max_yen ELSE riskanalysis_cardprofile.amount_max_yen END"
)


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [{"code": r.code, "score": r.score} for r in reasons]


def _yen(yen: float) -> int:
    return min(int(yen), MAX_AMOUNT_YEN)


def _amount_terms(yen: float | None, trusted: bool) -> tuple[int, float, float, int]:
    if not trusted or yen is None or yen < 1:
        return 0, 0.0, 0.0, 0
    log = math.log(yen)
    return 1, log, log * log, _yen(yen)


def assessment_statements(
    *,
    facts: Facts,
    decision: Decision,
    keys: Keys,
    acs_trans_id: uuid.UUID | str,
    trans_status: str,
    now: dt.datetime | None = None,
) -> list[Statement]:
    """Return the writes that keep the decision as evidence and observe the authentication into
    the card's history: the assessment, the values seen, the card's profile.

    They are independent of one another and of the ACS's transaction, which stores them in its
    own INSERT statement (config.sql); an authentication without a card key writes nothing.
    `keys` are the authentication's pseudonyms, as assess computed them (Decision.keys).
    """
    now = now or now_for(facts)
    if not keys.card:
        return []
    trusted = trans_status == "Y"
    yen = amount_in_yen(facts)
    signal_keys = [[kind.value, value] for kind, value in keys.values.items()]
    assessment = Assessment(
        acs_trans_id=acs_trans_id,
        created_at=now,
        card_key=keys.card,
        device_key=keys.device,
        ip_key=keys.ip,
        signal_keys=signal_keys,
        amount_yen=None if yen is None else _yen(yen),
        mcc=facts.mcc,
        merchant_country=facts.merchant_country,
        ip_country=decision.ip_country or "",
        outcome=decision.outcome.value,
        score=decision.score,
        reasons=_reasons(decision.reasons),
        ruleset_version=decision.ruleset_version,
        shadow_outcome=decision.shadow_outcome.value if decision.shadow_outcome else "",
        shadow_score=decision.shadow_score,
        shadow_reasons=_reasons(decision.shadow_reasons),
        provider=decision.provider,
        elapsed_us=min(decision.elapsed_us, 2**31 - 1),
    )
    n, log_sum, log_sq, max_yen = _amount_terms(yen, trusted)
    at = datetime_param(now)
    profile = Statement(
        _PROFILE_UPSERT,
        [keys.card, at, at, int(trusted), n, log_sum, log_sq, max_yen],
    )
    return [insert_statement(assessment), *_observe(keys.card, signal_keys, at, trusted), profile]


def _observe(card: str, signal_keys: list[list[str]], at: Any, trusted: bool) -> list[Statement]:
    if not signal_keys:
        return []
    pairs = [item for pair in signal_keys for item in pair]
    values = ", ".join(["(%s, %s)"] * len(signal_keys))
    return [
        Statement(
            _SIGNAL_UPSERT.format(values=values),
            [card, at, at, int(trusted), *pairs],
        )
    ]


def challenge_recorded(
    *,
    acs_trans_id: uuid.UUID | str,
    trans_status: str,
    reason: str = "",
    cancel: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Learn from a challenge's end: a pass trusts what the authentication presented."""
    try:
        _challenge_recorded(acs_trans_id, trans_status, reason, cancel, now or timezone.now())
    except Exception:  # the history must never break the end of a challenge
        logger.exception("risk history: challenge outcome not recorded")


def _challenge_recorded(
    acs_trans_id: uuid.UUID | str, trans_status: str, reason: str, cancel: str, now: dt.datetime
) -> None:
    if trans_status == "Y":
        result = Assessment.ChallengeResult.PASSED
    elif cancel or reason in ABANDONED_REASONS:
        result = Assessment.ChallengeResult.ABANDONED
    else:
        result = Assessment.ChallengeResult.FAILED
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().filter(acs_trans_id=acs_trans_id).first()
        if assessment is None or assessment.challenge_result:
            return
        assessment.challenge_result = result
        assessment.save(update_fields=["challenge_result"])
        with connection.cursor() as cursor:
            if result == Assessment.ChallengeResult.PASSED:
                _trust(cursor, assessment, now)
            elif result == Assessment.ChallengeResult.FAILED:
                cursor.execute(
                    "UPDATE riskanalysis_cardprofile SET challenge_failures = challenge_failures + 1, "
                    "last_challenge_failed_at = %s WHERE card_key = %s",
                    [datetime_param(now), assessment.card_key],
                )


def _trust(cursor: Any, assessment: Assessment, now: dt.datetime) -> None:
    values = [value for _kind, value in assessment.signal_keys]
    if values:
        marks = ",".join(["%s"] * len(values))
        cursor.execute(
            f"UPDATE riskanalysis_cardsignal SET trusted = trusted + 1 WHERE card_key = %s "  # noqa: S608
            f"AND value_key IN ({marks})",
            [assessment.card_key, *values],
        )
    n, log_sum, log_sq, max_yen = _amount_terms(assessment.amount_yen, True)
    cursor.execute(
        "UPDATE riskanalysis_cardprofile SET trusted_auths = trusted_auths + 1, challenge_failures = 0, "
        "last_challenge_passed_at = %s, amount_n = amount_n + %s, amount_log_sum = amount_log_sum + %s, "
        "amount_log_sq = amount_log_sq + %s, "
        "amount_max_yen = CASE WHEN amount_max_yen < %s THEN %s ELSE amount_max_yen END WHERE card_key = %s",
        [datetime_param(now), n, log_sum, log_sq, max_yen, max_yen, assessment.card_key],
    )


def fraud_mark(
    *,
    pan_fingerprint: str,
    acs_trans_id: uuid.UUID | str | None = None,
    source: str = FraudMark.Source.CARDHOLDER,
    now: dt.datetime | None = None,
) -> FraudMark:
    """Record fraud on a card; with a transaction, distrust its values and deny-list its device.

    `pan_fingerprint` is the card's keyed PAN fingerprint (portal.crypto.pan_fingerprint, the
    value Card.pan_fingerprint and Transaction.pan_fingerprint hold); it is re-keyed here.
    """
    if source not in FraudMark.Source.values:
        raise ValueError(f"unknown fraud mark source {source!r}")
    now = now or timezone.now()
    card = card_key(pan_fingerprint)
    with transaction.atomic():
        mark = FraudMark.objects.create(
            card_key=card, acs_trans_id=acs_trans_id, source=source, created_at=now
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO riskanalysis_cardprofile (card_key, first_seen, last_seen, auths, "
                "trusted_auths, amount_n, amount_log_sum, amount_log_sq, amount_max_yen, fraud_marks, "
                "last_fraud_at, "
                "challenge_failures) VALUES (%s, %s, %s, 0, 0, 0, 0, 0, 0, 1, %s, 0) "
                "ON CONFLICT (card_key) DO UPDATE SET "
                "fraud_marks = riskanalysis_cardprofile.fraud_marks + 1, "
                "last_fraud_at = excluded.last_fraud_at",
                [card, datetime_param(now), datetime_param(now), datetime_param(now)],
            )
            assessment = (
                Assessment.objects.filter(acs_trans_id=acs_trans_id, card_key=card).first()
                if acs_trans_id
                else None
            )
            if assessment is not None:
                _distrust(cursor, assessment, now)
    return mark


def _distrust(cursor: Any, assessment: Assessment, now: dt.datetime) -> None:
    # What the fraudster presented is not the cardholder's, except the merchant they share.
    values = [value for kind, value in assessment.signal_keys if kind != Kind.MERCHANT]
    if values:
        marks = ",".join(["%s"] * len(values))
        cursor.execute(
            f"UPDATE riskanalysis_cardsignal SET trusted = 0 WHERE card_key = %s AND value_key IN ({marks})",  # noqa: S608
            [assessment.card_key, *values],
        )
    expires = now + dt.timedelta(days=settings.RISK_RETENTION_DAYS)
    for kind, value in assessment.signal_keys:
        if kind in METHOD_DEVICE_KINDS:
            DenyEntry.objects.update_or_create(
                value_key=value,
                defaults={
                    "kind": kind,
                    "reason": f"fraud mark on {assessment.acs_trans_id}",
                    "expires_at": expires,
                    "created_by": "fraud_mark",
                },
            )
