"""Risk decision from facts: pure functions, no database.

Hard rules decide outright (a card that is not active, a deny-listed device, a burst of cards
from one device: reject); a requestor's mandate forces a challenge; soft rules add their weights
to a score that maps to an outcome by thresholds. A requestor that asks for no challenge (an
exemption) raises the challenge threshold: its preference is honoured while the risk stays
moderate.

A rule set (`Policy`) switches each rule on, off or to *shadow*: a shadow rule is evaluated and
its would-be decision recorded beside the applied one, so risk staff see what a change would do
before they make it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from riskanalysis.decision import Decision, Outcome, Reason
from riskanalysis.facts import Facts
from riskanalysis.rules import ALL_RULES, RULES, Params

CHALLENGE_MANDATE = "04"
CHALLENGE_PREFERENCE = "03"
# 02 no challenge; 05 TRA done; 07 SCA already done; 08 trust list; 10 low value; 11 secure corporate.
NO_CHALLENGE_PREFERENCES = frozenset({"02", "05", "07", "08", "10", "11"})
# A card that is not active is rejected whatever a rule set says.
ALWAYS_ON = frozenset({"card_lost", "card_closed", "card_replaced"})


class Mode(StrEnum):
    ON = "on"
    SHADOW = "shadow"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Policy:
    challenge_at: int = 50
    challenge_at_when_exempt: int = 80
    reject_at: int = 100
    params: Params = field(default_factory=Params)
    weights: Mapping[str, int] = field(default_factory=dict)  # overrides of RULES' defaults
    modes: Mapping[str, Mode] = field(default_factory=dict)  # absent: on
    version: int = 0  # the rule set's version; 0 is the built-in default

    def mode(self, code: str) -> Mode:
        return Mode.ON if code in ALWAYS_ON else self.modes.get(code, Mode.ON)

    def reason(self, code: str) -> Reason:
        spec = RULES[code]
        return Reason(
            code, self.weights.get(code, spec.weight), spec.text_en, spec.text_ja, spec.trans_status_reason
        )


def evaluate(facts: Facts, policy: Policy) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
    """Return the reasons of the rules that fired: (applied, shadow)."""
    applied: list[Reason] = []
    shadow: list[Reason] = []
    for rule in ALL_RULES:
        code = rule(facts, policy.params)
        if code is None:
            continue
        mode = policy.mode(code)
        if mode is Mode.ON:
            applied.append(policy.reason(code))
        elif mode is Mode.SHADOW:
            shadow.append(policy.reason(code))
    return tuple(applied), tuple(shadow)


def score_of(reasons: Iterable[Reason]) -> int:
    return max(0, min(sum(r.score for r in reasons), 100))


def is_hard(reason: Reason) -> bool:
    spec = RULES.get(reason.code)
    return spec is not None and spec.hard


# The requestor's own wish for a challenge, as a reason: by whether it was a mandate.
REQUESTOR_REASONS = {
    True: Reason(
        "requestor_challenge_mandate",
        0,
        "The requestor asked for a challenge (mandate).",
        "加盟店が本人認証を求めています。",
    ),
    False: Reason(
        "requestor_challenge_preference",
        0,
        "The requestor asked for a challenge (preference).",
        "加盟店が本人認証を求めています。",
    ),
}


def decide(facts: Facts, reasons: tuple[Reason, ...], policy: Policy) -> Decision:
    """Map reasons to an outcome: hard rules, then the requestor's wishes, then thresholds."""
    score = score_of(reasons)
    mandated = CHALLENGE_MANDATE in facts.challenge_indicators
    if any(is_hard(r) for r in reasons) or score >= policy.reject_at:
        return Decision(Outcome.REJECT, score, reasons, mandated)
    if mandated or CHALLENGE_PREFERENCE in facts.challenge_indicators:
        return Decision(Outcome.CHALLENGE, score, (*reasons, REQUESTOR_REASONS[mandated]), mandated)
    exempt = bool(NO_CHALLENGE_PREFERENCES & set(facts.challenge_indicators))
    threshold = policy.challenge_at_when_exempt if exempt else policy.challenge_at
    outcome = Outcome.CHALLENGE if score >= threshold else Outcome.FRICTIONLESS
    return Decision(outcome, score, reasons, mandated)


def assess(facts: Facts, policy: Policy | None = None) -> Decision:
    """Decide with the rules switched on; record what the shadow rules would have decided."""
    policy = policy or Policy()
    applied, shadow = evaluate(facts, policy)
    decision = decide(facts, applied, policy)
    would = decide(facts, (*applied, *shadow), policy)
    return replace(
        decision,
        ruleset_version=policy.version,
        shadow_outcome=would.outcome,
        shadow_score=would.score,
        shadow_reasons=shadow,
    )


# --- An external provider's verdict ----------------------------------------------------------

PROVIDER_REASONS = {
    Outcome.REJECT: (
        "provider_deny",
        "The risk provider advises to decline.",
        "リスク判定サービスが拒否を推奨しています。",
        "11",
    ),
    Outcome.CHALLENGE: (
        "provider_review",
        "The risk provider advises a challenge.",
        "リスク判定サービスが本人認証を推奨しています。",
        None,
    ),
}


def with_provider(facts: Facts, internal: Decision, verdict: Outcome, provider_score: int) -> Decision:
    """Combine a provider's verdict with the internal hard rules and the requestor's wishes.

    The provider replaces the internal score; the internal hard rules (a lost card, a deny-listed
    device, a burst) still reject, and a requestor's mandate still forces a challenge.
    """
    hard = tuple(r for r in internal.reasons if is_hard(r))
    reasons: tuple[Reason, ...] = hard
    if verdict in PROVIDER_REASONS:
        code, en, ja, status_reason = PROVIDER_REASONS[verdict]
        reasons = (*hard, Reason(code, provider_score, en, ja, status_reason))
    score = max(0, min(provider_score, 100))
    if hard or verdict is Outcome.REJECT:
        outcome = Outcome.REJECT
    elif (
        verdict is Outcome.CHALLENGE
        or internal.mandated
        or CHALLENGE_PREFERENCE in facts.challenge_indicators
    ):
        outcome = Outcome.CHALLENGE
    else:
        outcome = Outcome.FRICTIONLESS
    return replace(internal, outcome=outcome, score=100 if hard else score, reasons=reasons)
