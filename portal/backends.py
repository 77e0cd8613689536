"""Authentication for My Net+ accounts: a locked account or an unusable card never logs in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not getattr(user, "is_locked", False) and getattr(user, "card_usable", True)
