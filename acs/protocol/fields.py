"""Reusable annotated field types for the message models.

Each EMV error code is a pydantic error type ("emv_201", "emv_207", ...) so that one mapping in
`validation.py` turns a ValidationError into the right Erro; any other pydantic error means 203.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from typing import Annotated, Any, Final, TypeVar

import iso18245
import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

T = TypeVar("T")

UUID_PATTERN: Final = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# "Fully Qualified URL": an absolute http(s) URL with a host; nothing stricter is specified.
URL_PATTERN: Final = r"(?i)^https?://[^\s/?#]+(?:[/?#]\S*)?$"


def emv_error(code: str, message: str, context: dict[str, Any] | None = None) -> PydanticCustomError:
    """Build the pydantic error that stands for EMV error `code`."""
    return PydanticCustomError(f"emv_{code}", message, context)


_SIZED: Final = frozenset({str, list, dict})


def is_empty(value: Any) -> bool:
    """Tell whether a value is null or an empty string, array or object."""
    # Runs for every field of every message: `not value` first keeps it cheap.
    return value is None or (not value and type(value) in _SIZED)


def _required(value: Any) -> Any:
    # Annex A.1: a required element that is present but empty or null is "missing" (201).
    if is_empty(value):
        raise emv_error("201", "required element is empty or null")
    return value


def _optional(value: Any) -> Any:
    # Reference §5: an optional element sent empty or null is a format error (203).
    if is_empty(value):
        raise emv_error("203", "optional element sent empty or null")
    return value


Req = Annotated[T, BeforeValidator(_required)]
Opt = Annotated[T | None, BeforeValidator(_optional)]


def text(max_length: int, min_length: int = 1) -> StringConstraints:
    """Constrain a string's length (in characters, as Annex A counts UTF-8 characters)."""
    return StringConstraints(min_length=min_length, max_length=max_length)


def digits(min_length: int, max_length: int | None = None) -> StringConstraints:
    """Constrain a string to ASCII digits: exactly `min_length`, or min_length..max_length."""
    upper = "" if max_length is None else f",{max_length}"
    return StringConstraints(pattern=rf"^[0-9]{{{min_length}{upper}}}$")


def coded(valid: Iterable[str]) -> AfterValidator:
    """Check a two-digit code: EMVCo-reserved values are 207, 80-99 (DS use) pass through."""
    accepted = frozenset(valid)
    highest = max(accepted)

    # The value already matched two digits, so string order is numeric order.
    def check(value: str) -> str:
        if value in accepted or value >= "80":
            return value
        if value > highest:
            raise emv_error("207", "value in a range reserved for EMVCo")
        raise emv_error("203", "value not accepted")

    return AfterValidator(check)


def codes(first: int, last: int) -> tuple[str, ...]:
    """List the two-digit codes first..last."""
    return tuple(f"{n:02d}" for n in range(first, last + 1))


def _real_date(value: str) -> str:
    dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))  # ValueError -> 203
    return value


def _real_datetime(value: str) -> str:
    dt.datetime(  # ValueError -> 203
        int(value[:4]), int(value[4:6]), int(value[6:8]), int(value[8:10]), int(value[10:12]), int(value[12:])
    )
    return value


def _ip_address(value: str) -> str:
    ipaddress.ip_address(value)  # ValueError -> 203
    return value


# Annex A.10: 955-964 and 999 are not currencies for 3-D Secure; 901-999 are not countries.
_EXCLUDED_CURRENCIES: Final = frozenset({*map(str, range(955, 965)), "999"})
# ISO 4217 List One minor units where they are not 2 (pycountry carries codes, not minor units).
# XAD (396), XUA (965) and XSU (994) have none ("N.A."): any exponent is accepted for them.
_MINOR_UNITS: Final[dict[str, int | None]] = {
    **dict.fromkeys(("108", "152", "174", "262", "324", "352", "392", "410", "548", "600"), 0),
    **dict.fromkeys(("646", "704", "800", "940", "950", "952", "953"), 0),
    **dict.fromkeys(("048", "368", "400", "414", "434", "512", "788"), 3),
    **dict.fromkeys(("927", "990"), 4),
    **dict.fromkeys(("396", "965", "994"), None),
}
# Every currency usable in 3-D Secure -> its ISO 4217 exponent (None: the standard gives none).
CURRENCY_EXPONENTS: Final[dict[str, int | None]] = {
    c.numeric: _MINOR_UNITS.get(c.numeric, 2)
    for c in pycountry.currencies
    if c.numeric not in _EXCLUDED_CURRENCIES
}
CURRENCIES: Final = frozenset(CURRENCY_EXPONENTS)
COUNTRIES: Final = frozenset(c.numeric for c in pycountry.countries if int(c.numeric) < 901)
# ISO 18245 codes known to the payment systems, outside the unassigned "Reserved" ranges. The
# 3000-3999 block is "reserved for private use" by ISO but is where the schemes assign airline,
# car rental and lodging codes, so the codes they list there are valid.
MCCS: Final = frozenset(
    m.mcc
    for m in iso18245.get_all_mccs()
    if not m.range.reserved or m.range.description == "Reserved for private use"
)


def _currency(value: str) -> str:
    if value not in CURRENCIES:
        raise emv_error("304", "not an ISO 4217 currency usable in 3-D Secure")
    return value


def _country(value: str) -> str:
    if value not in COUNTRIES:
        raise emv_error("304", "not an ISO 3166-1 country usable in 3-D Secure")
    return value


def _mcc(value: str) -> str:
    if value not in MCCS:
        raise emv_error("306", "not a merchant category code of ISO 18245")
    return value


Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Url = Annotated[str, StringConstraints(max_length=2048, pattern=URL_PATTERN)]
NotificationUrl = Annotated[str, StringConstraints(max_length=256, pattern=URL_PATTERN)]
Version = Annotated[str, text(8, 5)]
YesNo = Annotated[str, StringConstraints(pattern=r"^[YN]$")]
Date = Annotated[str, digits(8), AfterValidator(_real_date)]  # YYYYMMDD
DateTime = Annotated[str, digits(14), AfterValidator(_real_datetime)]  # YYYYMMDDHHMMSS, UTC
Currency = Annotated[str, digits(3), AfterValidator(_currency)]
Country = Annotated[str, digits(3), AfterValidator(_country)]
Mcc = Annotated[str, digits(4), AfterValidator(_mcc)]
IpAddress = Annotated[str, text(45), AfterValidator(_ip_address)]
Email = Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@]+@.+$")]
Bool = StrictBool  # JSON true/false only: "true" as a string is a format error


class Part(BaseModel):
    """Base of the nested objects: unknown members allowed, inputs kept out of error text."""

    model_config = ConfigDict(extra="allow", hide_input_in_errors=True, frozen=True)


class MessageExtension(Part):
    """One messageExtension entry (Table A.9)."""

    name: Req[Annotated[str, text(64)]]
    id: Req[Annotated[str, text(64)]]
    criticalityIndicator: Req[Bool]
    data: Req[Any]


def _no_critical(extensions: list[MessageExtension]) -> list[MessageExtension]:
    # This ACS recognises no extension, so any critical one makes the message invalid (A.12.3).
    critical = [ext.id for ext in extensions if ext.criticalityIndicator]
    if critical:
        raise emv_error("202", "critical message extension not recognised", {"ids": ",".join(critical)})
    return extensions


MessageExtensions = Annotated[
    list[MessageExtension], Field(min_length=1, max_length=15), AfterValidator(_no_critical)
]
