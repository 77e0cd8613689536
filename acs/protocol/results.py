"""Results leg: RReq (ACS -> DS) out, RRes or Erro back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from .erro import Erro, parse_message_or_erro
from .fields import Req, Uuid, Version, coded, codes, digits
from .outgoing import (
    AuthenticationType,
    Eci,
    MessageVersion,
    Outgoing,
    TransStatusReason,
    check_reason_version,
)
from .validation import Message, error_for, parse_message
from .versions import at_least, authentication_fields

ChallengeCancel = Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]


class RReq(Outgoing):
    """An RReq carrying the final result of a challenge."""

    threeDSServerTransID: Uuid
    acsTransID: Uuid
    dsTransID: Uuid
    messageType: Literal["RReq"] = "RReq"
    messageVersion: MessageVersion
    messageCategory: Annotated[str, digits(2), coded(codes(1, 2))]
    transStatus: Literal["Y", "N", "U", "A", "R"]
    transStatusReason: TransStatusReason | None = None
    authenticationValue: Annotated[str, Field(max_length=4000)] | None = None
    eci: Eci | None = None
    authenticationType: AuthenticationType | None = None
    authenticationMethod: list[str] | None = None
    interactionCounter: Annotated[str, digits(2)] | None = None
    challengeCancel: ChallengeCancel | None = None

    @model_validator(mode="after")
    def _check_conditions(self) -> Self:
        status, version = self.transStatus, self.messageVersion
        if status in {"N", "U", "R"} and self.transStatusReason is None:
            raise ValueError("transStatusReason is required with N, U and R")
        if status in {"Y", "A"} and self.authenticationValue is None:
            raise ValueError("authenticationValue is required with Y and A")
        if self.transStatusReason == "14" and self.challengeCancel not in {"04", "05"}:
            raise ValueError("a timeout (reason 14) needs challengeCancel 04 or 05")
        if self.challengeCancel in {"09", "10"} and not at_least(version, "2.3.1"):
            raise ValueError("challengeCancel 09 and 10 need 2.3.1")
        if self.challengeCancel == "08" and not at_least(version, "2.2.0"):
            raise ValueError("challengeCancel 08 needs 2.2.0")
        check_reason_version(self.transStatusReason, version)
        return self


def build_rreq(
    *,
    message_version: str,
    message_category: str,
    three_ds_server_trans_id: str,
    acs_trans_id: str,
    ds_trans_id: str,
    trans_status: str,
    trans_status_reason: str | None = None,
    authentication_value: str | None = None,
    eci: str | None = None,
    authentication_type: str | None = None,
    interaction_counter: int | None = None,
    challenge_cancel: str | None = None,
) -> dict[str, Any]:
    """Build an RReq dict in the spec's format; raise ValueError if the combination is invalid.

    - trans_status: Y/A (need authentication_value), N/U/R (need trans_status_reason; reason 14,
      a timeout, needs challenge_cancel "04" or "05"). Omit eci and the value on abandonment.
    - authentication_type: as for build_ares (authenticationMethod in 2.3.1).
    - interaction_counter: the number of attempts, 0-99, sent as two digits.
    """
    if interaction_counter is not None and not 0 <= interaction_counter <= 99:
        raise ValueError("interactionCounter is two digits")
    fields: dict[str, Any] = {
        "threeDSServerTransID": three_ds_server_trans_id,
        "acsTransID": acs_trans_id,
        "dsTransID": ds_trans_id,
        "messageVersion": message_version,
        "messageCategory": message_category,
        "transStatus": trans_status,
        "transStatusReason": trans_status_reason,
        "authenticationValue": authentication_value,
        "eci": eci,
        **authentication_fields(message_version, authentication_type),
        "interactionCounter": None if interaction_counter is None else f"{interaction_counter:02d}",
        "challengeCancel": challenge_cancel,
    }
    return RReq.model_validate(fields).dump()


def _not_decoupled(value: str) -> str:
    # 04 (decoupled later) exists from 2.3.1 on; in older versions it is simply not a valid value.
    if value == "04":
        raise ValueError("resultsStatus 04 needs 2.3.1")
    return value


ResultsStatus = Annotated[str, digits(2), coded(codes(1, 4))]


class RRes(Message):
    """An RRes: the 3DS Server's acknowledgement of the RReq, relayed by the DS."""

    threeDSServerTransID: Req[Uuid]
    acsTransID: Req[Uuid]
    dsTransID: Req[Uuid]
    messageType: Req[Literal["RRes"]]
    messageVersion: Req[Version]
    resultsStatus: Req[ResultsStatus]


class RRes22(RRes):
    """RRes 2.1.0/2.2.0: resultsStatus 01-03."""

    resultsStatus: Req[Annotated[ResultsStatus, AfterValidator(_not_decoupled)]]


_RRES_MODELS: Final[Mapping[str, type[RRes]]] = {"2.1.0": RRes22, "2.2.0": RRes22, "2.3.1": RRes}


def parse_rres(data: bytes | str | Mapping[str, Any]) -> RRes:
    """Parse an RRes; raise ProtocolError for anything else, an Erro included (101).

    Use parse_ds_reply() where a DS may answer the RReq with an Erro.
    """
    return parse_message(data, "RRes", _RRES_MODELS)


def parse_ds_reply(data: bytes | str | Mapping[str, Any]) -> RRes | Erro:
    """Parse the DS's reply to an RReq: an RRes, or the Erro the DS sent instead.

    Raise ProtocolError if the reply is neither a valid RRes nor a valid Erro.
    """
    return parse_message_or_erro(data, "RRes", _RRES_MODELS)


# What an RRes echoes from its RReq: the version may not change mid-transaction and the IDs must
# be those of the request (reference §2: a change is 203; [Req 212]).
_ECHOED: Final = ("messageVersion", "threeDSServerTransID", "acsTransID", "dsTransID")


def check_rres(rres: RRes, *, rreq: Mapping[str, Any]) -> None:
    """Raise ProtocolError 203 naming every field in which an RRes differs from its RReq."""
    # IDs compare without case: RFC 4122 reads hex digits either way.
    differ = [name for name in _ECHOED if str(getattr(rres, name)).lower() != str(rreq.get(name)).lower()]
    if differ:
        raise error_for("203", ",".join(differ), rres.raw, "RRes")
