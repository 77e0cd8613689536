"""What the challenge endpoint does with each browser request, as use cases.

Every function returns a `Screen`: the challenge page to show, a form that carries the final
CRes (or an Erro) back to the merchant's notificationURL, or a problem page when no merchant
can be reached. State changes go through `acs.services`, `acs.otp` and `acs.password_method`.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone

from acs import otp, protocol, services
from acs.challenge_tokens import InvalidToken, read_step_token
from acs.models import ResultDelivery, Transaction
from acs.password_method import password_check
from acs.protocol import ProtocolError
from acs.results import result_send
from portal.models import ThreeDSEnrolment


@dataclass(frozen=True)
class Screen:
    kind: str  # "page", "to_merchant" or "problem"
    txn: Transaction | None = None
    error: str = ""
    notice: str = ""
    message: dict[str, Any] = field(default_factory=dict)  # the CRes or Erro for "to_merchant"
    # The threeDSSessionData to echo to the merchant, unchanged (reference §1, row 8): the one
    # posted with this CReq; None for the pages' forms, which echo the first CReq's.
    session_data: str | None = None
    username: str = ""  # the My Net+ ID typed before a wrong password, to show it again


def _find(acs_trans_id: object) -> Transaction | None:
    try:
        key = uuid.UUID(str(acs_trans_id))
    except ValueError:
        return None
    return Transaction.objects.select_related("card__account__enrolment").filter(acs_trans_id=key).first()


def _erro(txn: Transaction, code: str, detail: str) -> dict[str, Any]:
    return txn.erro(code, detail, message_type="CReq")


def _abort(txn: Transaction, code: str, detail: str) -> Screen:
    """End an active challenge as U (RReq, challengeCancel 10/06) and tell the merchant why."""
    cancel = "10" if protocol.at_least(txn.message_version, "2.3.1") else "06"
    done = services.challenge_complete(
        acs_trans_id=txn.acs_trans_id, trans_status="U", reason="07", cancel=cancel
    )
    if done is not None:
        _deliver(done)
    return Screen("to_merchant", txn, message=_erro(txn, code, detail))


def _deliver(txn: Transaction) -> None:
    """Send the RReq now (its timers bound the wait); the outbox retries if the DS is down."""
    delivery_id = ResultDelivery.objects.filter(transaction=txn).values_list("pk", flat=True).first()
    if delivery_id is not None:
        result_send(delivery_id=delivery_id)  # a no-op unless it is still pending


def finished(txn: Transaction) -> Screen:
    """The final CRes for the merchant (transStatus Y or N); an Erro if it ended otherwise."""
    if txn.trans_status not in ("Y", "N"):
        return Screen(
            "to_merchant",
            txn,
            message=_erro(txn, "402" if txn.trans_status_reason == "14" else "305", "challenge ended"),
        )
    cres = protocol.build_cres(
        message_version=txn.message_version,
        three_ds_server_trans_id=str(txn.three_ds_server_trans_id),
        acs_trans_id=str(txn.acs_trans_id),
        trans_status=txn.trans_status,
    )
    return Screen("to_merchant", txn, message=cres)


def _complete_and_finish(txn: Transaction) -> Screen:
    if txn.state == Transaction.State.COMPLETED:
        _deliver(txn)
    return finished(txn)


def creq_receive(*, creq: str, session_data: str, accept_language: str) -> Screen:
    """Handle a CReq posted by the 3DS Requestor's page (reference §5 for every odd case).

    `accept_language` is the browser's Accept-Language header, for the SMS of the first page.
    """
    return replace(_creq_receive(creq, session_data, accept_language), session_data=session_data)


def _creq_receive(creq: str, session_data: str, accept_language: str) -> Screen:
    try:
        message = protocol.parse_creq(creq, session_data=session_data)
    except ProtocolError as error:
        # A CReq that decodes names its transaction even when a field is wrong (error.ids).
        txn = _find(error.ids.get("acsTransID"))
        if txn is None:
            return Screen("problem", error=error.code)
        return _invalid(txn, error.code, error.detail)
    txn = _find(message.acsTransID)
    if txn is None:
        return Screen("problem", error="301")
    if message.messageVersion != txn.message_version:
        return _invalid(txn, "203", "messageVersion")
    if str(message.threeDSServerTransID) != str(txn.three_ds_server_trans_id):
        return _invalid(txn, "203", "threeDSServerTransID")
    return _creq_for(
        txn,
        hashlib.sha256(creq.encode()).hexdigest(),
        message.challengeWindowSize,
        session_data,
        accept_language,
    )


def _invalid(txn: Transaction, code: str, detail: str) -> Screen:
    """Answer an invalid CReq: an active challenge ends U, unless its timer ran out first."""
    if txn.state not in services.ACTIVE_CHALLENGE:
        return Screen("to_merchant", txn, message=_erro(txn, code, detail))
    if cancel := services.challenge_timed_out(txn, timezone.now()):
        return _late(txn, cancel)
    return _abort(txn, code, detail)


def _late(txn: Transaction, cancel: str) -> Screen:
    """A CReq for a challenge whose timer ran out: end it N/14 and answer 402 [Req 221/222]."""
    done = services.challenge_expire(acs_trans_id=txn.acs_trans_id, cancel=cancel)
    if done is not None:
        _deliver(done)
    return Screen(
        "to_merchant", txn, message=_erro(txn, "402", "CReq received after the challenge timed out")
    )


def _creq_for(
    txn: Transaction, digest: str, window_size: str, session_data: str, accept_language: str
) -> Screen:
    if txn.state in (Transaction.State.ANSWERED, Transaction.State.ENDED_BY_DS):
        return Screen("to_merchant", txn, message=_erro(txn, "305", "acsTransID"))
    if txn.state == Transaction.State.COMPLETED:
        if txn.challenge_cancel == services.CANCEL_NO_CREQ:  # its 30 s ran out before this CReq
            return Screen("to_merchant", txn, message=_erro(txn, "402", "CReq received after 30 seconds"))
        return Screen("to_merchant", txn, message=_erro(txn, "315", "acsTransID"))
    if txn.state == Transaction.State.AWAITING_CREQ:
        begun = services.challenge_begin(
            acs_trans_id=txn.acs_trans_id,
            creq_digest=digest,
            window_size=window_size,
            session_data=session_data,
        )
        if begun.started:
            return _first_page(begun.txn, accept_language)
        if begun.txn.state == Transaction.State.AWAITING_CREQ:
            return _late(begun.txn, services.CANCEL_NO_CREQ)
        # Between our read and the lock another CReq started the challenge, or the expiry sweep
        # ended it: this CReq is judged again on the row as it is now.
        return _creq_for(begun.txn, digest, window_size, session_data, accept_language)
    # A second CReq while the challenge runs: a reload re-serves the page, anything else aborts.
    if digest != txn.creq_digest:
        return _abort(txn, "305", "second CReq for a running challenge")
    return _page_or_timeout(txn, notice="")


def _first_page(txn: Transaction, accept_language: str) -> Screen:
    if _method(txn) == ThreeDSEnrolment.Method.SMS_OTP:
        sent = otp.otp_send_first(txn=txn, accept_language=accept_language)
        return Screen("page", txn, error=sent.error)
    return Screen("page", txn)


def _method(txn: Transaction) -> str:
    return txn.card.account.enrolment.method  # type: ignore[union-attr]


def _page_or_timeout(txn: Transaction, *, notice: str, error: str = "", username: str = "") -> Screen:
    if cancel := services.challenge_timed_out(txn, timezone.now()):
        # None: someone else ended it, or restarted its timer, since `txn` was read.
        txn = (
            services.challenge_expire(acs_trans_id=txn.acs_trans_id, cancel=cancel)
            or _find(txn.acs_trans_id)
            or txn
        )
    if txn.state != Transaction.State.CHALLENGING:
        return _complete_and_finish(txn)
    txn = services.challenge_touch(acs_trans_id=txn.acs_trans_id)
    return Screen("page", txn, error=error, notice=notice, username=username)


def step_receive(*, token: str, action: str, fields: dict[str, str], accept_language: str) -> Screen:
    """Handle a form posted from a challenge page: submit, resend or cancel.

    `accept_language` is the browser's Accept-Language header, for the SMS of a resend.
    """
    try:
        step = read_step_token(token)
    except InvalidToken:
        return Screen("problem", error="token")
    txn = _find(step.acs_trans_id)
    if txn is None:
        return Screen("problem", error="301")
    if txn.state == Transaction.State.COMPLETED:
        # The form that ended the challenge, posted twice: show the same result; older ones are refused.
        return finished(txn) if step.step == txn.challenge_step else Screen("problem", txn, error="ended")
    if txn.state != Transaction.State.CHALLENGING:
        return Screen("problem", txn, error="token")
    if step.expired or services.challenge_timed_out(txn, timezone.now()):
        return _page_or_timeout(txn, notice="")
    if step.step != txn.challenge_step:
        return _page_or_timeout(txn, notice="stale")
    return _act(txn, action, fields, accept_language)


def _act(txn: Transaction, action: str, fields: dict[str, str], accept_language: str) -> Screen:
    if action == "cancel":
        done = services.challenge_complete(
            acs_trans_id=txn.acs_trans_id,
            trans_status="N",
            reason=services.cancel_reason(txn.message_version),
            cancel="01",
        )
        return _complete_and_finish(done or txn)
    method = _method(txn)
    if action == "resend" and method == ThreeDSEnrolment.Method.SMS_OTP:
        resent = otp.otp_resend(txn=txn, accept_language=accept_language)
        return _page_or_timeout(resent.txn, notice="" if resent.error else "resent", error=resent.error)
    if action != "submit":
        return _page_or_timeout(txn, notice="")
    if method == ThreeDSEnrolment.Method.SMS_OTP:
        checked = otp.otp_check(txn=txn, code=fields.get("code", ""))
        return _page_or_timeout(checked.txn, notice="", error=checked.error)
    username = fields.get("username", "")
    result = password_check(txn=txn, username=username, password=fields.get("password", ""))
    # The ID comes back for the next try; the password never does.
    return _page_or_timeout(result.txn, notice="", error=result.error, username=username)
