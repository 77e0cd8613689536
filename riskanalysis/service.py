"""Run the engine with the policy configured in settings."""

from __future__ import annotations

from django.conf import settings

from riskanalysis import engine
from riskanalysis.decision import Decision
from riskanalysis.facts import Facts


def assess_with_settings(facts: Facts) -> Decision:
    policy = engine.Policy(challenge_amount_jpy=settings.RISK_CHALLENGE_AMOUNT_JPY)
    return engine.assess(facts, policy)
