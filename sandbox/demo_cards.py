"""The demo cards of DESIGN.md, as a shopper would type them at the sandbox merchant.

The numbers are the card schemes' well-known test PANs, published for demos; the sandbox still
stores only masked numbers and keeps the PAN here, where the AReq builder reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class DemoCard:
    key: str
    pan: str
    expiry_yymm: str
    brand: str
    cardholder_name: str
    email: str
    mobile_subscriber: str  # Japanese mobile without the country code
    label: str

    @property
    def masked(self) -> str:
        """First six and last four, the most a page may show."""
        return f"{self.pan[:4]} {self.pan[4:6]}** **** {self.pan[-4:]}"

    @property
    def spaced(self) -> str:
        """The full test number in groups of four, for the demo's card picker."""
        return " ".join(self.pan[i : i + 4] for i in range(0, len(self.pan), 4))


DEMO_CARDS: Final = (
    DemoCard(
        "visa-sms",
        "4111111111111111",
        "3012",
        "Visa",
        "HANAKO SATO",
        "hanako@demo.mynet.example.jp",
        "9000000001",
        "Visa · SMS OTP · demo-visa",
    ),
    DemoCard(
        "jcb-sms",
        "3566002020360505",
        "3012",
        "JCB",
        "TARO YAMADA",
        "taro@demo.mynet.example.jp",
        "9000000002",
        "JCB · SMS OTP · demo-jcb",
    ),
    DemoCard(
        "visa-password",
        "4012888888881881",
        "3012",
        "Visa",
        "KEN SUZUKI",
        "ken@demo.mynet.example.jp",
        "9000000003",
        "Visa · My Net+ password · demo-legacy",
    ),
    DemoCard(
        "jcb-unregistered",
        "3530111333300000",
        "3012",
        "JCB",
        "YUKI TANAKA",
        "yuki@demo.mynet.example.jp",
        "9000000004",
        "JCB · not registered",
    ),
)
_BY_KEY: Final = {card.key: card for card in DEMO_CARDS}


def demo_card(key: str) -> DemoCard:
    """Return the demo card with this key; raise KeyError for any other."""
    return _BY_KEY[key]
