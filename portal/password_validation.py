"""Password rules after NIST SP 800-63B: long enough, long allowed, no composition rules,
refused when common (Django's list) or too close to the member's ID, name or card number."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 128  # SP 800-63B asks that at least 64 characters be allowed.


class MaximumLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _("Use at most %(max)d characters.") % {"max": MAX_LENGTH}, code="password_too_long"
            )

    def get_help_text(self) -> str:
        return _("Up to %(max)d characters; spaces and any characters are allowed.") % {"max": MAX_LENGTH}


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-.]", "", text).casefold()


class CardSimilarityValidator:
    """Refuse a password built from the My Net+ ID, the cardholder's name or the card number."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        candidate = _normalise(password)
        card = getattr(user, "card", None)
        pan = getattr(card, "pan", "") or ""
        words = [getattr(user, "username", "") or ""]
        if card is not None:
            words += [card.cardholder_name, *card.cardholder_name.split()]
        for word in filter(None, (_normalise(w) for w in words)):
            if len(word) >= 3 and (word in candidate or SequenceMatcher(None, candidate, word).ratio() > 0.7):
                raise ValidationError(
                    _("The password is too close to your My Net+ ID or name."), code="password_too_similar"
                )
        digits = re.sub(r"\D", "", password)
        if pan and len(digits) >= 6 and any(pan[i : i + 6] in digits for i in range(len(pan) - 5)):
            raise ValidationError(
                _("The password must not contain your card number."), code="password_has_card"
            )

    def get_help_text(self) -> str:
        return _("It must not resemble your My Net+ ID, your name or your card number.")
