"""The legacy My Net+ password challenge, and the lockout it shares with the portal."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from acs.models import Transaction
from portal.models import Member
from portal.services.accounts import account_record_failure

from ..conftest import PASSWORD
from .challenge_helpers import cres_of, open_challenge, start, step

pytestmark = pytest.mark.usefixtures("card_ranges")
LEGACY = {"acctNumber": "4012888888881881", "browserLanguage": "en"}


def test_it_shows_the_password_form_with_the_personal_message(client: Client, carol: Member) -> None:
    html = open_challenge(client, start(client, **LEGACY)).content.decode()
    assert "いつもの猫" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert 'autocomplete="current-password"' in html


def test_it_passes_the_right_id_and_password(client: Client, carol: Member) -> None:
    page = open_challenge(client, start(client, **LEGACY))
    done = step(client, page, username="CAROL-LEGACY", password=PASSWORD)
    assert cres_of(done)["transStatus"] == "Y"
    carol.refresh_from_db()
    assert carol.failed_login_count == 0


@pytest.mark.parametrize(
    "username, password", [("carol-legacy", "wrong-password-1"), ("someone-else", PASSWORD)]
)
def test_it_never_says_which_of_id_or_password_was_wrong(
    client: Client, carol: Member, username: str, password: str
) -> None:
    page = open_challenge(client, start(client, **LEGACY))
    html = step(client, page, username=username, password=password).content.decode()
    assert "The My Net+ ID or password is not correct. You have 2 tries left." in html
    carol.refresh_from_db()
    assert carol.failed_login_count == 1


def test_it_locks_the_account_on_the_fifth_failure_across_portal_and_challenge(
    client: Client, carol: Member
) -> None:
    for _ in range(3):
        account_record_failure(member=carol)  # three misses at the My Net+ log-in
    page = open_challenge(client, start(client, **LEGACY))
    page = step(client, page, username="carol-legacy", password="wrong-password-1")
    done = step(client, page, username="carol-legacy", password="wrong-password-2")
    assert cres_of(done)["transStatus"] == "N"
    carol.refresh_from_db()
    assert carol.is_locked and carol.failed_login_count == 5
    assert Transaction.objects.get().trans_status_reason == "01"


def test_it_ends_n_when_the_account_is_locked(client: Client, carol: Member) -> None:
    Member.objects.filter(pk=carol.pk).update(is_locked=True)
    page = open_challenge(client, start(client, **LEGACY))
    done = step(client, page, username="carol-legacy", password=PASSWORD)
    assert cres_of(done)["transStatus"] == "N"


def test_a_temporary_password_cannot_pass_a_challenge(client: Client, carol: Member) -> None:
    Member.objects.filter(pk=carol.pk).update(must_change_password=True)
    page = open_challenge(client, start(client, **LEGACY))
    html = step(client, page, username="carol-legacy", password=PASSWORD).content.decode()
    assert "temporary password" in html
    assert Transaction.objects.get().state == Transaction.State.CHALLENGING


@override_settings(OTP_MAX_ATTEMPTS=3)
def test_it_ends_n_19_after_three_wrong_passwords(client: Client, carol: Member) -> None:
    page = open_challenge(client, start(client, **LEGACY))
    for attempt in range(3):
        page = step(client, page, username="carol-legacy", password=f"wrong-password-{attempt}")
    assert cres_of(page)["transStatus"] == "N"
    assert Transaction.objects.get().trans_status_reason == "19"
