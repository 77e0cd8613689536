"""What an authentication needs of the issuer's records: card, My Net+ account, enrolment.

Read on every AReq, so it is one prepared statement (config.sql) into plain frozen records
rather than three ORM models: the ORM's joins cost more Python time than the rest of the
look-up together. `cardholder_read` lets the ACS send it with its other reads in one trip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from config.sql import Read, Statement, aware_datetime
from portal.models import Card, ThreeDSEnrolment

_SQL = (
    "SELECT c.id, c.status, c.brand, c.expiry_year, c.expiry_month, c.cardholder_name, c.email, c.mobile, "
    "m.id, m.is_active, m.email, m.date_joined, e.id, e.method, e.mobile, e.enrolled_at "
    "FROM portal_card c "
    "LEFT JOIN portal_member m ON m.card_id = c.id "
    "LEFT JOIN portal_threedsenrolment e ON e.member_id = m.id "
    "WHERE c.pan_fingerprint = %s"
)


@dataclass(frozen=True, slots=True)
class CardRecord:
    id: int
    status: str
    brand: str
    expiry_year: int
    expiry_month: int
    cardholder_name: str
    email: str
    mobile: str

    @property
    def expiry_yymm(self) -> str:
        return f"{self.expiry_year % 100:02d}{self.expiry_month:02d}"

    def expired_at(self, when: dt.datetime) -> bool:
        """Tell whether the card has expired at `when`, an aware datetime.

        A card is valid through the last day of its expiry month in the issuer's time
        (settings.TIME_ZONE, Japan): 12/25 ends at 2026-01-01 00:00 JST, 2025-12-31 15:00 UTC.
        """
        local = when.astimezone(timezone.get_default_timezone())
        return (self.expiry_year, self.expiry_month) < (local.year, local.month)


@dataclass(frozen=True, slots=True)
class AccountRecord:
    is_active: bool
    email: str
    date_joined: dt.datetime


@dataclass(frozen=True, slots=True)
class EnrolmentRecord:
    method: ThreeDSEnrolment.Method
    mobile: str
    enrolled_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CardholderRecord:
    card: CardRecord
    account: AccountRecord | None  # the card's My Net+ account, if registered
    enrolment: EnrolmentRecord | None  # its 3-D Secure enrolment, while the account is active


def _decrypted(model: type[Card | ThreeDSEnrolment], field: str, value: str | None) -> str:
    # The model field's own decryption, so that the purpose bound to the ciphertext always matches.
    return model._meta.get_field(field).from_db_value(value, None, connection) or ""  # type: ignore[union-attr]


def cardholder_read(pan_fingerprint: str) -> Read[CardholderRecord | None]:
    """Read the card with this PAN fingerprint and its account and enrolment (None: no card).

    Run it with config.sql.read, or with the ACS's other reads (config.sql.read_together).
    """
    return Read(Statement(_SQL, [pan_fingerprint]), _record)


def _record(row: tuple[Any, ...] | None) -> CardholderRecord | None:
    if row is None:
        return None
    card_id, status, brand, year, month, name, email, mobile, member_id, active, *rest = row
    account_email, joined, enrolment_id, method, enrolled_mobile, enrolled_at = rest
    card = CardRecord(
        id=card_id,
        status=status,
        brand=brand,
        expiry_year=year,
        expiry_month=month,
        cardholder_name=name,
        email=_decrypted(Card, "email", email),
        mobile=_decrypted(Card, "mobile", mobile),
    )
    account = (
        None
        if member_id is None
        else AccountRecord(bool(active), account_email or "", aware_datetime(joined))
    )
    enrolment = None
    if account is not None and account.is_active and enrolment_id is not None:
        enrolment = EnrolmentRecord(
            method=ThreeDSEnrolment.Method(method),
            mobile=_decrypted(ThreeDSEnrolment, "mobile", enrolled_mobile),
            enrolled_at=aware_datetime(enrolled_at),
        )
    return CardholderRecord(card=card, account=account, enrolment=enrolment)
