"""Log-in and log-out: session rotation, lockout shared with the challenge, per-IP limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from portal.models import Member

from ..conftest import PASSWORD


def test_it_logs_in_case_insensitively_and_rotates_the_session(english: Client, alice: Member) -> None:
    english.get("/login/")
    english.session.save()
    before = english.session.session_key
    response = english.post("/login/", {"username": "ALICE-VISA", "password": PASSWORD})
    assert response["Location"] == "/home/"
    assert english.session.session_key != before
    assert english.get("/home/").status_code == 200


def test_it_logs_out_on_post_only(english: Client, alice: Member) -> None:
    english.force_login(alice)
    assert english.get("/logout/").status_code == 405
    english.post("/logout/")
    assert english.get("/home/")["Location"].startswith("/login/")


@pytest.mark.parametrize("username, password", [("alice-visa", "wrong-password"), ("nobody-here", PASSWORD)])
def test_it_never_says_which_of_id_or_password_was_wrong(
    english: Client, alice: Member, username: str, password: str
) -> None:
    html = english.post("/login/", {"username": username, "password": password}).content.decode()
    assert "The My Net+ ID or password is not correct." in html


def test_it_locks_after_five_failures_and_says_how_to_unlock(english: Client, alice: Member) -> None:
    for _ in range(4):
        english.post("/login/", {"username": "alice-visa", "password": "wrong-password"})
    fifth = english.post("/login/", {"username": "alice-visa", "password": "wrong-password"})
    # The lock is told only to whoever knows the password: an unknown ID never gets "locked".
    assert fifth.status_code == 200
    assert "The My Net+ ID or password is not correct." in fifth.content.decode()
    right = english.post("/login/", {"username": "alice-visa", "password": PASSWORD})
    assert right.status_code == 403
    assert "This account is locked" in right.content.decode() and "0120-000-000" in right.content.decode()
    alice.refresh_from_db()
    assert alice.is_locked and alice.failed_login_count == 5


def test_a_success_resets_the_failure_count(english: Client, alice: Member) -> None:
    english.post("/login/", {"username": "alice-visa", "password": "wrong-password"})
    english.post("/login/", {"username": "alice-visa", "password": PASSWORD})
    alice.refresh_from_db()
    assert alice.failed_login_count == 0


def test_it_rate_limits_log_in_per_ip(english: Client, alice: Member, settings: Any) -> None:
    settings.RATELIMIT_LOGIN = "3/h"  # an hour's window: a minute's may roll over mid-test
    for _ in range(3):
        english.post("/login/", {"username": "nobody-here", "password": "x" * 10})
    blocked = english.post("/login/", {"username": "alice-visa", "password": PASSWORD})
    assert "Too many attempts" in blocked.content.decode()
    other_ip = english.post(
        "/login/", {"username": "alice-visa", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_ip.status_code == 302


def test_it_denies_framing(english: Client, db: None) -> None:
    assert english.get("/login/")["X-Frame-Options"] == "DENY"


def test_it_requires_csrf_on_forms(alice: Member) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/login/", {"username": "alice-visa", "password": PASSWORD}).status_code == 403
