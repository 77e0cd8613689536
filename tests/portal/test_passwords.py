"""Password change (shared with the challenge) and forgotten-password recovery."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.models import Member
from portal.services.passwords import password_forgotten

from ..conftest import PASSWORD

NEW = "a brand new passphrase"
FORGOT = {"username": "alice-visa", "date_of_birth": "1985-06-15", "email": "alice-visa@example.jp"}


def _temporary_password() -> str:
    return re.search(r"(?:^|\s)([A-Za-z0-9]{12})\s*$", mail.outbox[-1].body, re.M).group(1)  # type: ignore[union-attr]


def test_it_changes_the_password_with_the_current_one_and_sends_a_notice(
    english: Client, alice: Member
) -> None:
    english.force_login(alice)
    wrong = english.post("/password/", {"current": "not-it-at-all", "new": NEW})
    assert "The current password is not correct." in wrong.content.decode()
    assert english.post("/password/", {"current": PASSWORD, "new": NEW})["Location"] == "/home/"
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    assert mail.outbox[-1].to == ["alice-visa@example.jp"]
    assert "password" in mail.outbox[-1].subject.lower() or "パスワード" in mail.outbox[-1].subject
    assert english.get("/home/").status_code == 200  # the session survives its own change


def test_the_forgotten_password_page_answers_the_same_either_way(english: Client, alice: Member) -> None:
    known = english.post("/password/forgot/", FORGOT)
    unknown = english.post("/password/forgot/", {**FORGOT, "username": "nobody-here"})
    wrong_dob = english.post("/password/forgot/", {**FORGOT, "date_of_birth": "1990-01-01"})

    def page(response: Any) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert page(known) == page(unknown) == page(wrong_dob)
    assert len(mail.outbox) == 1


def test_a_temporary_password_works_once_forces_a_change_and_then_logs_in(
    english: Client, alice: Member
) -> None:
    english.post("/password/forgot/", FORGOT)
    temporary = _temporary_password()
    first = english.post("/login/", {"username": "alice-visa", "password": temporary})
    assert first["Location"] == "/password/new/"
    assert english.get("/home/")["Location"] == "/password/new/"
    english.post("/logout/")
    again = english.post("/login/", {"username": "alice-visa", "password": temporary})
    assert "expired or was already used" in again.content.decode()


def test_the_forced_change_sets_the_new_password(english: Client, alice: Member) -> None:
    english.post("/password/forgot/", FORGOT)
    english.post("/login/", {"username": "alice-visa", "password": _temporary_password()})
    assert english.post("/password/new/", {"new": NEW})["Location"] == "/home/"
    english.post("/logout/")
    assert english.post("/login/", {"username": "alice-visa", "password": NEW})["Location"] == "/home/"
    alice.refresh_from_db()
    assert not alice.must_change_password


def test_a_temporary_password_expires_after_an_hour(english: Client, alice: Member) -> None:
    english.post("/password/forgot/", FORGOT)
    Member.objects.filter(pk=alice.pk).update(
        temporary_password_until=timezone.now() - dt.timedelta(seconds=1)
    )
    late = english.post("/login/", {"username": "alice-visa", "password": _temporary_password()})
    assert "expired or was already used" in late.content.decode()


def test_the_forgotten_password_form_is_rate_limited(english: Client, alice: Member, settings: Any) -> None:
    settings.RATELIMIT_RECOVERY = "2/h"  # an hour's window: a minute's may roll over mid-test
    english.post("/password/forgot/", {**FORGOT, "username": "nobody-1"})
    english.post("/password/forgot/", {**FORGOT, "username": "nobody-2"})
    blocked = english.post("/password/forgot/", FORGOT)
    assert "Too many attempts" in blocked.content.decode()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("details", [FORGOT, {**FORGOT, "username": "nobody-here"}])
def test_both_forgotten_password_paths_hash_a_password(alice: Member, details: dict[str, str]) -> None:
    with (
        mock.patch.object(
            Argon2PasswordHasher, "encode", autospec=True, side_effect=Argon2PasswordHasher.encode
        ) as encode,
        mock.patch.object(
            Argon2PasswordHasher, "verify", autospec=True, side_effect=Argon2PasswordHasher.verify
        ) as verify,
    ):
        password_forgotten(
            username=details["username"], date_of_birth=dt.date(1985, 6, 15), email=details["email"]
        )
    assert (encode.call_count, verify.call_count) == (1, 1)


@pytest.mark.parametrize("username", ["alice-visa", "nobody-here"])
def test_both_login_paths_hash_a_password(client: Client, alice: Member, username: str) -> None:
    with mock.patch.object(
        Argon2PasswordHasher, "verify", autospec=True, side_effect=Argon2PasswordHasher.verify
    ) as verify:
        client.post("/login/", {"username": username, "password": "wrong-password"})
    assert verify.call_count == 1
