"""manage.py unlock_account: the operator's way back in for a locked staff account."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from portal.models import Member

pytestmark = pytest.mark.django_db

PASSWORD = "Support-pass-2026"


@pytest.fixture
def support() -> Member:
    return Member.objects.create_superuser("support", "support@example.jp", PASSWORD)


def test_it_unlocks_a_staff_account_locked_at_the_admin_log_in(client: Client, support: Member) -> None:
    for _ in range(5):
        client.post("/admin/login/", {"username": "support", "password": "wrong"})
    support.refresh_from_db()
    assert support.is_locked

    out = StringIO()
    call_command("unlock_account", "SUPPORT", stdout=out)

    assert "support: unlocked" in out.getvalue()
    support.refresh_from_db()
    assert (support.is_locked, support.failed_login_count) == (False, 0)
    response = client.post("/admin/login/?next=/admin/", {"username": "support", "password": PASSWORD})
    assert response.status_code == 302


def test_it_says_so_for_an_account_that_was_not_locked(support: Member) -> None:
    out = StringIO()
    call_command("unlock_account", "support", stdout=out)
    assert "was not locked" in out.getvalue()


def test_it_refuses_an_unknown_id() -> None:
    with pytest.raises(CommandError, match="no account"):
        call_command("unlock_account", "nobody")
