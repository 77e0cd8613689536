"""Authentication for My Net+ accounts: a locked account or an unusable card never logs in.

Every log-in through `django.contrib.auth.authenticate` (the admin's, above all) counts a wrong
password towards the lockout that My Net+ log-in and the challenge share. My Net+ log-in checks
passwords itself (portal.services.authentication) and does not come through here, so no failure
is counted twice.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from portal.models import Member
from portal.services.accounts import account_record_failure, account_record_success


class MemberBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Member | None:
        username = username if username is not None else kwargs.get(Member.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            member = Member.objects.get_by_natural_key(username)
        except Member.DoesNotExist:
            Member().set_password(password)  # one hash, as for a known ID: timing tells nothing
            return None
        password_ok = member.check_password(password)
        if not self.user_can_authenticate(member):
            return None  # a locked account counts no more failures, like My Net+ log-in
        if not password_ok:
            account_record_failure(member=member)
            return None
        account_record_success(member=member)
        return member

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Member | None:
        # ModelBackend's own async path would skip the counting above.
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not getattr(user, "is_locked", False) and getattr(user, "card_usable", True)
