"""A population of cardholders with habits: devices, networks, merchants, amounts, hours.

Everything is derived from a seed, so a run can be repeated and a history built by one run is
the history of the same people in the next. The issuer's records (cards, My Net+ accounts,
3-D Secure enrolments) are written through the portal's models: the simulator stands in for
the issuer's card file and its members, which is why it, alone in riskanalysis, touches them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from portal.cards import luhn_complete
from riskanalysis import geo

BINS = ("411111", "356600")  # the demo card ranges (seed_demo)
SURNAMES = (
    "SATO",
    "SUZUKI",
    "TAKAHASHI",
    "TANAKA",
    "WATANABE",
    "ITO",
    "YAMAMOTO",
    "NAKAMURA",
    "KOBAYASHI",
    "KATO",
    "YOSHIDA",
    "YAMADA",
    "SASAKI",
    "YAMAGUCHI",
    "MATSUMOTO",
    "INOUE",
    "KIMURA",
    "HAYASHI",
)
GIVEN = (
    "HARUTO",
    "YUI",
    "SOTA",
    "HINA",
    "REN",
    "AOI",
    "YUTO",
    "MIO",
    "TAKUMI",
    "SAKURA",
    "KENJI",
    "AKIKO",
    "HIROSHI",
    "YOKO",
    "TAKESHI",
    "KEIKO",
    "DAIKI",
    "NANAMI",
)
CITIES = (
    ("Chiyoda-ku", "13", "100"),
    ("Kita-ku, Osaka", "27", "530"),
    ("Naka-ku, Nagoya", "23", "460"),
    ("Chuo-ku, Sapporo", "01", "060"),
    ("Hakata-ku", "40", "812"),
    ("Aoba-ku, Sendai", "04", "980"),
    ("Naka-ku, Hiroshima", "34", "730"),
    ("Sakyo-ku, Kyoto", "26", "606"),
)
# (user agent, platform, screen, touch points): phones first, then desktops.
PHONES = (
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
        "iPhone",
        (390, 844),
        5,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.6 Mobile/15E148 Safari/604.1",
        "iPhone",
        (393, 852),
        5,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
        "Mobile Safari/537.36",
        "Linux armv8l",
        (412, 915),
        5,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SH-53C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
        "Mobile Safari/537.36",
        "Linux armv8l",
        (393, 873),
        5,
    ),
)
DESKTOPS = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
        "Safari/537.36",
        "Win32",
        (1920, 1080),
        0,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 "
        "Safari/605.1.15",
        "MacIntel",
        (1440, 900),
        0,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
        "Safari/537.36 Edg/130.0.0.0",
        "Win32",
        (1536, 864),
        0,
    ),
)


@dataclass(frozen=True, slots=True)
class Merchant:
    mid: str
    name: str
    mcc: str
    requestor_id: str
    runs_method: bool
    ships: bool  # physical goods: a shipping address is sent
    sends_phone: bool


def _merchants() -> tuple[Merchant, ...]:
    specs = [
        ("5411", "Super", True),
        ("5732", "Denki", True),
        ("5812", "Gourmet", False),
        ("5311", "Depato", True),
        ("5691", "Fashion", True),
        ("4111", "Rail", False),
        ("4511", "Air", False),
        ("7011", "Hotel", False),
        ("5942", "Books", True),
        ("5816", "Games", False),
        ("5815", "Music", False),
        ("4814", "Mobile", False),
        ("4900", "Energy", False),
        ("5912", "Drug", True),
        ("7832", "Cinema", False),
        ("5945", "Toys", True),
        ("5999", "Mall", True),
        ("7995", "Keirin", False),
        ("5817", "Apps", False),
        ("5310", "Discount", True),
    ]
    rng = random.Random(7)
    merchants = []
    for i in range(60):
        mcc, kind, ships = specs[i % len(specs)]
        merchants.append(
            Merchant(
                f"MID{i:05d}",
                f"{kind} Shop {i}",
                mcc,
                f"REQ-{i:04d}",
                rng.random() < 0.85,
                ships,
                rng.random() < 0.6,
            )
        )
    return tuple(merchants)


MERCHANTS = _merchants()


@lru_cache(maxsize=8)
def prefixes(country: str, count: int, seed: int) -> tuple[str, ...]:
    """Return `count` IPv4 /24 prefixes ("a.b.c") that iptocc places in `country`."""
    rng, found = random.Random(f"{country}{seed}"), list[str]()
    firsts = {"JP": (60, 106, 114, 126, 133, 153, 180, 182, 219, 220, 221)}.get(country, range(1, 224))
    while len(found) < count:
        candidate = f"{rng.choice(list(firsts))}.{rng.randrange(256)}.{rng.randrange(256)}"
        if geo.country_of(candidate + ".1") == country and candidate not in found:
            found.append(candidate)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    canvas: str
    webgl: str
    user_agent: str
    platform: str
    screen: tuple[int, int]
    touch: int
    cores: int
    is_phone: bool
    tz_offset: int = -540
    tz_name: str = "Asia/Tokyo"
    language: str = "ja-JP"


def new_device(
    rng: random.Random,
    *,
    phone: bool | None = None,
    tz: tuple[int, str] = (-540, "Asia/Tokyo"),
    language: str = "ja-JP",
) -> Device:
    is_phone = rng.random() < 0.6 if phone is None else phone
    ua, platform, screen, touch = rng.choice(PHONES if is_phone else DESKTOPS)
    return Device(
        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        f"{rng.getrandbits(64):016x}",
        f"{rng.getrandbits(64):016x}",
        ua,
        platform,
        screen,
        touch,
        rng.choice((4, 6, 8, 12)),
        is_phone,
        tz[0],
        tz[1],
        language,
    )


@dataclass(slots=True)
class Cardholder:
    index: int
    pan: str
    name: str
    email: str
    alt_email: str  # a merchant account under another address
    mobile: str  # national number without the trunk 0: "90xxxxxxxx"
    bill: dict[str, str]
    alt_ship: dict[str, str] | None
    devices: list[Device]
    home_prefix: str
    carrier: int  # index of the mobile carrier (its pool of CGNAT prefixes)
    merchants: list[Merchant]
    median_yen: float
    sigma: float
    rate_per_day: float
    hours: tuple[int, int]  # active hours, Japan time
    alt_email_merchants: frozenset[str] = field(default_factory=frozenset)


def address(rng: random.Random) -> dict[str, str]:
    city, state, post = rng.choice(CITIES)
    return {
        "line1": f"{rng.randrange(1, 9)}-{rng.randrange(1, 30)}-{rng.randrange(1, 20)}",
        "city": city,
        "post": f"{post}{rng.randrange(10000):04d}",
        "state": state,
        "country": "392",
    }


def build(count: int, *, seed: int = 1) -> list[Cardholder]:
    """Return `count` cardholders; the same seed gives the same people."""
    home = prefixes("JP", max(count // 6, 8), seed)
    people = []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        serial = int(hashlib.sha256(f"{seed}:{i}".encode()).hexdigest(), 16) % 10**9
        pan = luhn_complete(f"{BINS[i % 2]}{serial:09d}")
        given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
        merchants = rng.sample(MERCHANTS, rng.randint(3, 10))
        people.append(
            Cardholder(
                index=i,
                pan=pan,
                name=f"{given} {surname}",
                email=f"{given.lower()}.{surname.lower()}{i}@example.jp",
                alt_email=f"{surname.lower()}{i}@mail.example.com",
                mobile=f"90{rng.randrange(10**8):08d}",
                bill=address(rng),
                alt_ship=address(rng) if rng.random() < 0.3 else None,
                devices=[new_device(rng) for _ in range(rng.choice((1, 1, 2, 2, 3)))],
                home_prefix=rng.choice(home),
                carrier=rng.randrange(3),
                merchants=merchants,
                median_yen=rng.lognormvariate(8.3, 0.7),
                sigma=rng.uniform(0.4, 0.9),
                rate_per_day=rng.uniform(0.1, 0.8),
                hours=rng.choice(((8, 23), (10, 24), (18, 24), (7, 21))),
                alt_email_merchants=frozenset(m.mid for m in merchants if rng.random() < 0.2),
            )
        )
    return people


def carrier_prefixes(carrier: int, seed: int = 1) -> tuple[str, ...]:
    """Mobile carriers put their customers behind a few shared CGNAT prefixes."""
    pool = prefixes("JP", 30, seed + 1000)
    return pool[carrier * 10 : (carrier + 1) * 10]


def random_ip(rng: random.Random, prefix: str) -> str:
    return str(ipaddress.IPv4Address(f"{prefix}.{rng.randrange(1, 255)}"))


def cards_ensure(people: list[Cardholder]) -> int:
    """Write the people's cards, My Net+ accounts and SMS enrolments; return how many were new."""
    from portal.card_records import pan_identity
    from portal.models import Card, Member, ThreeDSEnrolment

    known = set(
        Card.objects.filter(last4__in={p.pan[-4:] for p in people}).values_list("pan_fingerprint", flat=True)
    )
    new = [p for p in people if pan_identity(p.pan)["pan_fingerprint"] not in known]
    for start in range(0, len(new), 1000):
        chunk = new[start : start + 1000]
        cards = Card.objects.bulk_create(
            [
                Card(
                    **pan_identity(p.pan),
                    expiry_year=2030,
                    expiry_month=12,
                    customer_ref=f"SIM-{p.index}",
                    cardholder_name=p.name,
                    date_of_birth="1985-01-01",
                    email=p.email,
                    mobile=f"+81{p.mobile}",
                )
                for p in chunk
            ]
        )
        members = Member.objects.bulk_create(
            [
                Member(username=f"sim-{card.pan_fingerprint[:16]}", email=p.email, card=card, password="!")
                for p, card in zip(chunk, cards, strict=True)
            ]
        )
        ThreeDSEnrolment.objects.bulk_create(
            [
                ThreeDSEnrolment(
                    member=member,
                    method=ThreeDSEnrolment.Method.SMS_OTP,
                    mobile=f"+81{p.mobile}",
                    personal_message="sim",
                )
                for p, member in zip(chunk, members, strict=True)
            ]
        )
    return len(new)
