"""The engine: from reasons to an outcome, by thresholds, hard rules, requestor wishes, shadow rules."""

from __future__ import annotations

from typing import Any

import pytest

from riskanalysis import engine
from riskanalysis.decision import Outcome
from riskanalysis.engine import Mode, Policy
from riskanalysis.history import Kind, Window
from riskanalysis.rules import Params

from .conftest import make_facts, make_history, without

NEW_DEVICE_AND_NETWORK = make_history(seen=without(Kind.DEVICE_ID, Kind.FINGERPRINT, Kind.IP_PREFIX))


@pytest.mark.parametrize(
    ("score", "indicator", "expected"),
    [
        (0, "01", Outcome.FRICTIONLESS),
        (49, "01", Outcome.FRICTIONLESS),
        (50, "01", Outcome.CHALLENGE),
        (99, "01", Outcome.CHALLENGE),
        (100, "01", Outcome.REJECT),
        (79, "02", Outcome.FRICTIONLESS),  # an exemption asked: the bar is higher
        (80, "02", Outcome.CHALLENGE),
        (0, "03", Outcome.CHALLENGE),  # a preference for a challenge is honoured
        (0, "04", Outcome.CHALLENGE),  # a mandate too
        (100, "04", Outcome.REJECT),  # but not over a rejection
    ],
)
def test_it_maps_the_score_to_an_outcome_by_thresholds(score: int, indicator: str, expected: Outcome) -> None:
    policy = Policy(weights={"name_differs": score})
    decision = engine.assess(make_facts(name_matches=False, challenge_indicators=(indicator,)), policy)
    assert decision.score == score
    assert decision.outcome is expected
    assert decision.mandated == (indicator == "04")


@pytest.mark.parametrize(
    ("changes", "code", "status_reason"),
    [
        ({"card_status": "lost"}, "card_lost", "10"),
        ({"history": make_history(denied=frozenset({Kind.FINGERPRINT}))}, "device_deny_listed", "11"),
        ({"history": make_history(device_cards=Window(4, 4, 4))}, "device_card_burst", "11"),
        ({"history": make_history(card_velocity=Window(9, 9, 9))}, "card_velocity_burst", "04"),
    ],
)
def test_it_rejects_on_a_hard_rule_whatever_the_score(
    changes: dict[str, Any], code: str, status_reason: str
) -> None:
    policy = Policy(weights={code: 0})  # a hard rule decides even when its weight is zero
    decision = engine.assess(make_facts(challenge_indicators=("04",), **changes), policy)
    assert decision.outcome is Outcome.REJECT
    assert decision.trans_status_reason == status_reason
    assert code in [r.code for r in decision.reasons]


def test_it_adds_weights_and_clamps_the_score() -> None:
    history = make_history(seen=without(Kind.BROWSER_NET, Kind.IP_PREFIX))
    decision = engine.assess(
        make_facts(
            history=history,
            ip_country="US",
            ip_country_offsets=frozenset({480, 420}),
            method=None,
            three_ds_comp_ind="N",
            browser_tz=-540,
        )
    )
    codes = [r.code for r in decision.reasons]
    assert codes == [
        "new_browser",
        "new_ip_prefix",
        "ip_country_foreign",
        "timezone_mismatch",
        "method_not_completed",
    ]
    assert decision.score == 25 + 10 + 25 + 15 + 15
    assert decision.outcome is Outcome.CHALLENGE
    assert engine.assess(make_facts(name_matches=False), Policy(weights={"name_differs": 150})).score == 100
    assert engine.assess(make_facts(history=make_history())).score == 0  # known device: -10, floored at 0


def test_it_lets_a_rule_set_change_weights_and_switch_rules_off() -> None:
    facts = make_facts(history=NEW_DEVICE_AND_NETWORK)
    assert engine.assess(facts).score == 45
    assert engine.assess(facts, Policy(weights={"new_device": 50})).outcome is Outcome.CHALLENGE
    assert engine.assess(facts, Policy(modes={"new_device": Mode.OFF})).score == 10
    assert (
        engine.assess(make_facts(card_status="lost"), Policy(modes={"card_lost": Mode.OFF})).outcome
        is Outcome.REJECT
    )


def test_it_records_what_shadow_rules_would_decide_without_applying_them() -> None:
    policy = Policy(modes={"new_device": Mode.SHADOW}, version=7)
    history = make_history(seen=without(Kind.DEVICE_ID, Kind.FINGERPRINT, Kind.IP_PREFIX, Kind.MERCHANT))
    decision = engine.assess(make_facts(history=history, mcc="7995"), policy)
    assert [r.code for r in decision.reasons] == ["new_ip_prefix", "mcc_high_risk"]
    assert (decision.outcome, decision.score) == (Outcome.FRICTIONLESS, 30)
    assert [r.code for r in decision.shadow_reasons] == ["new_device"]
    assert (decision.shadow_outcome, decision.shadow_score) == (Outcome.CHALLENGE, 65)
    assert decision.ruleset_version == 7


def test_it_takes_thresholds_and_parameters_from_the_policy() -> None:
    facts = make_facts(history=make_history(device_cards=Window(2, 2, 2)))
    assert engine.assess(facts).outcome is not Outcome.REJECT
    assert engine.assess(facts, Policy(params=Params(burst_cards_per_device=3))).outcome is Outcome.REJECT
    assert engine.assess(make_facts(name_matches=False), Policy(challenge_at=5)).outcome is Outcome.CHALLENGE


@pytest.mark.parametrize(
    ("changes", "verdict", "expected"),
    [
        ({}, Outcome.FRICTIONLESS, Outcome.FRICTIONLESS),
        ({}, Outcome.CHALLENGE, Outcome.CHALLENGE),
        ({}, Outcome.REJECT, Outcome.REJECT),
        ({"card_status": "lost"}, Outcome.FRICTIONLESS, Outcome.REJECT),  # internal hard rules still reject
        ({"challenge_indicators": ("04",)}, Outcome.FRICTIONLESS, Outcome.CHALLENGE),  # a mandate still holds
        ({"history": NEW_DEVICE_AND_NETWORK, "mcc": "7995"}, Outcome.FRICTIONLESS, Outcome.FRICTIONLESS),
    ],
)
def test_it_combines_a_providers_verdict_with_the_internal_hard_rules(
    changes: dict[str, Any], verdict: Outcome, expected: Outcome
) -> None:
    facts = make_facts(**changes)
    decision = engine.with_provider(facts, engine.assess(facts), verdict, 42)
    assert decision.outcome is expected
