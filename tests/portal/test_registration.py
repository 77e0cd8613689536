"""Registration: prove the card, then one account per card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from portal.models import Card, Member

from ..conftest import ALICE_PAN, PASSWORD, UNREGISTERED_PAN
from .conftest import NO_MATCH, PROOF


def _prove(client: Client, **changes: str) -> object:
    return client.post("/register/", {**PROOF, **changes})


def test_it_registers_a_card_with_its_own_account(english: Client, unregistered_card: Card) -> None:
    assert _prove(english)["Location"] == "/register/account/"
    response = english.post(
        "/register/account/",
        {"username": "Dan_Tanaka", "password": "paper moon river 7", "email": "dan@example.jp"},
    )
    assert response["Location"] == "/home/"
    member = Member.objects.get(card=unregistered_card)
    assert member.username == "Dan_Tanaka" and member.check_password("paper moon river 7")
    assert member.password.startswith("argon2")
    assert mail.outbox[-1].to == ["dan@example.jp"]


@pytest.mark.parametrize("contact", ["holder0000@example.jp", "090-3330-0000", "HOLDER0000@EXAMPLE.JP"])
def test_it_accepts_the_registered_mobile_or_email(
    english: Client, unregistered_card: Card, contact: str
) -> None:
    assert _prove(english, contact=contact).status_code == 302


@pytest.mark.parametrize(
    "changes",
    [
        {"pan": "4111 1111 1111 1129"},  # no such card
        {"expiry": "11/30"},
        {"date_of_birth": "1985-06-16"},
        {"contact": "someone@example.jp"},
        {"contact": "090-0000-0000"},
    ],
)
def test_it_says_the_same_thing_for_an_unknown_card_and_wrong_details(
    english: Client, unregistered_card: Card, changes: dict[str, str]
) -> None:
    response = _prove(english, **changes)
    assert response.status_code == 200
    assert NO_MATCH in response.content.decode()


def test_it_refuses_a_second_account_for_a_card(english: Client, alice: Member) -> None:
    response = _prove(english, pan=ALICE_PAN, contact="holder1111@example.jp")
    assert "already has a My Net+ account" in response.content.decode()


@pytest.mark.parametrize("status", ["lost", "replaced", "closed"])
def test_it_refuses_a_card_that_is_not_active(english: Client, unregistered_card: Card, status: str) -> None:
    Card.objects.filter(pk=unregistered_card.pk).update(status=status)
    assert "cannot be registered" in _prove(english).content.decode()


@pytest.mark.parametrize(
    "username, problem",
    [
        ("abc", "6 to 20"),
        ("a" * 21, "6 to 20"),
        ("dan tanaka", "6 to 20"),
        ("ALICE-VISA", "taken"),
    ],
)
def test_it_checks_the_my_net_id(
    english: Client, unregistered_card: Card, alice: Member, username: str, problem: str
) -> None:
    _prove(english)
    response = english.post(
        "/register/account/",
        {"username": username, "password": "paper moon river 7", "email": "dan@example.jp"},
    )
    assert problem in response.content.decode()
    assert not Member.objects.filter(card=unregistered_card).exists()


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short pw1", "too short"),
        ("password1234", "too common"),
        ("dan-tanaka-2026", "too close"),
        ("TANAKA and more", "too close"),
        ("x3530111333300000y", "card number"),
        ("p" * 129, "at most 128"),
    ],
)
def test_it_applies_the_password_rules(
    english: Client, unregistered_card: Card, password: str, problem: str
) -> None:
    _prove(english)
    response = english.post(
        "/register/account/", {"username": "dan-tanaka", "password": password, "email": "dan@example.jp"}
    )
    assert problem in response.content.decode().replace("\u2019", "'")
    errors = response.context["form"].errors["password"]  # under the field, not above the form
    assert len(errors) == 1  # one problem, one message
    assert not response.context["form"].non_field_errors()


def test_it_allows_a_long_passphrase_without_composition_rules(
    english: Client, unregistered_card: Card
) -> None:
    _prove(english)
    passphrase = "the quiet lantern drifts over the harbour at dawn while gulls sleep"
    assert len(passphrase) >= 64
    english.post(
        "/register/account/", {"username": "dan-tanaka", "password": passphrase, "email": "d@example.jp"}
    )
    assert Member.objects.get(card=unregistered_card).check_password(passphrase)


def test_it_asks_for_the_card_again_without_a_fresh_proof(english: Client, unregistered_card: Card) -> None:
    response = english.get("/register/account/")
    assert response["Location"] == "/register/"


def test_a_reissued_card_needs_a_new_registration(english: Client, alice: Member) -> None:
    old = alice.card
    assert old is not None
    new = Card.objects.create(
        **{
            **{
                f.name: getattr(old, f.name)
                for f in Card._meta.concrete_fields
                if f.name not in ("id", "pan", "pan_fingerprint", "last4")
            },
            "pan": "4111111111111129",
            "pan_fingerprint": "f" * 64,
            "last4": "1129",
        }
    )
    Card.objects.filter(pk=old.pk).update(status=Card.Status.REPLACED, replaced_by=new)
    login = english.post("/login/", {"username": "alice-visa", "password": PASSWORD})
    assert "can no longer be used" in login.content.decode()
    assert Member.objects.get(pk=alice.pk).card_id == old.pk


def test_it_rate_limits_the_proof_form_per_ip(
    english: Client, settings: object, unregistered_card: Card
) -> None:
    settings.RATELIMIT_REGISTRATION = "3/h"  # type: ignore[attr-defined]  # a minute may roll over
    for _ in range(3):
        _prove(english, date_of_birth="1999-01-01")
    blocked = _prove(english)
    assert "Too many attempts" in blocked.content.decode()


def test_the_date_of_birth_must_be_in_the_past(english: Client, unregistered_card: Card) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "Enter your date of birth" in _prove(english, date_of_birth=tomorrow).content.decode()


def test_it_answers_no_match_when_the_issuer_has_no_such_card(english: Client, db: None) -> None:
    response = _prove(english, pan=UNREGISTERED_PAN)
    assert NO_MATCH in response.content.decode()
