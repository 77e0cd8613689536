"""The legacy challenge method: the cardholder's My Net+ ID and password.

A wrong entry never says which of the two was wrong, and always costs one password hash so
that timing does not tell them apart either. Failures count on the account's own counter, the
one My Net+ log-in uses, so five misses across portal and challenge lock the account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password

from acs import services
from acs.models import Transaction
from portal.services.accounts import DUMMY_PASSWORD_HASH, account_record_failure, account_record_success


@dataclass(frozen=True)
class PasswordResult:
    txn: Transaction
    ok: bool = False
    error: str = ""  # "wrong", "locked", "must_change"


def password_check(*, txn: Transaction, username: str, password: str) -> PasswordResult:
    account = txn.card.account if txn.card is not None else None  # type: ignore[union-attr]
    if account is None:
        return PasswordResult(txn, error="wrong")
    id_matches = username.strip().casefold() == account.username.casefold()
    password_ok = check_password(password, account.password if id_matches else DUMMY_PASSWORD_HASH)
    if account.is_locked:
        done = services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="N", reason="01")
        return PasswordResult(done or txn, error="locked")
    if id_matches and password_ok and account.must_change_password:
        # A temporary password opens My Net+ only, to set a new one; it never passes a challenge.
        counted = services.challenge_count_attempt(acs_trans_id=txn.acs_trans_id)
        return PasswordResult(counted, error="must_change")
    if id_matches and password_ok:
        account_record_success(member=account)
        done = services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="Y", attempt=True)
        return PasswordResult(done or txn, ok=True)
    locked = account_record_failure(member=account).is_locked
    if locked:
        done = services.challenge_complete(
            acs_trans_id=txn.acs_trans_id, trans_status="N", reason="01", attempt=True
        )
        return PasswordResult(done or txn, error="locked")
    counted = services.challenge_count_attempt(acs_trans_id=txn.acs_trans_id)
    return PasswordResult(counted, error="wrong")
