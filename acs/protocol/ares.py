"""ARes (ACS -> DS): the authentication decision."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import model_validator

from .fields import Url, Uuid, YesNo, text
from .outgoing import (
    AuthenticationType,
    Eci,
    MessageVersion,
    Outgoing,
    TransStatusReason,
    check_reason_version,
)
from .versions import at_least, authentication_fields, cardholder_info_field

TransStatus = Literal["Y", "N", "U", "A", "C", "D", "R", "I"]


class ARes(Outgoing):
    """An ARes for the browser channel (Table A.1, §2.2 of the reference)."""

    messageType: Literal["ARes"] = "ARes"
    messageVersion: MessageVersion
    threeDSServerTransID: Uuid
    dsTransID: Uuid
    acsTransID: Uuid
    acsReferenceNumber: Annotated[str, text(32)]
    dsReferenceNumber: Annotated[str, text(32)]
    acsOperatorID: Annotated[str, text(32)] | None = None
    transStatus: TransStatus
    transStatusReason: TransStatusReason | None = None
    acsURL: Url | None = None
    acsChallengeMandated: YesNo | None = None
    authenticationType: AuthenticationType | None = None
    authenticationMethod: list[str] | None = None
    authenticationValue: Annotated[str, text(4000)] | None = None
    eci: Eci | None = None
    cardholderInfo: Annotated[str, text(128)] | dict[str, str] | None = None

    @model_validator(mode="after")
    def _check_conditions(self) -> Self:
        status, version = self.transStatus, self.messageVersion
        challenge = status in {"C", "D"}
        if status in {"D", "I"} and not at_least(version, "2.2.0"):
            raise ValueError(f"transStatus {status} needs 2.2.0")
        if status in {"N", "U", "R"} and self.transStatusReason is None:
            raise ValueError("transStatusReason is required with N, U and R")
        if status in {"Y", "A"} and self.authenticationValue is None:
            raise ValueError("authenticationValue is required with Y and A")
        if (status == "C") != (self.acsURL is not None):
            raise ValueError("acsURL goes with transStatus C, and only with it")
        if challenge != (self.authenticationType is not None or self.authenticationMethod is not None):
            raise ValueError("authentication type goes with transStatus C or D, and only with it")
        check_reason_version(self.transStatusReason, version)
        return self


def build_ares(
    *,
    message_version: str,
    three_ds_server_trans_id: str,
    ds_trans_id: str,
    acs_trans_id: str,
    acs_reference_number: str,
    ds_reference_number: str,
    trans_status: str,
    trans_status_reason: str | None = None,
    acs_url: str | None = None,
    acs_challenge_mandated: bool = False,
    authentication_type: str | None = None,
    authentication_value: str | None = None,
    eci: str | None = None,
    cardholder_info: str | None = None,
    acs_operator_id: str | None = None,
) -> dict[str, Any]:
    """Build an ARes dict in the spec's format; raise ValueError if the combination is invalid.

    - trans_status: Y, A (need authentication_value), N, U, R (need trans_status_reason),
      C (needs acs_url and authentication_type), I (2.2.0+).
    - acs_challenge_mandated: sent as "Y"/"N" with C only.
    - authentication_type: "01" static passcode, "02" dynamic (SMS OTP), "03" OOB, "04"
      decoupled; sent as authenticationType (2.1.0/2.2.0) or authenticationMethod (2.3.1).
    - cardholder_info: text up to 128 characters; a string or {"text": ...} per version.
    - eci: two characters, scheme-specific (Visa/JCB 05 authenticated, 06 attempted).
    """
    challenge = trans_status in {"C", "D"}
    fields: dict[str, Any] = {
        "messageVersion": message_version,
        "threeDSServerTransID": three_ds_server_trans_id,
        "dsTransID": ds_trans_id,
        "acsTransID": acs_trans_id,
        "acsReferenceNumber": acs_reference_number,
        "dsReferenceNumber": ds_reference_number,
        "acsOperatorID": acs_operator_id,
        "transStatus": trans_status,
        "transStatusReason": trans_status_reason,
        "acsURL": acs_url,
        "acsChallengeMandated": ("Y" if acs_challenge_mandated else "N") if challenge else None,
        "authenticationValue": authentication_value,
        "eci": eci,
        **authentication_fields(message_version, authentication_type),
        **cardholder_info_field(message_version, cardholder_info),
    }
    return ARes.model_validate(fields).dump()
