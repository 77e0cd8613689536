"""The language of the challenge page and its SMS.

browserLanguage first; without it (JavaScript off) 2.3.1's acceptLanguage; then the
Accept-Language header of the browser's own request to the challenge URL; else Japanese.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from acs.models import Transaction
from acs.presentation import language_for
from acs.protocol.examples import NO_JAVASCRIPT
from portal.models import Member
from portal.sms.models import SmsMessage

from .challenge_helpers import creq_for, start, token_of

pytestmark = pytest.mark.usefixtures("card_ranges")


def challenge_in(client: Client, ares: dict[str, Any], accept_language: str | None = None) -> tuple[str, str]:
    """Open the challenge; return the page's lang attribute and the SMS the cardholder got."""
    headers = {} if accept_language is None else {"Accept-Language": accept_language}
    page = client.post(
        "/acs/challenge", {"creq": creq_for(ares), "threeDSSessionData": "c2Vzc2lvbg"}, headers=headers
    )
    html = page.content.decode()
    lang = html.split('<html lang="', 1)[1].split('"', 1)[0]
    return lang, SmsMessage.objects.order_by("-pk").first().body  # type: ignore[union-attr]


def is_japanese_sms(body: str) -> bool:
    return body.startswith("【My Net+】")


def test_it_follows_the_browser_language(client: Client, alice: Member) -> None:
    lang, sms = challenge_in(client, start(client, browserLanguage="en-US"), accept_language="ja")
    assert lang == "en" and sms.startswith("My Net+: your code")


def test_it_speaks_japanese_when_nothing_tells_the_language(client: Client, alice: Member) -> None:
    lang, sms = challenge_in(client, start(client, **NO_JAVASCRIPT))
    assert lang == "ja" and is_japanese_sms(sms)


@pytest.mark.parametrize(
    "accept_language, expected", [("en-GB,en;q=0.9,ja;q=0.5", "en"), ("ja,en-US;q=0.8", "ja")]
)
def test_it_follows_the_accept_language_of_the_challenge_request(
    client: Client, alice: Member, accept_language: str, expected: str
) -> None:
    lang, sms = challenge_in(client, start(client, **NO_JAVASCRIPT), accept_language=accept_language)
    assert lang == expected and is_japanese_sms(sms) == (expected == "ja")


@pytest.mark.parametrize("accept_language, expected", [(["ja-JP", "en"], "ja"), (["en-US", "ja"], "en")])
def test_it_follows_the_accept_language_of_a_231_areq(
    client: Client, alice: Member, accept_language: list[str], expected: str
) -> None:
    ares = start(client, "2.3.1", **NO_JAVASCRIPT, acceptLanguage=accept_language)
    # The AReq's list wins over the header of the challenge request.
    lang, sms = challenge_in(client, ares, accept_language="en" if expected == "ja" else "ja")
    assert lang == expected and is_japanese_sms(sms) == (expected == "ja")
    assert Transaction.objects.get().browser_language == accept_language[0]


def test_a_resend_speaks_the_language_of_the_page(client: Client, alice: Member, settings: Any) -> None:
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    ares = start(client, **NO_JAVASCRIPT)
    english = {"Accept-Language": "en-US"}
    page = client.post(
        "/acs/challenge", {"creq": creq_for(ares), "threeDSSessionData": "c2Vzc2lvbg"}, headers=english
    )
    resent = client.post(
        "/acs/challenge/step", {"token": token_of(page), "action": "resend"}, headers=english
    )
    assert '<html lang="en">' in resent.content.decode()
    assert "A new code has been sent" in resent.content.decode()
    bodies = SmsMessage.objects.order_by("pk").values_list("body", flat=True)
    assert len(bodies) == 2 and all(body.startswith("My Net+: your code") for body in bodies)


@pytest.mark.parametrize(
    "browser_language, accept_language, expected",
    [
        ("ja-JP", "en", "ja"),
        ("en-US", "ja", "en"),
        ("zh-CN", "", "en"),
        ("", "", "ja"),
        ("", "*", "ja"),
        ("", "en-US,en;q=0.9", "en"),
        ("", "fr;q=0.2, ja-JP", "ja"),  # the most wanted first, whatever the order
        ("", "ja;q=0, en", "en"),  # q=0 means "not this one"
        ("", "ja;q=oops, en;q=0.1", "en"),
    ],
)
def test_it_picks_japanese_or_english(browser_language: str, accept_language: str, expected: str) -> None:
    assert language_for(browser_language, accept_language) == expected
