"""My Net+ log-in: the lockout counter shared with the challenge, and temporary passwords.

Every path costs one password hash, known ID or not, so the response time does not tell an
attacker which IDs exist. For the same reason the answer does not either: an account's state
(locked, card no longer usable) is told only to whoever gave its right password; a wrong
password is "invalid" for every ID, known or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone

from portal.models import Member
from portal.services.accounts import DUMMY_PASSWORD_HASH, account_record_failure, account_record_success


@dataclass(frozen=True)
class LoginResult:
    member: Member | None = None
    error: str = ""  # "invalid", "locked", "unusable", "expired"

    @property
    def must_change_password(self) -> bool:
        return self.member is not None and self.member.must_change_password


def member_authenticate(*, username: str, password: str) -> LoginResult:
    # Only accounts with a card are My Net+ accounts: support staff log in at the admin, and the
    # member form must not let anyone count towards (and so cause) a staff lockout.
    member = (
        Member.objects.select_related("card")
        .filter(username__iexact=username.strip(), card__isnull=False)
        .first()
    )
    if member is None:
        check_password(password, DUMMY_PASSWORD_HASH)
        return LoginResult(error="invalid")
    if not check_password(password, member.password):
        if not member.is_locked:  # a locked account has nothing more to count
            account_record_failure(member=member)
        return LoginResult(error="invalid")  # even for the failure that just locked it
    if member.is_locked:
        return LoginResult(error="locked")
    if not member.is_active or not member.card_usable:
        return LoginResult(error="unusable")
    if member.must_change_password and not _temporary_password_redeem(member):
        return LoginResult(error="expired")
    account_record_success(member=member)
    return LoginResult(member)


def _temporary_password_redeem(member: Member) -> bool:
    """A temporary password works once, within its hour: the first log-in uses it up."""
    with transaction.atomic():
        fresh = Member.objects.select_for_update().get(pk=member.pk)
        if fresh.temporary_password_until is None or fresh.temporary_password_until < timezone.now():
            return False
        fresh.temporary_password_until = None
        fresh.save(update_fields=["temporary_password_until"])
    member.temporary_password_until = None
    return True
