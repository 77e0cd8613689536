"""The signed hidden field that carries a challenge page's state instead of a cookie.

The challenge runs in the merchant's cross-site iframe, where browsers drop third-party
cookies, so each page carries `[acsTransID, step]` signed with the server's secret. The step is
bumped every time a page is served: an old or replayed form names an old step and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_signer = signing.TimestampSigner(salt="acs.challenge.step")


@dataclass(frozen=True)
class StepToken:
    acs_trans_id: str
    step: int
    expired: bool


class InvalidToken(Exception):
    """The token was not made by this ACS (or not for a challenge page)."""


def step_token(acs_trans_id: object, step: int) -> str:
    return _signer.sign_object([str(acs_trans_id), step])


def read_step_token(token: str) -> StepToken:
    """Return the token's contents; `expired` when older than the page inactivity limit."""
    try:
        acs_trans_id, step = _signer.unsign_object(token, max_age=settings.CHALLENGE_INACTIVITY_SECONDS)
        expired = False
    except signing.SignatureExpired:
        acs_trans_id, step = _signer.unsign_object(token)
        expired = True
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidToken from None
    if not isinstance(acs_trans_id, str) or not isinstance(step, int):
        raise InvalidToken
    return StepToken(acs_trans_id, step, expired)
