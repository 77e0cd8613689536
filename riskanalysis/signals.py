"""The pseudonyms one authentication is recorded and looked up under.

Raw values (the PAN's fingerprint, e-mail, phone, shipping address, IP prefix, device id) are
turned into keyed HMACs here and nowhere else; only these keys reach the risk tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskanalysis.facts import Facts
from riskanalysis.history import Kind
from riskanalysis.models import KEY_LENGTH
from riskanalysis.pseudonym import ip_prefix, pseudonym
from riskanalysis.rules import normalise_address


def key(kind: str, value: str) -> str:
    """Return the stored pseudonym of a value: the first 128 bits of its keyed HMAC, in hex."""
    return pseudonym(kind, value)[:KEY_LENGTH]


def card_key(pan_fingerprint: str) -> str:
    """Re-key acs's PAN fingerprint with the risk key: risk tables cannot be joined to card records."""
    return key("card", pan_fingerprint)


@dataclass(frozen=True, slots=True)
class Keys:
    card: str
    values: dict[Kind, str]

    @property
    def device(self) -> str:
        """The 3DS Method device: its stored id, else its fingerprint, else ""."""
        return self.values.get(Kind.DEVICE_ID) or self.values.get(Kind.FINGERPRINT) or ""

    @property
    def ip(self) -> str:
        return self.values.get(Kind.IP_PREFIX, "")


def _browser_material(facts: Facts) -> str:
    tz = "" if facts.browser_tz is None else str(facts.browser_tz)
    return "|".join(
        (
            facts.browser_user_agent,
            facts.browser_screen,
            facts.browser_color_depth,
            facts.browser_language.casefold(),
            tz,
        )
    )


def keys_for(facts: Facts) -> Keys:
    values: dict[Kind, str] = {}
    if facts.method is not None:
        if facts.method.device_id_key:
            values[Kind.DEVICE_ID] = facts.method.device_id_key[:KEY_LENGTH]
        if facts.method.fingerprint_key:
            values[Kind.FINGERPRINT] = facts.method.fingerprint_key[:KEY_LENGTH]
    prefix = ""
    if facts.browser_ip:
        try:
            prefix = ip_prefix(facts.browser_ip)
        except ValueError:
            prefix = ""
    if prefix:
        values[Kind.IP_PREFIX] = key(Kind.IP_PREFIX, prefix)
    if facts.browser_user_agent:
        material = _browser_material(facts)
        values[Kind.BROWSER] = key(Kind.BROWSER, material)
        if prefix:
            values[Kind.BROWSER_NET] = key(Kind.BROWSER_NET, f"{material}|{prefix}")
    if not facts.ship_address.is_empty:
        values[Kind.SHIP_ADDR] = key(Kind.SHIP_ADDR, normalise_address(facts.ship_address))
    if facts.email:
        values[Kind.EMAIL] = key(Kind.EMAIL, facts.email.strip().casefold())
    if facts.phones:
        values[Kind.PHONE] = key(Kind.PHONE, facts.phones[0])
    merchant = facts.acquirer_merchant_id or f"{facts.requestor_id}|{facts.merchant_name}"
    values[Kind.MERCHANT] = key(Kind.MERCHANT, merchant)
    return Keys(card_key(facts.card_ref) if facts.card_ref else "", values)
