"""parse_areq: purchaseExponent must be the currency's ISO 4217 exponent where it has one."""

from __future__ import annotations

from typing import Any

import pytest

from acs.protocol import ProtocolError, parse_areq
from acs.protocol.examples import example_areq
from acs.protocol.fields import CURRENCIES, CURRENCY_EXPONENTS


def error_of(data: dict[str, Any]) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse_areq(data)
    return caught.value


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
@pytest.mark.parametrize(
    ("currency", "exponent"),
    [("392", "2"), ("392", "9"), ("840", "0"), ("978", "3"), ("048", "2"), ("990", "2")],
)
def test_it_reports_an_exponent_that_is_not_the_currencys_with_203(
    version: str, currency: str, exponent: str
) -> None:
    error = error_of(
        example_areq(version, purchaseAmount="5000000", purchaseCurrency=currency, purchaseExponent=exponent)
    )

    assert (error.code, error.detail) == ("203", "purchaseExponent")


@pytest.mark.parametrize(
    ("currency", "exponent"),
    [("392", "0"), ("410", "0"), ("840", "2"), ("978", "2"), ("901", "2"), ("048", "3"), ("990", "4")],
)
def test_it_accepts_the_iso_exponent_of_the_currency(currency: str, exponent: str) -> None:
    parsed = parse_areq(example_areq(purchaseCurrency=currency, purchaseExponent=exponent))

    assert (parsed.purchaseCurrency, parsed.purchaseExponent) == (currency, exponent)


def test_it_accepts_any_exponent_for_a_unit_iso_gives_none() -> None:
    # XUA (ADB Unit of Account): ISO 4217 lists its minor unit as "N.A."
    assert parse_areq(example_areq(purchaseCurrency="965", purchaseExponent="2")).purchaseExponent == "2"


def test_it_still_reports_an_unknown_currency_with_304_not_the_exponent() -> None:
    error = error_of(example_areq(purchaseCurrency="999", purchaseExponent="7"))

    assert (error.code, error.detail) == ("304", "purchaseCurrency")


def test_it_names_the_exponent_with_the_other_format_errors() -> None:
    error = error_of(example_areq(purchaseExponent="2", purchaseDate="20251399000000"))

    assert (error.code, error.detail) == ("203", "purchaseDate,purchaseExponent")


def test_every_currency_has_an_exponent_entry() -> None:
    assert set(CURRENCY_EXPONENTS) == CURRENCIES
    assert (CURRENCY_EXPONENTS["392"], CURRENCY_EXPONENTS["840"], CURRENCY_EXPONENTS["414"]) == (0, 2, 3)
