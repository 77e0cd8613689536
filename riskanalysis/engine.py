"""Risk decision from facts: pure functions, no database.

Baseline rule set. Hard rules decide outright (a card that is not active is rejected; a
requestor's mandate forces a challenge); soft rules add to a score that maps to an outcome by
thresholds. A requestor that asks for no challenge (an exemption) raises the challenge
threshold: its preference is honoured while the risk stays moderate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from riskanalysis.decision import Decision, Outcome, Reason
from riskanalysis.facts import Facts

CHALLENGE_MANDATE = "04"
CHALLENGE_PREFERENCE = "03"
# 02 no challenge; 05 TRA done; 07 SCA already done; 08 trust list; 10 low value; 11 secure corporate.
NO_CHALLENGE_PREFERENCES = frozenset({"02", "05", "07", "08", "10", "11"})

# Approximate yen per major unit, to compare foreign amounts with a yen threshold. Coarse on
# purpose: the threshold is a risk knob, not an accounting figure.
YEN_PER_UNIT = {"392": 1.0, "840": 150.0, "978": 160.0, "826": 190.0, "156": 21.0, "410": 0.11, "901": 4.7}


@dataclass(frozen=True, slots=True)
class Policy:
    challenge_amount_jpy: int = 100_000
    challenge_at: int = 50
    challenge_at_when_exempt: int = 80
    reject_at: int = 100


def _card_not_active(facts: Facts) -> Reason | None:
    if not facts.card_known or facts.card_status == "active":
        return None
    reason = {"lost": "10", "closed": "12", "replaced": "06"}.get(facts.card_status or "", "12")
    return Reason("card_not_active", 100, "The card is not active.", "カードが有効ではありません。", reason)


def _amount_in_yen(facts: Facts) -> float | None:
    rate = YEN_PER_UNIT.get(facts.currency)
    return None if rate is None else facts.amount_major * rate


def _amount_rule(policy: Policy) -> Callable[[Facts], Reason | None]:
    def rule(facts: Facts) -> Reason | None:
        yen = _amount_in_yen(facts)
        if yen is None:
            return Reason("unknown_currency", 60, "The currency is not one we price.", "通貨が想定外です。")
        if yen > policy.challenge_amount_jpy * 5:
            return Reason(
                "amount_far_above_threshold",
                90,
                "The amount is far above the limit for frictionless.",
                "金額が基準を大きく上回っています。",
            )
        if yen > policy.challenge_amount_jpy:
            return Reason(
                "amount_above_threshold",
                60,
                "The amount is above the limit for frictionless.",
                "金額が基準を上回っています。",
            )
        return None

    return rule


def assess(facts: Facts, policy: Policy | None = None) -> Decision:
    policy = policy or Policy()
    reasons = tuple(r for rule in (_card_not_active, _amount_rule(policy)) if (r := rule(facts)) is not None)
    score = min(sum(r.score for r in reasons), 100)
    mandated = CHALLENGE_MANDATE in facts.challenge_indicators
    if score >= policy.reject_at:
        return Decision(Outcome.REJECT, score, reasons, mandated)
    if mandated or CHALLENGE_PREFERENCE in facts.challenge_indicators:
        wants = "mandate" if mandated else "preference"
        reason = Reason(
            f"requestor_challenge_{wants}",
            0,
            f"The requestor asked for a challenge ({wants}).",
            "加盟店が本人認証を求めています。",
        )
        return Decision(Outcome.CHALLENGE, score, (*reasons, reason), mandated)
    exempt = bool(NO_CHALLENGE_PREFERENCES & set(facts.challenge_indicators))
    threshold = policy.challenge_at_when_exempt if exempt else policy.challenge_at
    outcome = Outcome.CHALLENGE if score >= threshold else Outcome.FRICTIONLESS
    return Decision(outcome, score, reasons, mandated)
