"""Frictionless authentications in Chromium: checkout, 3DS Method, AReq/ARes, result, no challenge."""

from __future__ import annotations

import pytest

from .conftest import Shop

pytestmark = pytest.mark.e2e


def test_the_checkout_shows_the_demo_cards_and_the_other_site_hint(shop: Shop) -> None:
    shop.page.goto(shop.site.merchant)
    assert shop.page.locator("input[name=card]").count() == 4
    assert "4111 1111 1111 1111" in shop.page.inner_text("form")
    hint = shop.page.inner_text("[data-testid=site-hint]")
    assert "The merchant and the ACS are on different sites" in hint  # 127.0.0.1 vs localhost
    shop.shot("checkout")


def test_it_authenticates_without_a_challenge_with_the_browsers_own_data(shop: Shop) -> None:
    shop.checkout(challenge="01", amount=12800, version="2.2.0", language="")
    result = shop.wait_for_result()
    shop.shot("frictionless-result")
    assert (result["status"], result["eci"]) == ("Y", "05")
    assert len(result["av"]) == 28
    purchase = shop.purchase()
    assert purchase.three_ds_comp_ind == "Y", purchase.events  # the method notification came back in time
    assert purchase.method_ms is not None and purchase.method_ms < 10_000
    areq = purchase.areq
    assert areq["acctNumber"] == "411111******1111"
    assert areq["browserTZ"] == "-540" and areq["browserLanguage"] == "ja-JP"
    assert (areq["browserScreenWidth"], areq["browserScreenHeight"]) == ("1280", "800")
    assert areq["browserJavascriptEnabled"] is True and areq["browserColorDepth"] == "24"
    assert "Chrome" in areq["browserUserAgent"] and areq["browserIP"] == "127.0.0.1"
    assert areq["browserAcceptHeader"].startswith("text/html")
    assert areq["notificationURL"] == f"{shop.site.merchant}3ds/cres/{purchase.pk}"
    assert areq["dsURL"] == f"{shop.site.merchant}ds/rreq"
    assert purchase.rreq is None and purchase.creq is None  # frictionless: no CReq, no RReq
    print(f"\nfrictionless: 3DS Method {purchase.method_ms} ms, AReq->ARes {purchase.ares_ms} ms")


@pytest.mark.parametrize(
    "card, challenge, version, run_method, status, reason, comp_ind",
    [
        ("jcb-sms", "02", "2.3.1", True, "Y", "", "Y"),
        ("visa-sms", "01", "2.1.0", False, "Y", "", "U"),
        ("jcb-unregistered", "04", "2.2.0", True, "N", "13", "Y"),
    ],
    ids=["jcb-2.3.1-no-challenge", "visa-2.1.0-without-method", "unregistered-card"],
)
def test_it_answers_frictionless_variants(
    shop: Shop,
    card: str,
    challenge: str,
    version: str,
    run_method: bool,
    status: str,
    reason: str,
    comp_ind: str,
) -> None:
    shop.checkout(card=card, challenge=challenge, version=version, run_method=run_method)
    result = shop.wait_for_result()
    assert result["status"] == status
    assert result["reason"].startswith(reason or "—")
    purchase = shop.purchase()
    assert purchase.three_ds_comp_ind == comp_ind
    assert purchase.ares["messageVersion"] == version
    if status == "N":
        assert "My Net+" in purchase.ares.get("cardholderInfo", "")  # the ACS's guidance for the shopper
