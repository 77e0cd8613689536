"""Password change and forgotten-password recovery."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member
from portal.services.accounts import DUMMY_PASSWORD_HASH, password_verify
from portal.services.notices import notice_send

# No look-alike characters (0/O, 1/l/I): the member types it from an e-mail.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def password_change(*, member: Member, current: str | None, new: str) -> None:
    """Set a new password (the current one is asked unless a temporary one was just used).

    It takes effect at once everywhere the password is checked, the challenge included.
    """
    if current is not None and not password_verify(member=member, password=current):
        raise ValidationError({"current": _("The current password is not correct.")})
    validate_password(new, member)
    if check_password(new, member.password):
        raise ValidationError({"new": _("Choose a password different from the current one.")})
    member.set_password(new)
    member.must_change_password = False
    member.temporary_password_until = None
    member.save(update_fields=["password", "must_change_password", "temporary_password_until"])
    notice_send(member=member, kind="password_changed")


def password_forgotten(*, username: str, date_of_birth: dt.date, email: str) -> None:
    """Mail a temporary password when the details match; do the same work when they do not.

    The caller answers the same thing either way, so the form reveals nothing about accounts.
    """
    member = (
        Member.objects.select_related("card")
        .filter(username__iexact=username.strip(), card__isnull=False)
        .first()
    )
    matches = (
        member is not None
        and member.card is not None
        and member.card.date_of_birth == date_of_birth
        and member.email.casefold() == email.strip().casefold()
        and member.card_usable
        and member.is_active
    )
    temporary = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(12))
    hashed = make_password(temporary)  # the expensive step, taken on both paths
    if not matches or member is None:
        check_password(temporary, DUMMY_PASSWORD_HASH)
        return
    until = timezone.now() + dt.timedelta(minutes=settings.TEMPORARY_PASSWORD_MINUTES)
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(
            password=hashed, must_change_password=True, temporary_password_until=until
        )
    check_password(temporary, hashed)
    notice_send(member=member, kind="temporary_password", temporary_password=temporary, valid_until=until)
