"""Erro: the error message, built from a ProtocolError or parsed from a DS reply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

from .codec import load_object
from .errors import ProtocolError
from .fields import Opt, Req, Uuid, Version, digits, text
from .validation import ID_FIELDS, M, Message, parse_message
from .versions import FALLBACK_ERRO_VERSION, SUPPORTED_VERSIONS, is_supported


class Erro(Message):
    """An Erro message received from the DS (e.g. in reply to an RReq)."""

    messageType: Req[Literal["Erro"]]
    messageVersion: Req[Version]
    errorCode: Req[Annotated[str, digits(3)]]
    errorComponent: Req[Literal["C", "S", "D", "A"]]
    errorDescription: Req[Annotated[str, text(2048)]]
    errorDetail: Req[Annotated[str, text(2048)]]
    errorMessageType: Opt[Annotated[str, text(4, 4)]] = None
    threeDSServerTransID: Opt[Uuid] = None
    dsTransID: Opt[Uuid] = None
    acsTransID: Opt[Uuid] = None
    sdkTransID: Opt[Uuid] = None


ERRO_MODELS: Final = dict.fromkeys(SUPPORTED_VERSIONS, Erro)


def parse_erro(data: bytes | str | dict[str, Any]) -> Erro:
    """Parse an Erro message; raise ProtocolError if it is not a valid one."""
    return parse_message(data, "Erro", ERRO_MODELS)


def parse_message_or_erro(
    data: bytes | str | Mapping[str, Any], message_type: str, models: Mapping[str, type[M]]
) -> M | Erro:
    """Parse a `message_type` message, or the Erro a peer sent in its place (one JSON decode).

    Raise ProtocolError if it is neither; its `message_type` says "Erro" for an invalid Erro.
    """
    raw, duplicates = (dict(data), []) if isinstance(data, Mapping) else load_object(data)
    if raw.get("messageType") == "Erro":
        return parse_message(raw, "Erro", ERRO_MODELS, duplicates=duplicates)
    return parse_message(raw, message_type, models, duplicates=duplicates)


def build_erro(error: ProtocolError, *, version: str | None = None) -> dict[str, Any]:
    """Build the Erro dict for `error`.

    messageVersion is `version` if supported, else the version of the faulty message if
    supported, else 2.2.0 (see versions.FALLBACK_ERRO_VERSION for why).
    """
    chosen = next((v for v in (version, error.message_version) if is_supported(v)), FALLBACK_ERRO_VERSION)
    message: dict[str, Any] = {"messageType": "Erro", "messageVersion": chosen}
    message.update((name, error.ids[name]) for name in ID_FIELDS if name in error.ids)
    message.update(
        errorCode=error.code,
        errorComponent=error.component,
        errorDescription=error.description[:2048],
        # errorDetail is required and must not be empty.
        errorDetail=(error.detail or error.description)[:2048],
    )
    if error.message_type:
        message["errorMessageType"] = error.message_type
    return message
