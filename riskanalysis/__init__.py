"""Risk analysis: `assess(facts) -> Decision` for every AReq, registered card or not.

The ACS calls, per AReq, `assess`, then stores `history_writes` with its transaction; at the
end of a challenge, `challenge_recorded`; `fraud_mark` for a member's "this wasn't me" (sent by
the portal through portal.hooks) and for support staff's reports in the admin.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.sql import Statement
    from riskanalysis.decision import Decision
    from riskanalysis.facts import Facts
    from riskanalysis.models import FraudMark

logger = logging.getLogger(__name__)


def assess(facts: Facts) -> Decision:
    """Decide frictionless, challenge or reject for one authentication."""
    from riskanalysis.service import assess_with_settings

    return assess_with_settings(facts)


def history_writes(
    facts: Facts, decision: Decision, *, acs_trans_id: uuid.UUID | str, trans_status: str
) -> list[Statement]:
    """Return the writes that keep the assessment and teach the history, for the ACS to send with
    its transaction's own INSERT (one round trip). They never fail the AReq: a failure to build
    them is logged and nothing is learnt; the ACS logs a failure to store them."""
    from riskanalysis.recording import assessment_statements

    try:
        if decision.keys is None:
            raise ValueError("a decision without keys: only assess makes the decisions recorded")
        return assessment_statements(
            facts=facts,
            decision=decision,
            keys=decision.keys,
            acs_trans_id=acs_trans_id,
            trans_status=trans_status,
        )
    except Exception:
        logger.exception("risk history: assessment not recorded")
        return []


def challenge_recorded(
    *, acs_trans_id: uuid.UUID | str, trans_status: str, reason: str = "", cancel: str = ""
) -> None:
    """Learn from the end of a challenge (Y passed; N with a cancel or timeout abandoned; N failed)."""
    from riskanalysis.recording import challenge_recorded as recorded

    recorded(acs_trans_id=acs_trans_id, trans_status=trans_status, reason=reason, cancel=cancel)


def fraud_mark(
    *, pan_fingerprint: str, acs_trans_id: uuid.UUID | str | None = None, source: str = "cardholder"
) -> FraudMark:
    """Record fraud on a card ("cardholder", "support" or "chargeback"), optionally on one transaction."""
    from riskanalysis.recording import fraud_mark as mark

    return mark(pan_fingerprint=pan_fingerprint, acs_trans_id=acs_trans_id, source=source)
