"""An e-mail address longer than the account's column is a form error, not a database error."""

from __future__ import annotations

from django.test import Client

from portal.models import Card, Member

from ..conftest import PASSWORD

# Valid for Django's EmailValidator (at most 320 characters) but over the column's 254.
LONG_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".jp"
TOO_LONG = "at most 254 characters"


def test_the_address_is_between_the_column_and_the_validator_limits() -> None:
    assert 254 < len(LONG_EMAIL) <= 320


def test_registration_refuses_an_address_longer_than_the_column(
    english: Client, unregistered_card: Card
) -> None:
    english.post(
        "/register/",
        {
            "pan": "3530111333300000",
            "expiry": "12/30",
            "date_of_birth": "1985-06-15",
            "contact": "09033300000",
        },
    )
    response = english.post(
        "/register/account/",
        {"username": "dan-tanaka", "password": "paper moon river 7", "email": LONG_EMAIL},
    )
    assert response.status_code == 200
    assert TOO_LONG in response.context["form"].errors["email"][0]
    assert not Member.objects.filter(card=unregistered_card).exists()


def test_the_email_change_refuses_it_too(english: Client, alice: Member) -> None:
    english.force_login(alice)
    response = english.post("/email/", {"email": LONG_EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert TOO_LONG in response.context["form"].errors["email"][0]
    assert Member.objects.get(pk=alice.pk).email == "alice-visa@example.jp"


def test_the_forgotten_password_form_refuses_it_too(english: Client, alice: Member) -> None:
    response = english.post(
        "/password/forgot/", {"username": "alice-visa", "date_of_birth": "1985-06-15", "email": LONG_EMAIL}
    )
    assert TOO_LONG in response.context["form"].errors["email"][0]
