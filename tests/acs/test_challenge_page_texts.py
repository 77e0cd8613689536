"""What the challenge page says and keeps: the typed My Net+ ID, the resend label, the hint."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.models import Member

from .challenge_helpers import open_challenge, start, step

pytestmark = pytest.mark.usefixtures("card_ranges")
LEGACY = {"acctNumber": "4012888888881881", "browserLanguage": "en"}
HINT = "If this is not the message you chose"


def field(html: str, name: str) -> str:
    match = re.search(rf'<input id="{name}"[^>]*>', html)
    assert match, html[:800]
    return match.group(0)


def test_it_shows_the_my_net_id_again_after_a_wrong_password_but_never_the_password(
    client: Client, carol: Member
) -> None:
    page = open_challenge(client, start(client, **LEGACY))
    html = step(client, page, username='carol-legacy"<b>', password="wrong-password-1").content.decode()
    assert "is not correct" in html
    assert 'value="carol-legacy&quot;&lt;b&gt;"' in field(html, "username")
    assert "value=" not in field(html, "password") and "wrong-password-1" not in html


def test_no_field_takes_the_focus_away_from_the_personal_message(client: Client, carol: Member) -> None:
    assert "autofocus" not in open_challenge(client, start(client, **LEGACY)).content.decode()


def test_without_javascript_the_resend_button_says_when_it_works(client: Client, alice: Member) -> None:
    html = open_challenge(client, start(client, browserLanguage="en")).content.decode()
    button = html[html.index('value="resend"') :].split("</button>", 1)[0]
    assert re.search(r">Send a new code \(available in \d+ s\)$", button), button
    assert 'data-wait-label="Send a new code (available in %s s)"' in button  # challenge.js counts down


def test_it_shows_the_hint_only_with_a_personal_message(client: Client, alice: Member) -> None:
    html = open_challenge(client, start(client, browserLanguage="en")).content.decode()
    assert "さくら満開" in html and HINT in html

    enrolment = alice.enrolment
    enrolment.personal_message = ""
    enrolment.save()
    html = open_challenge(client, start(client, browserLanguage="en")).content.decode()
    assert "(no personal message set)" in html and HINT not in html
