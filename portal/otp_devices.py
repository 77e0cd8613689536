"""An SMS one-time-password device on django-otp that keeps only a keyed hash of its code.

django-otp's `SideChannelDevice` gives the code's lifetime, `CooldownMixin` the pause between
sends and `ThrottlingMixin` the back-off after wrong entries. Its stock token is stored as
plain text and compared with `==`; here the code is hashed (HMAC under the server secret and
the device's binding) and compared in constant time, and it dies at its first success.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.models import CooldownMixin, SideChannelDevice, ThrottlingMixin
from django_otp.util import random_number_token

RESENDS_EXHAUSTED = "resends_exhausted"


class HashedSmsDevice(ThrottlingMixin, CooldownMixin, SideChannelDevice):
    token_hash = models.CharField(max_length=64, blank=True)
    sends = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def binding(self) -> str:
        """What the code is bound to (a transaction, a phone number being verified)."""
        raise NotImplementedError

    def get_throttle_factor(self) -> int:
        return settings.OTP_THROTTLE_FACTOR

    def get_cooldown_duration(self) -> int:
        return settings.OTP_RESEND_COOLDOWN_SECONDS

    def generate_is_allowed(self) -> tuple[bool, dict[str, object] | None]:
        """django-otp's cooldown, and the quota: the first code and OTP_MAX_RESENDS more."""
        if self.sends > settings.OTP_MAX_RESENDS:
            return False, {"reason": RESENDS_EXHAUSTED}
        return super().generate_is_allowed()  # type: ignore[no-any-return]

    def _digest(self, token: str) -> str:
        key = f"otp:{type(self).__name__}:{settings.SECRET_KEY}".encode()
        return hmac.new(key, f"{self.binding()}:{token}".encode(), hashlib.sha256).hexdigest()

    def generate_token(self, length: int = 6, valid_secs: int = 300, commit: bool = True) -> str:  # type: ignore[override]
        """Make a new code (the previous one dies) and return it for sending; only its hash stays."""
        token = random_number_token(length)
        self.token = None
        self.token_hash = self._digest(token)
        self.valid_until = timezone.now() + dt.timedelta(seconds=valid_secs)
        self.sends += 1
        self.cooldown_set(commit=False)
        if commit:
            self.save()
        return token

    def verify_token(self, token: object) -> bool:
        now = timezone.now()
        candidate = self._digest(token.strip()) if isinstance(token, str) else ""
        matches = bool(self.token_hash) and hmac.compare_digest(candidate, self.token_hash)
        if matches and now < self.valid_until:
            self.token_hash = ""
            self.valid_until = now
            self.throttle_reset(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.valid_until
