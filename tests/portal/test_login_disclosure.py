"""The log-in tells an account's state (locked, card unusable) only to whoever knows its password.

Otherwise a wrong password would answer "locked" or "unusable" for an ID that exists and
"invalid" for one that does not, and the form would list My Net+ IDs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import hashers
from django.test import Client

from portal.models import Card, Member
from portal.services.authentication import member_authenticate

from ..conftest import PASSWORD

INVALID = "The My Net+ ID or password is not correct."
LOCKED = "This account is locked"
UNUSABLE = "can no longer be used"


def _lock(member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(is_locked=True, failed_login_count=5)


def _replace_card(member: Member) -> None:
    Card.objects.filter(pk=member.card_id).update(status=Card.Status.REPLACED)


def _close_card(member: Member) -> None:
    Card.objects.filter(pk=member.card_id).update(status=Card.Status.CLOSED)


def _deactivate(member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(is_active=False)


STATES: dict[str, Callable[[Member], None]] = {
    "locked": _lock,
    "replaced": _replace_card,
    "closed": _close_card,
    "inactive": _deactivate,
}


def _answer(client: Client, username: str, password: str) -> tuple[int, list[str], bool]:
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code, list(response.context["form"].non_field_errors()), response.context["locked"]


@pytest.mark.parametrize("state", STATES)
def test_a_wrong_password_gets_the_unknown_id_answer_whatever_the_state(
    english: Client, alice: Member, state: str
) -> None:
    STATES[state](alice)
    unknown = _answer(english, "nobody-here", "wrong-password")
    assert unknown == (200, [INVALID], False)
    assert _answer(english, "alice-visa", "wrong-password") == unknown


@pytest.mark.parametrize("state, status, text", [("locked", 403, LOCKED), ("replaced", 200, UNUSABLE)])
def test_the_state_is_told_with_the_right_password(
    english: Client, alice: Member, state: str, status: int, text: str
) -> None:
    STATES[state](alice)
    response = english.post("/login/", {"username": "alice-visa", "password": PASSWORD})
    assert response.status_code == status
    assert text in response.content.decode()
    assert "_auth_user_id" not in english.session


def test_a_wrong_password_on_a_locked_account_adds_nothing(english: Client, alice: Member) -> None:
    _lock(alice)
    english.post("/login/", {"username": "alice-visa", "password": "wrong-password"})
    assert Member.objects.get(pk=alice.pk).failed_login_count == 5


@pytest.mark.parametrize(
    "username, password, prepare",
    [
        ("nobody-here", PASSWORD, None),
        ("support", PASSWORD, None),
        ("alice-visa", "wrong-password", None),
        ("alice-visa", PASSWORD, None),
        ("alice-visa", "wrong-password", _lock),
        ("alice-visa", PASSWORD, _lock),
        ("alice-visa", "wrong-password", _replace_card),
        ("alice-visa", PASSWORD, _replace_card),
    ],
)
def test_every_path_costs_one_password_hash(
    alice: Member, staff: Member, username: str, password: str, prepare: Any
) -> None:
    if prepare:
        prepare(alice)
    with mock.patch("portal.services.authentication.check_password", wraps=hashers.check_password) as check:
        member_authenticate(username=username, password=password)
    assert check.call_count == 1
