from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from portal.sms.gateway import sms_send
from portal.sms.models import SmsMessage

from .conftest import FakeTwilio

pytestmark = pytest.mark.django_db

PHONE = "+819011110001"
OTHER_PHONE = "+819022220002"
CAP = 3


@pytest.fixture(autouse=True)
def small_cap(settings) -> None:
    settings.SMS_DAILY_CAP_PER_PHONE = CAP


def _send(to: str = PHONE) -> SmsMessage:
    return sms_send(to=to, body="code 123456", purpose="challenge_otp")


def _age(message: SmsMessage, hours: float) -> None:
    SmsMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))


@pytest.mark.usefixtures("outbox")
def test_it_caps_the_message_after_the_daily_allowance() -> None:
    sent = [_send() for _ in range(CAP)]
    capped = _send()

    assert [m.status for m in sent] == ["sent"] * CAP
    assert capped.status == "capped"
    assert capped.body == ""
    assert not capped.dispatched
    assert SmsMessage.objects.get(pk=capped.pk).status == "capped"


@pytest.mark.usefixtures("outbox")
def test_it_leaves_another_phone_alone() -> None:
    for _ in range(CAP + 1):
        _send()

    assert _send(OTHER_PHONE).status == "sent"


@pytest.mark.usefixtures("outbox")
def test_it_counts_every_spelling_of_a_number_as_one_phone() -> None:
    for spelling in ["+819011110001", "090-1111-0001", "+81 90 1111 0001"]:
        assert _send(spelling).status == "sent"

    assert _send("09011110001").status == "capped"


@pytest.mark.usefixtures("outbox")
def test_it_forgets_messages_older_than_a_day() -> None:
    old = [_send() for _ in range(CAP)]
    for message in old:
        _age(message, 24.5)

    assert _send().status == "sent"


@pytest.mark.usefixtures("outbox")
def test_it_does_not_count_capped_messages() -> None:
    first, *_ = [_send() for _ in range(CAP)]
    for _ in range(5):
        assert _send().status == "capped"
    _age(first, 25)

    assert _send().status == "sent"


def test_it_does_not_call_twilio_for_a_capped_message(twilio: FakeTwilio) -> None:
    for _ in range(CAP):
        assert _send().status == "queued"

    assert _send().status == "capped"
    assert len(twilio.received) == CAP


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("outbox")
def test_it_holds_the_cap_against_a_burst_of_concurrent_requests() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    start = threading.Barrier(8)

    def send() -> str:
        try:
            start.wait()
            return _send().status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: send(), range(8)))

    assert sorted(statuses) == ["capped"] * (8 - CAP) + ["sent"] * CAP
