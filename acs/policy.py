"""Turn a risk decision into an ARes answer: the ACS's policy over risk, enrolment and channel.

Pure: given the facts of the card and the decision, say which transStatus to answer and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskanalysis.decision import Decision, Outcome

# transStatusReason codes (reference §2.2).
REASON_CARD_AUTH_FAILED = "01"
REASON_UNSUPPORTED_DEVICE = "03"
REASON_EXPIRED_CARD = "05"
REASON_NO_CARD_RECORD = "08"
REASON_SUSPECTED_FRAUD = "11"
REASON_NOT_ENROLLED = "13"
REASON_NPA_NOT_SUPPORTED = "20"
REASON_3RI_NOT_SUPPORTED = "21"


@dataclass(frozen=True)
class Answer:
    trans_status: str
    reason: str = ""
    challenge: bool = False
    mandated: bool = False


def answer_for(
    *, decision: Decision, device_channel: str, card_known: bool, card_expired: bool, enrolled: bool
) -> Answer:
    if device_channel == "03":
        return Answer("U", REASON_3RI_NOT_SUPPORTED)
    if device_channel != "02":
        # The app channel needs an SDK-side UI this ACS does not offer [Req 26].
        return Answer("U", REASON_UNSUPPORTED_DEVICE)
    if decision.outcome is Outcome.REJECT:
        return Answer("R", decision.trans_status_reason or REASON_SUSPECTED_FRAUD)
    if not card_known:
        # In our ranges, but the issuer's card file has no such card.
        return Answer("N", REASON_NO_CARD_RECORD)
    if card_expired:
        return Answer("N", REASON_EXPIRED_CARD)
    if decision.outcome is Outcome.CHALLENGE:
        if enrolled:
            return Answer("C", challenge=True, mandated=decision.mandated)
        # Risk asks for proof we cannot get: the reference's N/13 for a card in range, not enrolled.
        return Answer("N", REASON_NOT_ENROLLED)
    return Answer("Y")
