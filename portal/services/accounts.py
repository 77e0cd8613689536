"""Account state changes: failed-login counting, lockout and unlock.

The same counter serves My Net+ log-in and the ACS challenge's password method, so that an
attacker cannot double the guesses by alternating between them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from portal.models import Member

# Checked against when there is no account, so that an unknown ID costs the same hashing time.
DUMMY_PASSWORD_HASH = make_password("never-a-real-password")


def password_verify(*, member: Member, password: str | None) -> bool:
    """Check a member's password where it is asked again (change of phone, e-mail, password).

    A wrong entry counts towards the same lockout as log-in and the challenge: re-entry pages
    must not give an attacker with a stolen session free guesses.
    """
    if password is not None and check_password(password, member.password):
        account_record_success(member=member)
        return True
    account_record_failure(member=member)
    return False


def account_record_failure(*, member: Member) -> Member:
    """Count one failed password entry; lock the account at the threshold."""
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        locked.failed_login_count += 1
        if locked.failed_login_count >= settings.LOCKOUT_THRESHOLD and not locked.is_locked:
            locked.is_locked = True
            locked.locked_at = timezone.now()
        locked.save(update_fields=["failed_login_count", "is_locked", "locked_at"])
    return locked


def account_record_success(*, member: Member) -> None:
    if member.failed_login_count:
        Member.objects.filter(pk=member.pk).update(failed_login_count=0)
        member.failed_login_count = 0


def account_unlock(*, member: Member) -> int:
    """Lift a lockout (support staff); return 1 if the account was locked."""
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if not locked.is_locked and not locked.failed_login_count:
            return 0
        was_locked = int(locked.is_locked)
        locked.is_locked = False
        locked.locked_at = None
        locked.failed_login_count = 0
        locked.save(update_fields=["is_locked", "locked_at", "failed_login_count"])
    return was_locked
