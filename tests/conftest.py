"""The shared test world: Alice (Visa, SMS OTP), Bob (JCB, SMS OTP), Carol (Visa, legacy password)
and an unregistered JCB card, built from the well-known test PANs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from acs import directory
from acs.demo import seed_acs_demo
from portal.card_records import pan_identity
from portal.models import Card, Member, ThreeDSEnrolment

PASSWORD = "Correct-horse-42"

ALICE_PAN = "4111111111111111"
BOB_PAN = "3566002020360505"
CAROL_PAN = "4012888888881881"
UNREGISTERED_PAN = "3530111333300000"


def make_card(pan: str, **overrides: object) -> Card:
    fields: dict[str, object] = {
        **pan_identity(pan),
        "expiry_year": 2030,
        "expiry_month": 12,
        "customer_ref": f"CUST-{pan[-6:]}",
        "cardholder_name": "TEST HOLDER",
        "date_of_birth": dt.date(1985, 6, 15),
        "email": f"holder{pan[-4:]}@example.jp",
        "mobile": f"+8190{pan[-8:]}",
    }
    fields.update(overrides)
    return Card.objects.create(**fields)


def make_member(card: Card, username: str, *, method: str | None, message: str = "") -> Member:
    member = Member(username=username, email=f"{username}@example.jp", card=card)
    member.set_password(PASSWORD)
    member.save()
    if method:
        ThreeDSEnrolment.objects.create(
            member=member,
            method=method,
            mobile=card.mobile if method == ThreeDSEnrolment.Method.SMS_OTP else "",
            personal_message=message,
        )
    return member


@pytest.fixture
def card_ranges(db: None) -> Iterator[None]:
    """The demo's card ranges, with the ACS's cache of them emptied before and after."""
    directory.forget()
    seed_acs_demo()
    yield
    directory.forget()


@pytest.fixture
def alice(db: None) -> Member:
    card = make_card(ALICE_PAN, cardholder_name="ALICE SATO", mobile="+819011110001")
    return make_member(card, "alice-visa", method=ThreeDSEnrolment.Method.SMS_OTP, message="さくら満開")


@pytest.fixture
def bob(db: None) -> Member:
    card = make_card(BOB_PAN, cardholder_name="BOB YAMADA", mobile="+819022220002")
    return make_member(card, "bob-jcb", method=ThreeDSEnrolment.Method.SMS_OTP, message="富士山と青い空")


@pytest.fixture
def carol(db: None) -> Member:
    card = make_card(CAROL_PAN, cardholder_name="CAROL SUZUKI")
    return make_member(card, "carol-legacy", method=ThreeDSEnrolment.Method.PASSWORD, message="いつもの猫")


@pytest.fixture
def unregistered_card(db: None) -> Card:
    return make_card(UNREGISTERED_PAN, cardholder_name="DAN TANAKA")


@pytest.fixture
def staff(db: None) -> Member:
    return Member.objects.create_superuser("support", "support@issuer.example.jp", PASSWORD)


@pytest.fixture
def staff_client(client: Client, staff: Member) -> Client:
    client.force_login(staff)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters live in the cache: each test starts from zero.
    from django.core.cache import cache

    cache.clear()
