"""Support-staff accounts have no card: they are not My Net+ accounts, on the log-in or after it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from portal.models import Member

from ..conftest import PASSWORD

MEMBER_PAGES = [
    "/home/",
    "/password/",
    "/password/new/",
    "/3ds/enrol/",
    "/3ds/switch/",
    "/3ds/phone/",
    "/3ds/verify/",
    "/3ds/message/",
    "/email/",
]


def test_the_member_log_in_cannot_lock_a_staff_account(english: Client, staff: Member, settings: Any) -> None:
    for _attempt in range(settings.LOCKOUT_THRESHOLD + 1):
        response = english.post("/login/", {"username": "support", "password": "wrong-password"})
        assert response.status_code == 200
    staff.refresh_from_db()
    assert not staff.is_locked and staff.failed_login_count == 0


def test_the_member_log_in_does_not_know_a_staff_account(english: Client, staff: Member) -> None:
    response = english.post("/login/", {"username": "support", "password": PASSWORD})
    assert response.status_code == 200
    assert "The My Net+ ID or password is not correct." in response.content.decode()
    assert "_auth_user_id" not in english.session


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_a_staff_session_is_told_member_pages_are_for_members(staff_client: Client, path: str) -> None:
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(path)
    assert response.status_code == 403
    assert "This page is for My Net+ members" in response.content.decode()


def test_a_staff_session_cannot_report_fraud(staff_client: Client) -> None:
    assert staff_client.post(f"/report/{uuid.uuid4()}/").status_code == 403


def test_a_staff_session_still_reaches_the_admin(staff_client: Client) -> None:
    assert staff_client.get("/admin/").status_code == 200
