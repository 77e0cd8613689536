"""The answer of risk analysis: an outcome, a score and the reasons behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    FRICTIONLESS = "frictionless"
    CHALLENGE = "challenge"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # stable identifier, e.g. "amount_above_threshold"
    score: int
    text_en: str
    text_ja: str
    # The EMV transStatusReason this reason suggests when it decides a rejection.
    trans_status_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    mandated: bool = False  # the requestor mandated a challenge (acsChallengeMandated=Y)

    @property
    def trans_status_reason(self) -> str | None:
        for reason in self.reasons:
            if reason.trans_status_reason:
                return reason.trans_status_reason
        return None
