"""Digits typed with a Japanese IME (full-width "１２３") count as the digits they are."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from portal.ime import ime_normalise
from portal.models import Card, Member, ThreeDSEnrolment
from portal.sms.models import SmsMessage

from ..conftest import make_member
from .conftest import NO_MATCH, PROOF


def full_width(text: str) -> str:
    """The text as an IME in full-width mode types it: ASCII 0x21-0x7E as U+FF01-U+FF5E, space as U+3000."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    "raw, digits, expected",
    [
        ("１２／３０", False, "12/30"),
        ("\u3000０９０－１２３４－５６７８\u3000", False, "090-1234-5678"),
        ("７５２ ８６１", True, "752861"),
        ("３５３０\u3000１１１３ー３３３０−００００", True, "3530111333300000"),
        ("4111 1111 1111 111l", True, "411111111111111l"),  # a letter stays, to be refused
    ],
)
def test_it_folds_full_width_text_to_ascii(raw: str, digits: bool, expected: str) -> None:
    assert ime_normalise(raw, digits=digits) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"pan": full_width(PROOF["pan"])},
        {"expiry": full_width(PROOF["expiry"])},
        {"date_of_birth": full_width(PROOF["date_of_birth"])},
        {"contact": full_width("090-3330-0000")},
        {"contact": full_width("holder0000@example.jp")},
        {key: full_width(value) for key, value in PROOF.items()},
    ],
    ids=["card-number", "expiry", "date-of-birth", "phone", "e-mail", "all"],
)
def test_it_proves_a_card_typed_in_full_width(
    english: Client, unregistered_card: Card, changes: dict[str, str]
) -> None:
    response = english.post("/register/", {**PROOF, **changes})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/register/account/"


def test_a_letter_in_the_card_number_is_still_refused(english: Client, unregistered_card: Card) -> None:
    response = english.post("/register/", {**PROOF, "pan": "3530 1113 3330 000O"})
    html = response.content.decode()
    assert "Enter the card number (13 to 19 digits)." in html and NO_MATCH not in html


def test_it_enrols_a_full_width_number_with_a_full_width_code(
    english: Client, unregistered_card: Card
) -> None:
    dan = make_member(unregistered_card, "dan-tanaka", method=None)
    english.force_login(dan)
    response = english.post("/3ds/enrol/", {"mobile": full_width("080-1234-5678")})
    assert response["Location"] == "/3ds/verify/"
    code = re.search(r"\b(\d{6})\b", SmsMessage.objects.get().body).group(1)  # type: ignore[union-attr]
    spaced = full_width(f"{code[:3]} {code[3:]}")  # 7 characters: fits the 6 only once folded
    assert english.post("/3ds/verify/", {"code": spaced})["Location"] == "/home/"
    assert ThreeDSEnrolment.objects.get(member=dan).mobile == "+818012345678"


def test_the_forgotten_password_form_takes_a_full_width_date_of_birth(english: Client, alice: Member) -> None:
    response = english.post(
        "/password/forgot/",
        {"username": alice.username, "date_of_birth": full_width("1985-06-15"), "email": alice.email},
    )
    assert "Enter a valid date" not in response.content.decode()
    assert mail.outbox[-1].to == [alice.email]  # the details matched: a temporary password is sent
