"""The sandbox 3DS Server's AReq: every version parses in the ACS's own protocol package."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from acs import protocol
from sandbox.areq import BrowserInfo, Endpoints, accept_languages, build_areq, mask_areq
from sandbox.demo_cards import DEMO_CARDS, demo_card

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")
ENDPOINTS = Endpoints(
    ds_url="http://127.0.0.1:8000/sandbox/ds/rreq",
    notification_url="http://127.0.0.1:8000/sandbox/3ds/cres/5b2e7c90-1f4a-4d8e-a3c6-0e9b8d7f6a55",
    requestor_url="http://127.0.0.1:8000/sandbox/",
    server_url="http://127.0.0.1:8000/sandbox/",
)
CHROME = BrowserInfo(
    accept_header="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0",
    ip="127.0.0.1",
    javascript_enabled=True,
    language="ja-JP",
    color_depth=24,
    screen_width=1280,
    screen_height=720,
    tz_offset=-540,
    accept_language=["ja-JP", "ja", "en"],
)
NO_JS = BrowserInfo(
    accept_header="text/html", user_agent="curl/8", ip="::1", javascript_enabled=False, accept_language=["en"]
)


def areq_for(version: str, browser: BrowserInfo = CHROME, **changes: object) -> dict[str, object]:
    options: dict[str, object] = {
        "version": version,
        "card": demo_card("visa-sms"),
        "amount": 12800,
        "merchant_name": "Sandbox Shop",
        "challenge_ind": "04",
        "comp_ind": "Y",
        "browser": browser,
        "browser_language": "",
        "three_ds_server_trans_id": str(uuid.uuid4()),
        "ds_trans_id": str(uuid.uuid4()),
        "endpoints": ENDPOINTS,
        "now": dt.datetime(2026, 11, 25, 9, 30, 15, tzinfo=dt.UTC),
    }
    options.update(changes)
    return build_areq(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", VERSIONS)
def test_it_builds_an_areq_the_acs_accepts(version: str) -> None:
    message = areq_for(version)
    parsed = protocol.parse_areq(protocol.dumps_message(message))
    assert parsed.messageVersion == version
    assert parsed.is_browser and parsed.is_payment
    assert parsed.challenge_indicators == ("04",)
    assert parsed.browserTZ == "-540" and parsed.browserLanguage == "ja-JP"
    assert (parsed.browserScreenWidth, parsed.browserScreenHeight, parsed.color_depth) == ("1280", "720", 24)
    assert parsed.purchaseDate == "20261125093015"
    assert parsed.notificationURL == ENDPOINTS.notification_url
    assert parsed.dsURL == ENDPOINTS.ds_url


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("card", DEMO_CARDS, ids=lambda card: card.key)
def test_it_builds_a_valid_areq_for_every_demo_card_without_javascript(version: str, card: object) -> None:
    parsed = protocol.parse_areq(areq_for(version, NO_JS, card=card, challenge_ind="01"))
    assert parsed.acctNumber == card.pan  # type: ignore[attr-defined]
    if version == "2.1.0":
        # 2.1.0 has no JavaScript flag: the browser fields are always there, with fallbacks.
        assert parsed.browserJavascriptEnabled is None and parsed.browserLanguage
    else:
        assert parsed.browserJavascriptEnabled is False and parsed.browserScreenWidth is None


def test_it_writes_the_version_specific_fields() -> None:
    old, new = areq_for("2.2.0"), areq_for("2.3.1")
    assert old["threeDSRequestorChallengeInd"] == "04" and "acceptLanguage" not in old
    assert new["threeDSRequestorChallengeInd"] == ["04"]
    assert new["acceptLanguage"] == ["ja-JP", "ja", "en"]
    assert (new["acquirerCountryCode"], new["acquirerCountryCodeSource"]) == ("392", "01")
    assert "browserJavascriptEnabled" not in areq_for("2.1.0")


def test_it_fits_colour_depth_and_language_to_each_version() -> None:
    deep = BrowserInfo(**{**CHROME.__dict__, "color_depth": 30, "language": "zh-Hant-TW"})
    assert protocol.parse_areq(areq_for("2.2.0", deep)).browserColorDepth == "24"
    assert protocol.parse_areq(areq_for("2.2.0", deep)).browserLanguage == "zh"
    assert protocol.parse_areq(areq_for("2.3.1", deep)).browserColorDepth == "30"
    assert protocol.parse_areq(areq_for("2.3.1", deep)).browserLanguage == "zh-Hant-TW"


def test_the_chosen_language_overrides_the_browsers() -> None:
    assert areq_for("2.2.0", browser_language="en-US")["browserLanguage"] == "en-US"


def test_it_reads_accept_language() -> None:
    assert accept_languages("ja-JP,ja;q=0.9, en-US;q=0.8,*;q=0.1") == ["ja-JP", "ja", "en-US"]
    assert accept_languages("") == []


def test_it_masks_the_pan_for_storage() -> None:
    masked = mask_areq(areq_for("2.2.0"))
    assert masked["acctNumber"] == "411111******1111"
    assert "4111111111111111" not in protocol.dumps_message(masked).decode()
