"""Base of the messages the ACS writes: strict models that check our own output before it leaves."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from .fields import coded, codes, digits
from .versions import at_least

MessageVersion = Literal["2.1.0", "2.2.0", "2.3.1"]
AuthenticationType = Literal["01", "02", "03", "04"]
TransStatusReason = Annotated[str, digits(2), coded(codes(1, 30))]
Eci = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{2}$")]  # Mastercard also uses N0/N2


class Outgoing(BaseModel):
    """A message built by the ACS; an unknown or invalid field is a bug, so it raises ValueError."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def dump(self) -> dict[str, Any]:
        """Return the spec-format dict, present fields only."""
        return self.model_dump(exclude_none=True)


def check_reason_version(reason: str | None, version: str) -> None:
    """Refuse a transStatusReason the message's version does not define."""
    if reason is None or reason >= "80":
        return
    if reason >= "27" and not at_least(version, "2.3.1"):
        raise ValueError(f"transStatusReason {reason} needs 2.3.1")
    if reason >= "22" and not at_least(version, "2.2.0"):
        raise ValueError(f"transStatusReason {reason} needs 2.2.0")
