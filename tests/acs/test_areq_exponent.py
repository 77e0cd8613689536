"""A requestor cannot shrink the amount risk analysis sees by choosing purchaseExponent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from acs.facts import facts_for
from acs.models import Transaction
from acs.protocol import parse_areq
from portal.models import Member

from .conftest import make_areq

Post = Callable[..., Any]
FIVE_MILLION_YEN = {"purchaseAmount": "5000000", "purchaseCurrency": "392"}


def test_it_does_not_let_five_million_yen_through_frictionless(post_areq: Post, alice: Member) -> None:
    ares = post_areq(make_areq(purchaseExponent="0", **FIVE_MILLION_YEN)).json()

    assert ares["messageType"] == "ARes" and ares["transStatus"] != "Y", ares
    assert "authenticationValue" not in ares


@pytest.mark.parametrize("exponent", ["2", "9"])
def test_it_refuses_yen_with_another_exponent_with_erro_203(
    post_areq: Post, alice: Member, exponent: str
) -> None:
    erro = post_areq(make_areq(purchaseExponent=exponent, **FIVE_MILLION_YEN)).json()

    assert (erro["messageType"], erro["errorCode"], erro["errorDetail"]) == (
        "Erro",
        "203",
        "purchaseExponent",
    )
    assert not Transaction.objects.exists()


def test_it_prices_the_risk_facts_with_the_iso_exponent() -> None:
    areq = parse_areq(make_areq(**FIVE_MILLION_YEN, purchaseExponent="0"))
    # As if the protocol check had let the requestor's exponent through.
    tampered = areq.model_copy(update={"purchaseExponent": "2"})

    facts = facts_for(tampered, "f" * 64, None, None)

    assert (facts.exponent, facts.amount_major) == (0, 5_000_000)


def test_it_prices_a_dollar_amount_in_dollars() -> None:
    areq = parse_areq(make_areq(purchaseAmount="1999", purchaseCurrency="840", purchaseExponent="2"))

    assert facts_for(areq, "f" * 64, None, None).amount_major == pytest.approx(19.99)
