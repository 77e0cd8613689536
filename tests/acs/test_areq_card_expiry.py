"""Card expiry is judged on the ACS's clock in Japan time, never on the requestor's purchaseDate."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from portal.cardholder_records import CardRecord
from portal.models import Card, Member

from .conftest import make_areq

Post = Callable[..., Any]
JST = zoneinfo.ZoneInfo("Asia/Tokyo")


def card(year: int, month: int) -> CardRecord:
    return CardRecord(1, "active", "visa", year, month, "ALICE SATO", "", "")


@pytest.mark.parametrize(
    ("when", "expired"),
    [
        (dt.datetime(2025, 12, 31, 14, 59, 59, tzinfo=dt.UTC), False),  # 23:59:59 on the 31st in Tokyo
        (dt.datetime(2025, 12, 31, 15, 0, tzinfo=dt.UTC), True),  # already 1 January in Tokyo
        (dt.datetime(2025, 12, 31, 23, 59, tzinfo=JST), False),
        (dt.datetime(2026, 1, 1, 0, 0, tzinfo=JST), True),
        (dt.datetime(2025, 12, 1, 0, 0, tzinfo=JST), False),
    ],
)
def test_a_card_is_valid_through_the_last_day_of_its_month_in_japan(when: dt.datetime, expired: bool) -> None:
    assert card(2025, 12).expired_at(when) is expired


def _last_month() -> tuple[int, int]:
    today = timezone.now().astimezone(JST).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.year, last.month


def test_it_answers_n_05_for_an_expired_card_whatever_the_purchase_date(
    post_areq: Post, alice: Member
) -> None:
    year, month = _last_month()
    Card.objects.filter(pk=alice.card_id).update(expiry_year=year, expiry_month=month)
    backdated = f"{year}{month:02d}01000000"  # within the card's last month of validity

    ares = post_areq(make_areq(cardExpiryDate=f"{year % 100:02d}{month:02d}", purchaseDate=backdated)).json()

    assert (ares["transStatus"], ares["transStatusReason"]) == ("N", "05"), ares
    assert "authenticationValue" not in ares


def test_it_accepts_a_card_in_its_last_month(post_areq: Post, alice: Member) -> None:
    today = timezone.now().astimezone(JST).date()
    Card.objects.filter(pk=alice.card_id).update(expiry_year=today.year, expiry_month=today.month)

    ares = post_areq(make_areq(cardExpiryDate=today.strftime("%y%m"))).json()

    assert ares["transStatus"] == "Y", ares
