"""Browser challenge leg: 3DS Method data, CReq in, final CRes out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import ValidationError

from .codec import b64url_decode, encode_message, load_object
from .errors import ProtocolError
from .fields import MessageExtensions, Opt, Req, Url, Uuid, Version
from .outgoing import MessageVersion, Outgoing
from .validation import Message, error_for, error_from_validation, parse_message
from .versions import SUPPORTED_VERSIONS

SESSION_DATA_MAX_BYTES: Final = 1024

# challengeWindowSize -> (width, height) in px; 05 is full screen.
WINDOW_SIZES: Final[Mapping[str, tuple[int, int] | None]] = {
    "01": (250, 400),
    "02": (390, 400),
    "03": (500, 600),
    "04": (600, 400),
    "05": None,
}


class MethodData(Message):
    """The threeDSMethodData the requestor posts to the 3DS Method URL (Table A.2)."""

    threeDSServerTransID: Req[Uuid]
    threeDSMethodNotificationURL: Req[Url]


class CReq(Message):
    """A browser CReq (the decoded `creq` form field)."""

    threeDSServerTransID: Req[Uuid]
    acsTransID: Req[Uuid]
    challengeWindowSize: Req[Literal["01", "02", "03", "04", "05"]]
    messageType: Req[Literal["CReq"]]
    messageVersion: Req[Version]
    messageExtension: Opt[MessageExtensions] = None

    @property
    def window_size(self) -> tuple[int, int] | None:
        """Return the challenge iframe's (width, height) in px, or None for full screen."""
        return WINDOW_SIZES[self.challengeWindowSize]


class FinalCRes(Outgoing):
    """The final CRes the ACS posts through the browser to the notificationURL."""

    threeDSServerTransID: Uuid
    acsTransID: Uuid
    messageType: Literal["CRes"] = "CRes"
    messageVersion: MessageVersion
    transStatus: Literal["Y", "N"]
    # Required in 2.1/2.2; APP-only in the 2.3.1 table but harmless, since extra fields are ignored.
    challengeCompletionInd: Literal["Y"] = "Y"


_CREQ_MODELS: Final = dict.fromkeys(SUPPORTED_VERSIONS, CReq)


def _decode_form_field(name: str, value: str, message_type: str | None) -> tuple[dict[str, Any], list[str]]:
    # Base64url and JSON problems in a browser form field are reported as a bad value of that
    # field (203), since the message inside cannot be identified.
    if not isinstance(value, str) or not value:
        raise ProtocolError("201", name, message_type=message_type)
    try:
        return load_object(b64url_decode(value))
    except (ValueError, ProtocolError) as exc:
        raise ProtocolError("203", name, message_type=message_type) from exc


def parse_creq(data: str, *, session_data: str = "") -> CReq:
    """Decode and validate the `creq` form field and the `threeDSSessionData` posted with it, or
    raise ProtocolError.

    A missing field is 201 and an undecodable one 203, both naming "creq"; the message inside is
    then checked like any other (101, 102, 204, 202, 201, 203). Session data over 1024 bytes is
    203 naming "threeDSSessionData".
    """
    raw, duplicates = _decode_form_field("creq", data, "CReq")
    creq = parse_message(raw, "CReq", _CREQ_MODELS, duplicates=duplicates)
    # The session data is opaque and at most 1024 bytes (reference §1), and it must come back
    # unchanged: a longer one is refused like any element over its length (§5: 203), never cut.
    if len(session_data.encode("utf-8", "surrogatepass")) > SESSION_DATA_MAX_BYTES:
        raise error_for("203", "threeDSSessionData", raw, "CReq")
    return creq


def parse_method_data(data: str) -> MethodData:
    """Decode and validate the `threeDSMethodData` form field (Base64url, padding optional)."""
    raw, duplicates = _decode_form_field("threeDSMethodData", data, None)
    if duplicates:
        raise error_for("204", ",".join(duplicates), raw, None)
    try:
        model = MethodData.model_validate(raw)
    except ValidationError as exc:
        raise error_from_validation(exc, raw, None) from None
    model._raw = raw
    return model


def build_method_notification(three_ds_server_trans_id: str) -> str:
    """Return the threeDSMethodData to post to the notification URL: Base64url of the ID only."""
    return encode_message({"threeDSServerTransID": three_ds_server_trans_id})


def build_cres(
    *, message_version: str, three_ds_server_trans_id: str, acs_trans_id: str, trans_status: str
) -> dict[str, Any]:
    """Build the final CRes dict (transStatus Y or N, challengeCompletionInd Y).

    Post it as `encode_message(build_cres(...))` in the `cres` form field.
    """
    fields = {
        "threeDSServerTransID": three_ds_server_trans_id,
        "acsTransID": acs_trans_id,
        "messageVersion": message_version,
        "transStatus": trans_status,
    }
    return FinalCRes.model_validate(fields).dump()
