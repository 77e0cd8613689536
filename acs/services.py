"""Every change of an authentication's state happens here, under `select_for_update()`.

State machine of a Transaction (`state`, with `trans_status` in brackets):

    AReq --(frictionless / not authenticated / rejected)--> ANSWERED [Y, N, R, U]   final
    AReq --(challenge)--> AWAITING_CREQ [C]
    AWAITING_CREQ --(first CReq within 30 s)--> CHALLENGING [C]
    AWAITING_CREQ --(no CReq in 30 s)--> COMPLETED [N/14, challengeCancel 05]
    CHALLENGING --(code or password right)--> COMPLETED [Y]
    CHALLENGING --(too many wrong entries)--> COMPLETED [N/19]
    CHALLENGING --(cardholder cancels)--> COMPLETED [N, challengeCancel 01]
    CHALLENGING --(10 minutes idle on a page)--> COMPLETED [N/14, challengeCancel 04]
    CHALLENGING --(locked account)--> COMPLETED [N/01]
    AWAITING_CREQ --(Erro from the DS: the ARes did not reach the requestor)--> ENDED_BY_DS [C]

Entering COMPLETED queues exactly one RReq in the same database transaction (acs.results), so a
result is never lost and never queued twice. ENDED_BY_DS queues none: the 30-second timer sends
its RReq only "if an Error Message has not been received from the DS" [Req 221], and the DS
sends one when its read of the ARes timed out [Req 235].
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

import riskanalysis
from acs import authentication_value as av
from acs import directory, policy, protocol
from acs.facts import facts_for
from acs.models import DirectoryServer, Transaction
from acs.protocol import AReq, ProtocolError
from acs.results import result_queue
from acs.texts import cardholder_info_for
from config import sql
from portal import crypto
from portal.cardholder_records import CardRecord, cardholder_read
from portal.cards import mask_pan
from portal.models import ThreeDSEnrolment
from riskanalysis.selectors import method_device_read

log = logging.getLogger(__name__)

AUTHENTICATION_TYPE = {
    # EMV authenticationType: 01 static passcode, 02 dynamic (an SMS OTP).
    ThreeDSEnrolment.Method.SMS_OTP: "02",
    ThreeDSEnrolment.Method.PASSWORD: "01",
}


@dataclass(frozen=True)
class Authentication:
    ares: dict[str, Any]
    transaction: Transaction


def authenticate(*, areq: AReq, directory_server: DirectoryServer | None) -> Authentication:
    """Answer one AReq: find the card, ask risk analysis, apply policy, store and build the ARes."""
    card_range = directory.card_range_for(areq.acctNumber)
    if card_range is None:
        raise ProtocolError(
            "305",
            "acctNumber",
            message_type="AReq",
            message_version=areq.messageVersion,
            ids=areq.ids,
            description="Transaction Data Not Valid: card not in this ACS's ranges",
        )
    fingerprint = crypto.pan_fingerprint(areq.acctNumber)
    cardholder, method_device = sql.read_together(
        cardholder_read(fingerprint), method_device_read(areq.threeDSServerTransID)
    )
    card = cardholder.card if cardholder is not None else None
    enrolment = cardholder.enrolment if cardholder is not None else None
    facts = facts_for(areq, fingerprint, cardholder, method_device)
    decision = riskanalysis.assess(facts)
    when = timezone.now()  # the ACS's clock: purchaseDate is the requestor's to backdate
    answer = policy.answer_for(
        decision=decision,
        device_channel=areq.deviceChannel,
        card_known=card is not None,
        card_expired=card is not None and card.expired_at(when),
        enrolled=enrolment is not None,
    )
    txn = new_transaction(areq, directory_server, fingerprint, card, card_range.brand, answer)
    txn.risk_score = decision.score
    txn.risk_reasons = [r.code for r in decision.reasons]
    if answer.trans_status in ("Y", "A"):
        txn.eci = av.eci_for(txn.brand, answer.trans_status)
        txn.authentication_value = av.compute(av_input(txn))
    if answer.challenge and enrolment is not None:
        txn.authentication_type = AUTHENTICATION_TYPE[enrolment.method]
    learning = riskanalysis.history_writes(
        facts, decision, acs_trans_id=txn.acs_trans_id, trans_status=txn.trans_status
    )
    try:
        _store(txn, learning)
    except IntegrityError:
        # A replayed threeDSServerTransID or dsTransID: never mint a second acsTransID for it.
        raise ProtocolError(
            "312",
            "threeDSServerTransID,dsTransID",
            message_type="AReq",
            message_version=areq.messageVersion,
            ids=areq.ids,
        ) from None
    return Authentication(ares=_ares(areq, txn), transaction=txn)


def _store(txn: Transaction, learning: list[sql.Statement]) -> None:
    """Store the transaction and, in the same statement, what risk analysis learns from it.

    The risk history must never fail an AReq: when the statement fails, the transaction is
    stored alone. That also tells the two failures apart: a replay fails again (IntegrityError).
    """
    try:
        sql.insert(txn, together=learning)
    except DatabaseError:
        if not learning:
            raise
        sql.insert(txn)
        log.exception("risk history: assessment not recorded")


def new_transaction(
    areq: AReq,
    ds: DirectoryServer | None,
    pan_fingerprint: str,
    card: CardRecord | None,
    brand: str,
    answer: policy.Answer,
) -> Transaction:
    """The unsaved Transaction of an AReq answered with `answer`."""
    return Transaction(
        acs_trans_id=uuid.uuid4(),
        three_ds_server_trans_id=areq.threeDSServerTransID,
        ds_trans_id=areq.dsTransID,
        ds_reference_number=areq.dsReferenceNumber,
        ds_url=areq.dsURL,
        directory_server=ds,
        message_version=areq.messageVersion,
        message_category=areq.messageCategory,
        device_channel=areq.deviceChannel,
        card_id=card.id if card is not None else None,
        pan_fingerprint=pan_fingerprint,
        masked_pan=mask_pan(areq.acctNumber),
        brand=card.brand if card is not None else brand,
        purchase_amount=int(areq.purchaseAmount or 0),
        purchase_currency=areq.purchaseCurrency or "",
        purchase_exponent=int(areq.purchaseExponent or 0),
        purchase_date=areq.purchase_datetime,
        merchant_name=areq.merchantName or "",
        mcc=areq.mcc or "",
        merchant_country=areq.merchantCountryCode or "",
        acquirer_bin=areq.acquirerBIN or "",
        acquirer_merchant_id=areq.acquirerMerchantID or "",
        requestor_id=areq.threeDSRequestorID,
        requestor_name=areq.threeDSRequestorName,
        requestor_url=areq.threeDSRequestorURL,
        challenge_indicators=",".join(areq.challenge_indicators),
        notification_url=areq.notificationURL or "",
        browser_language=areq.cardholder_language,
        browser_user_agent=areq.browserUserAgent or "",
        browser_ip=areq.browserIP or None,
        browser_accept_header=areq.browserAcceptHeader or "",
        browser_screen=areq.browser_screen,
        browser_tz=areq.browserTZ or "",
        browser_javascript_enabled=areq.browserJavascriptEnabled,
        three_ds_comp_ind=areq.threeDSCompInd or "",
        state=Transaction.State.AWAITING_CREQ if answer.challenge else Transaction.State.ANSWERED,
        trans_status=answer.trans_status,
        trans_status_reason=answer.reason,
        acs_challenge_mandated=answer.mandated,
    )


def av_input(txn: Transaction) -> av.AvInput:
    return av.AvInput(
        acs_trans_id=str(txn.acs_trans_id),
        ds_trans_id=str(txn.ds_trans_id),
        three_ds_server_trans_id=str(txn.three_ds_server_trans_id),
        pan_fingerprint=txn.pan_fingerprint,
        purchase_amount=str(int(txn.purchase_amount)),
        purchase_currency=txn.purchase_currency,
        trans_status=txn.trans_status,
        eci=txn.eci,
    )


def verify_av(*, txn: Transaction, value: str) -> bool:
    """Check an authentication value presented at authorisation against its transaction."""
    if txn.trans_status not in ("Y", "A") or not txn.eci:
        return False
    return av.verify(value, av_input(txn))


def _ares(areq: AReq, txn: Transaction) -> dict[str, Any]:
    challenge = txn.trans_status == "C"
    return protocol.build_ares(
        message_version=txn.message_version,
        three_ds_server_trans_id=areq.threeDSServerTransID,
        ds_trans_id=areq.dsTransID,
        acs_trans_id=str(txn.acs_trans_id),
        acs_reference_number=settings.ACS_REFERENCE_NUMBER,
        acs_operator_id=settings.ACS_OPERATOR_ID or None,
        ds_reference_number=areq.dsReferenceNumber,
        trans_status=txn.trans_status,
        trans_status_reason=txn.trans_status_reason or None,
        eci=txn.eci or None,
        authentication_value=txn.authentication_value or None,
        acs_url=f"{settings.ACS_BASE_URL}/acs/challenge" if challenge else None,
        acs_challenge_mandated=txn.acs_challenge_mandated,
        authentication_type=txn.authentication_type or None,
        cardholder_info=cardholder_info_for(txn.trans_status, txn.trans_status_reason, txn.browser_language),
    )


def challenge_complete(
    *,
    acs_trans_id: uuid.UUID | str,
    trans_status: str,
    reason: str = "",
    cancel: str = "",
    attempt: bool = False,
) -> Transaction | None:
    """End a challenge with its final status and queue its one RReq; None if it had already ended.

    `attempt` counts the entry that ended it (a right code, the wrong one that locked the account).
    """
    with transaction.atomic():
        txn = _locked_active(acs_trans_id)
        if txn is None:
            return None
        _complete(txn, trans_status=trans_status, reason=reason, cancel=cancel, attempt=attempt)
    return txn


def _locked_active(acs_trans_id: uuid.UUID | str) -> Transaction | None:
    txn = Transaction.objects.select_for_update().filter(acs_trans_id=acs_trans_id).first()
    return txn if txn is not None and txn.state in ACTIVE_CHALLENGE else None


def _complete(
    txn: Transaction, *, trans_status: str, reason: str, cancel: str, attempt: bool = False
) -> None:
    txn.state = Transaction.State.COMPLETED
    txn.trans_status = trans_status
    txn.trans_status_reason = reason
    txn.challenge_cancel = cancel
    txn.completed_at = timezone.now()
    txn.interaction_counter += int(attempt)
    if trans_status == "Y":
        txn.eci = av.eci_for(txn.brand, "Y")
        txn.authentication_value = av.compute(av_input(txn))
    txn.save()
    result_queue(txn=txn, rreq=_rreq(txn))
    riskanalysis.challenge_recorded(
        acs_trans_id=txn.acs_trans_id, trans_status=trans_status, reason=reason, cancel=cancel
    )


def ds_error_receive(*, erro: protocol.Erro, directory_server: DirectoryServer | None) -> Transaction | None:
    """Record an Erro a DS sent about one of our transactions, and end a challenge that still
    awaits its first CReq: the requestor never got the ARes, so no CReq and no RReq will follow.

    Return the transaction, or None when no transaction of that DS has all the Erro's IDs. Never
    raise: the Erro is acknowledged anyway, and a challenge it could not end is ended by its
    30-second timer, as if the Erro had not come.
    """
    try:
        with transaction.atomic():
            txn = _erro_subject(erro, directory_server)
            if txn is not None:
                _record_ds_error(txn, erro, ended=txn.state == Transaction.State.AWAITING_CREQ)
    except DatabaseError:
        log.exception("Erro %s from a DS not recorded", erro.errorCode)
        return None
    if txn is None:
        # The IDs only: the Erro's texts come from outside and are kept out of the logs.
        log.warning(
            "Erro %s from a DS for no transaction of ours (dsTransID %s)", erro.errorCode, erro.dsTransID
        )
    else:
        log.info("Erro %s from the DS for %s (%s)", erro.errorCode, txn.acs_trans_id, txn.state)
    return txn


def _erro_subject(erro: protocol.Erro, ds: DirectoryServer | None) -> Transaction | None:
    ids = {
        "ds_trans_id": erro.dsTransID,
        "acs_trans_id": erro.acsTransID,
        "three_ds_server_trans_id": erro.threeDSServerTransID,
    }
    given = {field: value for field, value in ids.items() if value}
    if not given:
        return None
    found = Transaction.objects.select_for_update().filter(**given)
    if ds is not None:  # one DS may not end another's transactions
        found = found.filter(Q(directory_server__isnull=True) | Q(directory_server=ds))
    return found.first()


def _record_ds_error(txn: Transaction, erro: protocol.Erro, *, ended: bool) -> None:
    txn.ds_error_code = erro.errorCode
    txn.ds_error_description = erro.errorDescription
    txn.ds_error_detail = erro.errorDetail
    fields = ["ds_error_code", "ds_error_description", "ds_error_detail", "updated_at"]
    if ended:
        txn.state = Transaction.State.ENDED_BY_DS
        txn.completed_at = timezone.now()
        fields += ["state", "completed_at"]
    txn.save(update_fields=fields)


def _rreq(txn: Transaction) -> dict[str, Any]:
    return protocol.build_rreq(
        message_version=txn.message_version,
        message_category=txn.message_category,
        three_ds_server_trans_id=str(txn.three_ds_server_trans_id),
        acs_trans_id=str(txn.acs_trans_id),
        ds_trans_id=str(txn.ds_trans_id),
        trans_status=txn.trans_status,
        trans_status_reason=txn.trans_status_reason or None,
        authentication_value=txn.authentication_value or None,
        eci=txn.eci or None,
        authentication_type=txn.authentication_type or None,
        interaction_counter=txn.interaction_counter,
        challenge_cancel=txn.challenge_cancel or None,
    )


# --- Challenge (browser) -------------------------------------------------------------------------

ACTIVE_CHALLENGE = (Transaction.State.AWAITING_CREQ, Transaction.State.CHALLENGING)


def _locked(acs_trans_id: uuid.UUID | str) -> Transaction:
    # `of=("self",)`: lock the transaction row only; PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer joins that select_related makes, and the card needs no lock here.
    return (
        Transaction.objects.select_for_update(of=("self",))
        .select_related("card__account__enrolment")
        .get(acs_trans_id=acs_trans_id)
    )


# The two challenge timers, each with the challengeCancel its expiry reports (reason 14):
# [Req 220/221] no first CReq within 30 s -> 05; a page left idle for 10 minutes -> 04.
CANCEL_NO_CREQ, CANCEL_IDLE = "05", "04"


def _timer_cutoffs(now: dt.datetime) -> dict[str, dt.datetime]:
    return {
        CANCEL_NO_CREQ: now - dt.timedelta(seconds=settings.CHALLENGE_FIRST_CREQ_SECONDS),
        CANCEL_IDLE: now - dt.timedelta(seconds=settings.CHALLENGE_INACTIVITY_SECONDS),
    }


def challenge_timed_out(txn: Transaction, now: dt.datetime) -> str | None:
    """Return the challengeCancel of the timer this challenge has run out of, or None."""
    cutoffs = _timer_cutoffs(now)
    if txn.state == Transaction.State.AWAITING_CREQ and txn.created_at < cutoffs[CANCEL_NO_CREQ]:
        return CANCEL_NO_CREQ
    if (
        txn.state == Transaction.State.CHALLENGING
        and (txn.last_activity_at or txn.created_at) < cutoffs[CANCEL_IDLE]
    ):
        return CANCEL_IDLE
    return None


def challenge_expire(
    *, acs_trans_id: uuid.UUID | str, cancel: str, now: dt.datetime | None = None
) -> Transaction | None:
    """End a challenge whose timer ran out: N/14 with the timer's challengeCancel.

    Return None if it had already ended or its timer is no longer out: the caller looked at an
    unlocked row, and a first CReq may have started the challenge since.
    """
    with transaction.atomic():
        txn = _locked_active(acs_trans_id)
        if txn is None or challenge_timed_out(txn, now or timezone.now()) != cancel:
            return None
        _complete(txn, trans_status="N", reason="14", cancel=cancel)
    return txn


@dataclass(frozen=True)
class Begun:
    txn: Transaction  # as locked: a CReq that did not start the challenge is judged on it again
    started: bool


def challenge_begin(
    *, acs_trans_id: uuid.UUID | str, creq_digest: str, window_size: str, session_data: str
) -> Begun:
    """Accept the first CReq: the challenge is now in progress and its first page is due.

    `started` is False when the transaction was not awaiting its first CReq any more, or its
    30 seconds had run out: another CReq or the expiry sweep may have won the lock.
    """
    with transaction.atomic():
        txn = _locked(acs_trans_id)
        now = timezone.now()
        if txn.state != Transaction.State.AWAITING_CREQ or challenge_timed_out(txn, now):
            return Begun(txn, started=False)
        txn.state = Transaction.State.CHALLENGING
        txn.creq_digest = creq_digest
        txn.challenge_window_size = window_size
        txn.three_ds_session_data = session_data
        txn.creq_received_at = now
        txn.last_activity_at = now
        txn.challenge_step += 1
        txn.save(
            update_fields=[
                "state",
                "creq_digest",
                "challenge_window_size",
                "three_ds_session_data",
                "creq_received_at",
                "last_activity_at",
                "challenge_step",
                "updated_at",
            ]
        )
    return Begun(txn, started=True)


def challenge_touch(*, acs_trans_id: uuid.UUID | str) -> Transaction:
    """Serve a fresh page of a running challenge: restart its inactivity timer, expire old forms."""
    with transaction.atomic():
        txn = _locked(acs_trans_id)
        if txn.state == Transaction.State.CHALLENGING:
            txn.last_activity_at = timezone.now()
            txn.challenge_step += 1
            txn.save(update_fields=["last_activity_at", "challenge_step", "updated_at"])
    return txn


def challenge_count_attempt(*, acs_trans_id: uuid.UUID | str) -> Transaction:
    """Count one cardholder attempt (interactionCounter); end N/19 at the ACS maximum."""
    with transaction.atomic():
        txn = _locked(acs_trans_id)
        if txn.state != Transaction.State.CHALLENGING:
            return txn
        txn.interaction_counter += 1
        txn.save(update_fields=["interaction_counter", "updated_at"])
        exhausted = txn.interaction_counter >= settings.OTP_MAX_ATTEMPTS
    if exhausted:
        return challenge_complete(acs_trans_id=acs_trans_id, trans_status="N", reason="19") or txn
    return txn


def cancel_reason(message_version: str) -> str:
    # 26 "attempted but not performed by the cardholder" exists from 2.2.0; 2.1.0 has only 01.
    return "26" if protocol.at_least(message_version, "2.2.0") else "01"


def challenges_expire(*, now: dt.datetime | None = None) -> list[Transaction]:
    """End challenges whose first CReq never came (cancel 05) or whose page sat idle (cancel 04)."""
    now = now or timezone.now()
    cutoffs = _timer_cutoffs(now)
    due = {
        CANCEL_NO_CREQ: Transaction.objects.filter(
            state=Transaction.State.AWAITING_CREQ, created_at__lt=cutoffs[CANCEL_NO_CREQ]
        ),
        CANCEL_IDLE: Transaction.objects.filter(
            state=Transaction.State.CHALLENGING, last_activity_at__lt=cutoffs[CANCEL_IDLE]
        ),
    }
    ended = []
    for cancel, stale in due.items():
        for acs_trans_id in stale.values_list("acs_trans_id", flat=True):
            if (txn := challenge_expire(acs_trans_id=acs_trans_id, cancel=cancel, now=now)) is not None:
                ended.append(txn)
    return ended
