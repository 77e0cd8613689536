"""The answer of risk analysis: an outcome, a score and the reasons behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskanalysis.signals import Keys


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
    # Which rule set decided, and what its shadow rules would have decided on top of it.
    ruleset_version: int = 0
    shadow_outcome: Outcome | None = None
    shadow_score: int | None = None
    shadow_reasons: tuple[Reason, ...] = field(default_factory=tuple)
    # "internal", or the external provider's name; "<name>_<failure>" when it failed (provider.py).
    provider: str = "internal"
    elapsed_us: int = 0  # time spent in assess, history look-ups included
    # What assess found of the AReq, so that recording it does not hash or look it up again:
    # the pseudonyms of what it presented, and the country of its browser's IP address.
    keys: Keys | None = field(default=None, compare=False, repr=False)
    ip_country: str | None = field(default=None, compare=False, repr=False)

    @property
    def trans_status_reason(self) -> str | None:
        for reason in self.reasons:
            if reason.trans_status_reason:
                return reason.trans_status_reason
        return None
