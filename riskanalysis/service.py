"""Assess one authentication: complete the facts (country, history), run the engine, consult.

This is what `riskanalysis.assess` runs on every AReq; its own time, history look-ups
included, is returned in `Decision.elapsed_us` and kept with the assessment.
"""

from __future__ import annotations

import time
from dataclasses import replace

from django.conf import settings

from riskanalysis import engine, geo, provider
from riskanalysis.clock import now_for
from riskanalysis.decision import Decision
from riskanalysis.facts import Facts
from riskanalysis.rulesets import active_policy
from riskanalysis.selectors import history_for
from riskanalysis.signals import Keys, keys_for


def complete(facts: Facts, keys: Keys) -> Facts:
    """Add what the engine needs and the ACS does not know: the IP's country, the history."""
    history = history_for(keys, now=now_for(facts)) if keys.card else None
    country = geo.country_of(facts.browser_ip)
    offsets = geo.utc_offsets(country) if country else frozenset()
    return replace(facts, ip_country=country, ip_country_offsets=offsets, history=history)


def assess_with_settings(facts: Facts) -> Decision:
    started = time.perf_counter_ns()
    keys = keys_for(facts)
    facts = complete(facts, keys)
    decision = engine.assess(facts, active_policy())
    if settings.RISK_PROVIDER != "internal":
        decision = provider.consult(facts, keys, decision)
    elapsed_us = (time.perf_counter_ns() - started) // 1000
    return replace(decision, elapsed_us=elapsed_us, keys=keys, ip_country=facts.ip_country)
