"""Attempts: the legitimate habits of the population, and the fraud scenarios against it.

An attacker here knows what a stolen card file or a phishing kit gives: the PAN, the expiry, the
name and often the e-mail; never the victim's device, home network or habits. Scenarios:
stolen card on a new device, card-testing bursts, account takeover with a new shipping address,
fraud from abroad (directly or behind a Japanese proxy), and bots.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from typing import Any

from riskanalysis.simulation.population import (
    MERCHANTS,
    Cardholder,
    Device,
    Merchant,
    address,
    carrier_prefixes,
    new_device,
    prefixes,
    random_ip,
)

JST = dt.timezone(dt.timedelta(hours=9))
ABROAD = (
    ("US", (480, "America/Los_Angeles")),
    ("CN", (-480, "Asia/Shanghai")),
    ("VN", (-420, "Asia/Ho_Chi_Minh")),
    ("GB", (0, "Europe/London")),
    ("FR", (-60, "Europe/Paris")),
    ("BR", (180, "America/Sao_Paulo")),
    ("TH", (-420, "Asia/Bangkok")),
    ("KR", (-540, "Asia/Seoul")),
)
TRAVEL = (
    ("US", (600, "Pacific/Honolulu")),
    ("KR", (-540, "Asia/Seoul")),
    ("TW", (-480, "Asia/Taipei")),
    ("TH", (-420, "Asia/Bangkok")),
    ("FR", (-60, "Europe/Paris")),
)
BOT_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
    "Safari/537.36",
    "python-requests/2.32.3",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
    "Safari/537.36 Selenium",
    "",
)
SCENARIOS = ("stolen_card_new_device", "card_testing", "account_takeover", "foreign_ip", "bot")


@dataclass(slots=True)
class Attempt:
    at: dt.datetime  # UTC
    kind: str  # "legit" or a scenario
    person: Cardholder
    device: Device
    ip: str
    merchant: Merchant
    amount: int
    email: str = ""
    phone: str = ""
    ship: dict[str, str] | None = None
    method: bool = True
    javascript: bool = True
    user_agent: str | None = None  # None: the device's
    name: str = ""
    acct_info: dict[str, Any] = field(default_factory=lambda: {"chAccAgeInd": "05"})
    group: int = 0  # attempts of one fraud event share a group


def _amount(rng: random.Random, median: float, sigma: float) -> int:
    return max(100, int(rng.lognormvariate(0, sigma) * median) // 10 * 10)


class Traffic:
    """Generate the attempts of one simulated day, legitimate and fraudulent, in time order."""

    def __init__(self, people: list[Cardholder], *, seed: int, fraud_per_day: int) -> None:
        self.people = people
        self.rng = random.Random(seed)
        self.fraud_per_day = fraud_per_day
        self.travel: dict[int, tuple[dt.date, dt.date, str, tuple[int, str]]] = {}
        self._groups = 0

    def day(self, date: dt.date) -> list[Attempt]:
        attempts: list[Attempt] = []
        for person in self.people:
            for _ in range(self._poisson(person.rate_per_day)):
                attempts.append(self.legit(person, self._time(date, person.hours)))
        for _ in range(self.fraud_per_day):
            attempts.extend(self.fraud(self.rng.choice(SCENARIOS), self._time(date, (0, 24))))
        attempts.sort(key=lambda a: a.at)
        return attempts

    def _poisson(self, rate: float) -> int:
        count, threshold, product = 0, pow(2.718281828, -rate), self.rng.random()
        while product > threshold:
            count += 1
            product *= self.rng.random()
        return count

    def _time(self, date: dt.date, hours: tuple[int, int]) -> dt.datetime:
        seconds = self.rng.uniform(hours[0] * 3600, min(hours[1], 24) * 3600 - 1)
        local = dt.datetime.combine(date, dt.time(), JST) + dt.timedelta(seconds=seconds)
        return local.astimezone(dt.UTC)

    # --- Legitimate ---------------------------------------------------------------------------

    def legit(self, person: Cardholder, at: dt.datetime) -> Attempt:
        rng = self.rng
        if rng.random() < 0.004:  # a new phone or computer, used from now on
            person.devices.insert(0, new_device(rng))
        device = person.devices[0] if rng.random() < 0.6 else rng.choice(person.devices)
        ip = random_ip(
            rng,
            rng.choice(carrier_prefixes(person.carrier))
            if device.is_phone and rng.random() < 0.5
            else person.home_prefix,
        )
        trip = self._trip(person, at.date())
        if trip is not None:  # abroad: the phone's clock follows, the network is local there
            ip = random_ip(rng, rng.choice(prefixes(trip[0], 20, 5)))
            device = replace(device, tz_offset=trip[1][0], tz_name=trip[1][1])
        if rng.random() < 0.1:
            merchant = rng.choice(MERCHANTS)
            if merchant not in person.merchants:
                person.merchants.append(merchant)
        else:
            merchant = rng.choice(person.merchants[: max(3, len(person.merchants))])
        ship = None
        if merchant.ships:
            ship = person.alt_ship if person.alt_ship is not None and rng.random() < 0.15 else person.bill
        return Attempt(
            at=at,
            kind="legit",
            person=person,
            device=device,
            ip=ip,
            merchant=merchant,
            amount=_amount(rng, person.median_yen, person.sigma),
            email=person.alt_email if merchant.mid in person.alt_email_merchants else person.email,
            phone=person.mobile if merchant.sends_phone else "",
            ship=ship,
            method=merchant.runs_method,
            name=person.name,
        )

    def _trip(self, person: Cardholder, date: dt.date) -> tuple[str, tuple[int, str]] | None:
        if person.index not in self.travel and self.rng.random() < 0.0005:
            country, tz = self.rng.choice(TRAVEL)
            self.travel[person.index] = (date, date + dt.timedelta(days=self.rng.randint(2, 7)), country, tz)
        trip = self.travel.get(person.index)
        if trip is None or not trip[0] <= date <= trip[1]:
            return None
        return trip[2], trip[3]

    # --- Fraud --------------------------------------------------------------------------------

    def fraud(self, scenario: str, at: dt.datetime) -> list[Attempt]:
        self._groups += 1
        return [replace(a, group=self._groups) for a in getattr(self, scenario)(at)]

    def _jp_ip(self) -> str:
        return random_ip(self.rng, self.rng.choice(prefixes("JP", 200, 99)))

    def stolen_card_new_device(self, at: dt.datetime) -> list[Attempt]:
        rng, victim = self.rng, self.rng.choice(self.people)
        merchant = rng.choice(
            [m for m in MERCHANTS if m.mcc in ("5732", "5816", "5999", "5311", "5817", "5945")]
        )
        return [
            Attempt(
                at=at,
                kind="stolen_card_new_device",
                person=victim,
                device=new_device(rng),
                ip=self._jp_ip(),
                merchant=merchant,
                amount=_amount(rng, 30_000, 0.7),
                email=victim.email if rng.random() < 0.4 else f"buyer{rng.randrange(10**6)}@mail.example.net",
                phone="" if rng.random() < 0.5 else f"80{rng.randrange(10**8):08d}",
                ship=address(rng) if merchant.ships else None,
                method=merchant.runs_method and rng.random() < 0.8,
                name=victim.name,
            )
        ]

    def card_testing(self, at: dt.datetime) -> list[Attempt]:
        rng = self.rng
        device = new_device(rng, phone=False)
        ip, merchant = (
            self._jp_ip() if rng.random() < 0.6 else random_ip(rng, prefixes("US", 20, 5)[0]),
            rng.choice([m for m in MERCHANTS if m.mcc in ("5816", "5815", "5817", "5999")]),
        )
        agent = rng.choice(BOT_AGENTS[:1]) if rng.random() < 0.4 else None
        method = rng.random() < 0.3
        attempts, when = [], at
        for victim in rng.sample(self.people, min(len(self.people), rng.randint(8, 25))):
            when += dt.timedelta(seconds=rng.uniform(2, 40))
            attempts.append(
                Attempt(
                    at=when,
                    kind="card_testing",
                    person=victim,
                    device=device,
                    ip=ip,
                    merchant=merchant,
                    amount=rng.choice((100, 110, 300, 500, 1000)),
                    method=method,
                    user_agent=agent,
                    name=victim.name,
                    acct_info={"chAccAgeInd": "01"},
                )
            )
        return attempts

    def account_takeover(self, at: dt.datetime) -> list[Attempt]:
        rng, victim = self.rng, self.rng.choice(self.people)
        merchant = rng.choice([m for m in victim.merchants if m.ships] or [m for m in MERCHANTS if m.ships])
        device = new_device(rng)
        return [
            Attempt(
                at=at,
                kind="account_takeover",
                person=victim,
                device=device,
                ip=self._jp_ip() if rng.random() < 0.8 else random_ip(rng, rng.choice(prefixes("VN", 20, 5))),
                merchant=merchant,
                amount=_amount(rng, max(victim.median_yen * 3, 20_000), 0.5),
                email=victim.alt_email if merchant.mid in victim.alt_email_merchants else victim.email,
                phone=victim.mobile if merchant.sends_phone else "",
                ship=address(rng),
                method=merchant.runs_method,
                name=victim.name,
                acct_info={"chAccAgeInd": "05", "chAccChangeInd": "01", "shipAddressUsageInd": "01"},
            )
        ]

    def foreign_ip(self, at: dt.datetime) -> list[Attempt]:
        rng, victim = self.rng, self.rng.choice(self.people)
        country, tz = rng.choice(ABROAD)
        proxied = rng.random() < 0.5  # a Japanese proxy or VPN: the clock still says abroad
        ip = self._jp_ip() if proxied else random_ip(rng, rng.choice(prefixes(country, 20, 5)))
        merchant = rng.choice(MERCHANTS)
        return [
            Attempt(
                at=at,
                kind="foreign_ip",
                person=victim,
                device=new_device(rng, tz=tz, language=rng.choice(("en-US", "zh-CN", "ja-JP"))),
                ip=ip,
                merchant=merchant,
                amount=_amount(rng, 25_000, 0.8),
                email=victim.email if rng.random() < 0.5 else f"x{rng.randrange(10**6)}@mail.example.org",
                ship=address(rng) if merchant.ships else None,
                method=merchant.runs_method,
                name=victim.name,
            )
        ]

    def bot(self, at: dt.datetime) -> list[Attempt]:
        rng = self.rng
        device, agent = new_device(rng, phone=False), rng.choice(BOT_AGENTS)
        ip, javascript = self._jp_ip(), rng.random() < 0.5
        attempts, when = [], at
        for victim in rng.sample(self.people, min(len(self.people), rng.randint(1, 3))):
            when += dt.timedelta(seconds=rng.uniform(1, 5))
            merchant = rng.choice(MERCHANTS)
            attempts.append(
                Attempt(
                    at=when,
                    kind="bot",
                    person=victim,
                    device=device,
                    ip=ip,
                    merchant=merchant,
                    amount=_amount(rng, 10_000, 1.0),
                    method=False,
                    javascript=javascript,
                    user_agent=agent,
                    name=victim.name,
                    email=victim.email,
                )
            )
        return attempts
