"""Assess one authentication: complete the facts (country, history), run the engine, consult.

This is what `riskanalysis.assess` runs on every AReq; its own time (history look-ups included
unless the ACS read them ahead with its own reads) is returned in `Decision.elapsed_us` and kept
with the assessment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from django.conf import settings

from config.sql import Read
from riskanalysis import engine, geo, provider
from riskanalysis.clock import now_for
from riskanalysis.decision import Decision
from riskanalysis.facts import Facts
from riskanalysis.history import History
from riskanalysis.rulesets import active_policy
from riskanalysis.selectors import history_for, history_read
from riskanalysis.signals import Keys, areq_keys_for, keys_for


@dataclass(frozen=True, slots=True)
class Lookup:
    """What `assess` reads before it decides, read ahead by the ACS (see history_lookup)."""

    keys: Keys  # the AReq's own keys: the 3DS Method device's are added once it is known
    history: History | None


def history_lookup(facts: Facts) -> Read[Lookup]:
    """Return the history read `assess` would make, for the ACS to send with its own reads.

    `facts` need not know the 3DS Method device yet: the read looks it up itself by
    facts.three_ds_server_trans_id, in the same statement.
    """
    keys = areq_keys_for(facts)
    if not keys.card:
        return Read(None, lambda rows: Lookup(keys, None))
    history = history_read(keys, now=now_for(facts), method_of=str(facts.three_ds_server_trans_id))
    return Read(history.statement, lambda rows: Lookup(keys, history.result(rows)))


def complete(facts: Facts, history: History | None) -> Facts:
    """Add what the engine needs and the ACS does not know: the IP's country, the history."""
    country = geo.country_of(facts.browser_ip)
    offsets = geo.utc_offsets(country) if country else frozenset()
    return replace(facts, ip_country=country, ip_country_offsets=offsets, history=history)


def assess_with_settings(facts: Facts, lookup: Lookup | None = None) -> Decision:
    started = time.perf_counter_ns()
    if lookup is None:
        keys = keys_for(facts)
        history = history_for(keys, now=now_for(facts)) if keys.card else None
    else:
        keys, history = lookup.keys.with_method(facts.method), lookup.history
    facts = complete(facts, history)
    decision = engine.assess(facts, active_policy())
    if settings.RISK_PROVIDER != "internal":
        decision = provider.consult(facts, keys, decision)
    return replace(decision, elapsed_us=(time.perf_counter_ns() - started) // 1000, keys=keys)
