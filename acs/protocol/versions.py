"""Protocol versions, message types and the version-dependent code tables."""

from __future__ import annotations

from typing import Final

SUPPORTED_VERSIONS: Final = ("2.1.0", "2.2.0", "2.3.1")

# An Erro about a version we cannot read still needs a messageVersion. 2.2.0 is the version every
# DS in service accepts (EMVCo retired 2.1.0, and 2.3.1 is not yet deployed everywhere), so it is
# the one most likely to be understood by the party that sent us something unreadable.
FALLBACK_ERRO_VERSION: Final = "2.2.0"

# Every messageType of Table A.1: a name from this set is "recognisable" for errorMessageType.
MESSAGE_TYPES: Final = frozenset(
    {"AReq", "ARes", "CReq", "CRes", "PReq", "PRes", "RReq", "RRes", "OReq", "ORes", "Erro"}
)

# ARes/RReq authenticationType (2.1.0/2.2.0) mapped to authenticationMethod (2.3.1): the ACS uses
# "dynamic" only for SMS OTP, so 02 becomes 02 = SMS OTP; OOB becomes 09 = OOB other.
_METHOD_FOR_TYPE: Final = {"01": "01", "02": "02", "03": "09", "04": "12"}


def is_supported(version: object) -> bool:
    """Tell whether `version` is a protocol version this ACS speaks."""
    return isinstance(version, str) and version in SUPPORTED_VERSIONS


def at_least(version: str, minimum: str) -> bool:
    """Compare two supported versions (both in SUPPORTED_VERSIONS)."""
    return SUPPORTED_VERSIONS.index(version) >= SUPPORTED_VERSIONS.index(minimum)


def authentication_fields(version: str, authentication_type: str | None) -> dict[str, object]:
    """Return authenticationType (2.1.0/2.2.0) or authenticationMethod (2.3.1) for a type code."""
    if authentication_type is None:
        return {}
    if authentication_type not in _METHOD_FOR_TYPE:
        raise ValueError(f"unknown authenticationType {authentication_type!r}")
    if version == "2.3.1":
        return {"authenticationMethod": [_METHOD_FOR_TYPE[authentication_type]]}
    return {"authenticationType": authentication_type}


def cardholder_info_field(version: str, text: str | None) -> dict[str, object]:
    """Return cardholderInfo as a string (2.1.0/2.2.0) or as {"text": ...} (2.3.1)."""
    if text is None:
        return {}
    return {"cardholderInfo": {"text": text} if version == "2.3.1" else text}
