"""The AReq path's one-statement read of card, account and enrolment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.sql import read
from portal import crypto
from portal.cardholder_records import CardholderRecord, cardholder_read
from portal.models import Card, Member, ThreeDSEnrolment
from tests.conftest import ALICE_PAN, CAROL_PAN, UNREGISTERED_PAN


@pytest.mark.django_db
def test_it_reads_an_enrolled_cardholder_in_one_statement(alice: Member) -> None:
    with CaptureQueriesContext(connection) as queries:
        record = _cardholder(crypto.pan_fingerprint(ALICE_PAN))
    assert len(queries) == 1
    assert record is not None
    card = record.card
    assert card.id == alice.card_id
    assert (card.brand, card.status, card.cardholder_name) == ("visa", "active", "ALICE SATO")
    assert (card.mobile, card.email, card.expiry_yymm) == ("+819011110001", "holder1111@example.jp", "3012")
    assert record.account is not None and record.account.is_active
    assert record.account.email == "alice-visa@example.jp"
    assert record.account.date_joined.tzinfo is not None
    assert record.enrolment is not None
    assert record.enrolment.method is ThreeDSEnrolment.Method.SMS_OTP
    assert record.enrolment.mobile == "+819011110001"
    assert record.enrolment.enrolled_at.tzinfo is not None


@pytest.mark.django_db
def test_a_legacy_enrolment_has_no_phone(carol: Member) -> None:
    record = _cardholder(crypto.pan_fingerprint(CAROL_PAN))
    assert record is not None and record.enrolment is not None
    assert (record.enrolment.method, record.enrolment.mobile) == (ThreeDSEnrolment.Method.PASSWORD, "")


@pytest.mark.django_db
def test_a_card_without_account_has_neither_account_nor_enrolment(unregistered_card: Card) -> None:
    record = _cardholder(crypto.pan_fingerprint(UNREGISTERED_PAN))
    assert record is not None
    assert (record.card.id, record.account, record.enrolment) == (unregistered_card.id, None, None)


@pytest.mark.django_db
def test_an_inactive_account_has_no_usable_enrolment(alice: Member) -> None:
    Member.objects.filter(pk=alice.pk).update(is_active=False)
    record = _cardholder(crypto.pan_fingerprint(ALICE_PAN))
    assert record is not None and record.account is not None
    assert not record.account.is_active
    assert record.enrolment is None


@pytest.mark.django_db
def test_an_unknown_fingerprint_is_none(alice: Member) -> None:
    assert _cardholder(crypto.pan_fingerprint("4000000000000002")) is None


def test_expiry_is_compared_by_month() -> None:
    from portal.cardholder_records import CardRecord

    card = CardRecord(1, "active", "visa", 2026, 11, "A", "", "")
    assert not card.expired_at(dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    assert card.expired_at(dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def _cardholder(pan_fingerprint: str) -> CardholderRecord | None:
    return read(cardholder_read(pan_fingerprint))
