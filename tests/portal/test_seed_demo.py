from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

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


@pytest.mark.django_db
def test_it_refuses_to_run_outside_a_local_install(settings: Any) -> None:
    settings.LOCAL = False  # APP_ENV is anything but "local": production
    with pytest.raises(CommandError, match="APP_ENV=local"):
        call_command("seed_demo", stdout=StringIO())
    assert not Member.objects.exists() and not Card.objects.exists()
