"""POST /acs/areq: AReqs without a purchase, in a foreign currency or from an IPv4-mapped address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from acs.models import Transaction
from portal.models import Member

from .conftest import make_areq

Post = Callable[..., Any]
NO_PURCHASE = dict.fromkeys(
    (
        "purchaseAmount",
        "purchaseCurrency",
        "purchaseExponent",
        "purchaseDate",
        "acquirerBIN",
        "acquirerMerchantID",
        "mcc",
        "merchantCountryCode",
        "merchantName",
    )
)


def _reasons(ares: dict[str, Any]) -> list[str]:
    assert ares["messageType"] == "ARes", ares
    return Transaction.objects.get(acs_trans_id=ares["acsTransID"]).risk_reasons


def test_it_does_not_challenge_a_card_being_added_for_want_of_a_currency(
    post_areq: Post, alice: Member
) -> None:
    message = make_areq(messageCategory="02", threeDSRequestorAuthenticationInd="04", **NO_PURCHASE)
    ares = post_areq(message).json()

    assert "unknown_currency" not in _reasons(ares)
    assert ares["transStatus"] == "Y"


@pytest.mark.parametrize("currency", ["036", "702", "344", "764", "124"])
def test_it_answers_a_small_purchase_in_a_common_currency_frictionless(
    post_areq: Post, alice: Member, currency: str
) -> None:
    ares = post_areq(make_areq(purchaseAmount="500", purchaseCurrency=currency, purchaseExponent="2")).json()

    assert "unknown_currency" not in _reasons(ares)
    assert ares["transStatus"] == "Y"


@pytest.mark.parametrize("ip", ["8.8.8.8", "::ffff:8.8.8.8"])
def test_it_places_an_ipv4_mapped_address_like_the_ipv4_one(post_areq: Post, alice: Member, ip: str) -> None:
    ares = post_areq(make_areq(browserIP=ip)).json()

    assert "ip_country_foreign" in _reasons(ares)
