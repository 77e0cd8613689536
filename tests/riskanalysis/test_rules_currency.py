"""The amount rule in other currencies, and without a purchase at all. Pure: no database."""

from __future__ import annotations

import pytest

from riskanalysis import engine, rules
from riskanalysis.decision import Outcome
from riskanalysis.rules import Params

from .conftest import make_facts

P = Params()
# Currencies Japanese cardholders commonly buy in (ISO 4217 numeric), each with exponent 2.
COMMON = ["840", "978", "826", "036", "124", "756", "156", "344", "702", "901", "764", "554"]


def test_it_does_not_call_a_missing_currency_unknown() -> None:
    # A non-payment authentication (messageCategory 02, e.g. adding a card) has no purchase.
    facts = make_facts(amount_minor=0, currency="", exponent=0)

    assert rules.amount_threshold(facts, P) is None
    decision = engine.assess(facts)
    assert decision.outcome is Outcome.FRICTIONLESS
    assert "unknown_currency" not in [r.code for r in decision.reasons]


@pytest.mark.parametrize("currency", COMMON)
def test_it_prices_five_units_of_a_common_currency_as_small(currency: str) -> None:
    assert rules.amount_threshold(make_facts(amount_minor=500, currency=currency, exponent=2), P) is None


@pytest.mark.parametrize("currency", COMMON)
def test_it_holds_a_large_amount_of_a_common_currency_against_the_yen_limit(currency: str) -> None:
    facts = make_facts(amount_minor=10_000_000_00, currency=currency, exponent=2)

    assert rules.amount_threshold(facts, P) == "amount_far_above_threshold"


def test_it_prices_won_without_minor_units() -> None:
    facts = make_facts(amount_minor=2_000_000, currency="410", exponent=0)  # about 220,000 yen

    assert rules.amount_threshold(facts, P) == "amount_above_threshold"


def test_it_still_flags_a_currency_it_does_not_price() -> None:
    facts = make_facts(amount_minor=500, currency="566", exponent=2)  # NGN

    assert rules.amount_threshold(facts, P) == "unknown_currency"
