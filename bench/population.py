"""Cardholders for the benchmark: enrolled cards in the demo ranges, written through the portal's models.

Risk analysis keeps a per-card history (velocity, devices, networks), so thousands of AReqs
on the two demo cards would measure its burst rule rejecting them (R/04), not the ACS
answering. Real traffic spreads over many cards; so does this population: each cardholder has
a Luhn-valid PAN in the demo BINs of `seed_demo`, an active card, a My Net+ account enrolled in
SMS OTP, and a home network (a Japanese address) its AReqs come from.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
from dataclasses import dataclass

BINS = ("411111", "356600")  # Visa and JCB ranges of seed_demo
HOME_NETWORK = ipaddress.ip_network("126.0.0.0/8")  # allocated to Japan: no foreign-IP rule
NAMES = ("HANAKO SATO", "TARO YAMADA", "KEN SUZUKI", "YUKI TANAKA", "AOI WATANABE", "REN ITO")
BATCH = 1000


@dataclass(frozen=True)
class Cardholder:
    pan: str
    name: str
    email: str
    mobile_subscriber: str  # after the country code 81
    ip: str


def cardholders(count: int, *, seed: int = 2026) -> list[Cardholder]:
    """Return `count` distinct cardholders, the same ones for the same seed."""
    from portal.cards import random_pan  # importable once bench/run.py has put the project on sys.path

    rng = random.Random(seed)
    pans: dict[str, None] = {}
    while len(pans) < count:
        pans[random_pan(BINS[len(pans) % len(BINS)], rng)] = None
    hosts = rng.sample(range(1, HOME_NETWORK.num_addresses - 1), count)
    return [
        Cardholder(
            pan=pan,
            name=NAMES[index % len(NAMES)],
            email=f"bench{index}@example.jp",
            mobile_subscriber=f"90{index:08d}",
            ip=str(HOME_NETWORK[host]),
        )
        for index, (pan, host) in enumerate(zip(pans, hosts, strict=True))
    ]


def enrol(holders: list[Cardholder]) -> None:
    """Write the cards, accounts and SMS OTP enrolments of `holders` (Django must be set up)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from portal.card_records import pan_identity
    from portal.models import Card, Member, ThreeDSEnrolment

    unusable = make_password(None)  # nobody logs in as a benchmark cardholder
    for start in range(0, len(holders), BATCH):
        batch = holders[start : start + BATCH]
        with transaction.atomic():
            cards = Card.objects.bulk_create(
                Card(
                    **pan_identity(holder.pan),
                    expiry_year=2030,
                    expiry_month=12,
                    status=Card.Status.ACTIVE,
                    customer_ref=f"BENCH-{start + index:07d}",
                    cardholder_name=holder.name,
                    date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=start + index),
                    email=holder.email,
                    mobile=f"+81{holder.mobile_subscriber}",
                )
                for index, holder in enumerate(batch)
            )
            members = Member.objects.bulk_create(
                Member(username=f"bench{start + index}", email=holder.email, card=card, password=unusable)
                for index, (holder, card) in enumerate(zip(batch, cards, strict=True))
            )
            ThreeDSEnrolment.objects.bulk_create(
                ThreeDSEnrolment(
                    member=member,
                    method=ThreeDSEnrolment.Method.SMS_OTP,
                    mobile=f"+81{holder.mobile_subscriber}",
                )
                for holder, member in zip(batch, members, strict=True)
            )
