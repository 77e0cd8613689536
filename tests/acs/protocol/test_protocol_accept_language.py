"""The cardholder's language: browserLanguage, or when JavaScript is off 2.3.1's acceptLanguage."""

from __future__ import annotations

import pytest

from acs.protocol import parse_areq
from acs.protocol.examples import NO_JAVASCRIPT, example_areq


@pytest.mark.parametrize(
    "accept_language, expected",
    [
        (["en-GB", "ja"], "en-GB"),
        (["*", "ja-JP"], "ja-JP"),
        (["ja;q=0.9", "en"], "ja"),  # a q-value the 3DS Server left in
        (["x" * 36, "zh-Hant-TW"], "zh-Hant-TW"),  # too long for browserLanguage
        (["*"], None),
    ],
)
def test_it_takes_the_cardholders_language_from_accept_language(
    accept_language: list[str], expected: str | None
) -> None:
    areq = parse_areq(example_areq("2.3.1", **NO_JAVASCRIPT, acceptLanguage=accept_language))
    assert areq.cardholder_language == (expected or "")
    assert areq.browserLanguage is None  # risk analysis reads the message as sent


def test_the_browser_language_wins_over_accept_language() -> None:
    areq = parse_areq(example_areq("2.3.1", browserLanguage="en-US", acceptLanguage=["ja-JP"]))
    assert areq.cardholder_language == "en-US"


def test_accept_language_is_not_read_before_231() -> None:
    areq = parse_areq(example_areq("2.2.0", **NO_JAVASCRIPT, acceptLanguage=["en-GB"]))
    assert areq.cardholder_language == ""
