from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from portal.card_records import card_by_pan
from portal.models import Card, Member, ThreeDSEnrolment


@pytest.mark.django_db
def test_it_creates_the_demo_world_once() -> None:
    for _ in range(2):
        call_command("seed_demo", stdout=StringIO())
    assert Card.objects.count() == 4
    assert Member.objects.filter(card__isnull=False).count() == 3
    visa = card_by_pan("4111111111111111")
    assert visa is not None and visa.account.username == "demo-visa"
    assert visa.account.check_password("Demo-pass-2026")
    assert visa.account.enrolment.personal_message == "さくら満開"
    legacy = Member.objects.get(username="demo-legacy")
    assert legacy.enrolment.method == ThreeDSEnrolment.Method.PASSWORD
    unregistered = card_by_pan("3530111333300000")
    assert unregistered is not None and not hasattr(unregistered, "account")
