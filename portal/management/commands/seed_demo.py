"""Create the demo cards, members and enrolments of DESIGN.md (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.card_records import pan_identity
from portal.models import Card, Member, ThreeDSEnrolment

DEMO_PASSWORD = "Demo-pass-2026"  # Published demo credential (README, DESIGN.md), demo data only.

DEMO_CARDS: list[dict[str, Any]] = [
    {
        "pan": "4111111111111111",
        "ref": "DEMO-0001",
        "name": "HANAKO SATO",
        "dob": dt.date(1988, 4, 1),
        "email": "hanako@demo.mynet.example.jp",
        "mobile": "+819000000001",
        "member": ("demo-visa", ThreeDSEnrolment.Method.SMS_OTP, "さくら満開"),
    },
    {
        "pan": "3566002020360505",
        "ref": "DEMO-0002",
        "name": "TARO YAMADA",
        "dob": dt.date(1979, 11, 23),
        "email": "taro@demo.mynet.example.jp",
        "mobile": "+819000000002",
        "member": ("demo-jcb", ThreeDSEnrolment.Method.SMS_OTP, "富士山と青い空"),
    },
    {
        "pan": "4012888888881881",
        "ref": "DEMO-0003",
        "name": "KEN SUZUKI",
        "dob": dt.date(1965, 2, 14),
        "email": "ken@demo.mynet.example.jp",
        "mobile": "+819000000003",
        "member": ("demo-legacy", ThreeDSEnrolment.Method.PASSWORD, "いつもの猫"),
    },
    {
        "pan": "3530111333300000",
        "ref": "DEMO-0004",
        "name": "YUKI TANAKA",
        "dob": dt.date(1995, 8, 8),
        "email": "yuki@demo.mynet.example.jp",
        "mobile": "+819000000004",
        "member": None,
    },
]


class Command(BaseCommand):
    help = "Create the demo cards, My Net+ accounts and 3-D Secure enrolments (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts' password is published, and one of them is a superuser: never on a
        # production database. Every caller (make run, docker compose, the benchmark, the tests)
        # runs with APP_ENV=local.
        if not settings.LOCAL:
            raise CommandError(
                "seed_demo creates accounts with a published password, a superuser among them: "
                "it runs only on a local or demo install (APP_ENV=local)."
            )
        with transaction.atomic():
            for spec in DEMO_CARDS:
                card = self._card(spec)
                if spec["member"]:
                    self._member(card, spec)
            self._support_user()
            self._acs_configuration()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(DEMO_CARDS)} cards."))

    def _card(self, spec: dict[str, Any]) -> Card:
        identity = pan_identity(spec["pan"])
        card, _ = Card.objects.update_or_create(
            pan_fingerprint=identity["pan_fingerprint"],
            defaults={
                **identity,
                "expiry_year": 2030,
                "expiry_month": 12,
                "status": Card.Status.ACTIVE,
                "customer_ref": spec["ref"],
                "cardholder_name": spec["name"],
                "date_of_birth": spec["dob"],
                "email": spec["email"],
                "mobile": spec["mobile"],
            },
        )
        return card

    def _member(self, card: Card, spec: dict[str, Any]) -> None:
        username, method, message = spec["member"]
        member = Member.objects.filter(card=card).first() or Member(card=card)
        member.username = username
        member.email = spec["email"]
        member.is_locked = False
        member.failed_login_count = 0
        member.must_change_password = False
        member.set_password(DEMO_PASSWORD)
        member.save()
        ThreeDSEnrolment.objects.update_or_create(
            member=member,
            defaults={
                "method": method,
                "personal_message": message,
                "mobile": spec["mobile"] if method == ThreeDSEnrolment.Method.SMS_OTP else "",
            },
        )

    def _support_user(self) -> None:
        staff = Member.objects.filter(username="demo-support").first() or Member(username="demo-support")
        staff.is_staff = True
        staff.is_superuser = True
        staff.set_password(DEMO_PASSWORD)
        staff.save()

    def _acs_configuration(self) -> None:
        # portal must not import acs (dependencies run acs -> portal); the app registry decides.
        from django.apps import apps

        if apps.is_installed("acs"):
            from importlib import import_module

            import_module("acs.demo").seed_acs_demo()
