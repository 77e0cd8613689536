"""Registration cannot be guessed at: a per-card pause after wrong details (any number of IPs),
and a per-IP limit on choosing the account, whose answers tell which My Net+ IDs are taken."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from portal.models import Card, Member
from portal.services.registration import PROOF_MAX_FAILURES

from .conftest import NO_MATCH, PROOF


def _prove(client: Client, ip: str = "127.0.0.1", **changes: str) -> Any:
    return client.post("/register/", {**PROOF, **changes}, REMOTE_ADDR=ip)


def _page_without_inputs(response: Any) -> str:
    # The CSRF token changes per response and the form shows the card number it was sent.
    return re.sub(r'value="[^"]*"', "", response.content.decode())


def _guess_wrong(client: Client, times: int) -> None:
    for attempt in range(times):
        # Another network each time: the per-IP limit alone would not stop this.
        wrong = _prove(client, ip=f"10.0.0.{attempt + 1}", date_of_birth=f"1990-01-{attempt + 1:02d}")
        assert NO_MATCH in wrong.content.decode()


def test_it_pauses_a_cards_registration_after_repeated_wrong_details(
    english: Client, unregistered_card: Card
) -> None:
    _guess_wrong(english, PROOF_MAX_FAILURES)
    paused = _prove(english, ip="10.0.1.1")  # the right details, too late
    assert paused.status_code == 200
    assert "register_card" not in english.session
    # The same answer as for a number that is not ours: nothing tells the guess was right.
    unknown = _prove(english, ip="10.0.1.2", pan="3530 1119 9999 9996")
    assert _page_without_inputs(paused) == _page_without_inputs(unknown)
    assert NO_MATCH in paused.content.decode()
    card = Card.objects.get(pk=unregistered_card.pk)
    assert card.registration_paused_until is not None and card.registration_paused_until > timezone.now()


def test_the_pause_ends_after_its_period(english: Client, unregistered_card: Card) -> None:
    _guess_wrong(english, PROOF_MAX_FAILURES)
    Card.objects.filter(pk=unregistered_card.pk).update(
        registration_paused_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _prove(english)["Location"] == "/register/account/"


def test_a_right_proof_resets_the_count(english: Client, unregistered_card: Card) -> None:
    _guess_wrong(english, PROOF_MAX_FAILURES - 1)
    assert Card.objects.get(pk=unregistered_card.pk).registration_failures == PROOF_MAX_FAILURES - 1
    assert _prove(english).status_code == 302
    assert Card.objects.get(pk=unregistered_card.pk).registration_failures == 0
    _guess_wrong(english, PROOF_MAX_FAILURES - 1)
    assert _prove(english).status_code == 302  # a fresh count: not paused


def test_choosing_the_account_is_rate_limited_per_ip(
    english: Client, unregistered_card: Card, alice: Member, settings: Any
) -> None:
    settings.RATELIMIT_REGISTRATION = "3/h"  # an hour's window: a minute's may roll over mid-test
    _prove(english)
    for _attempt in range(3):
        taken = english.post(
            "/register/account/",
            {"username": "alice-visa", "password": "paper moon river 7", "email": "d@e.jp"},
        )
        assert "taken" in taken.content.decode()
    blocked = english.post(
        "/register/account/", {"username": "dan-tanaka", "password": "paper moon river 7", "email": "d@e.jp"}
    )
    assert "Too many attempts" in blocked.content.decode()
    assert "taken" not in blocked.content.decode()
    assert not Member.objects.filter(card=unregistered_card).exists()
