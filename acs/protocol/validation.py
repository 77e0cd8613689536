"""From raw message to model: envelope checks, conditional rules and pydantic errors -> EMV codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

from .codec import INVALID_FOR_COMPONENT, INVALID_TYPE, load_object
from .errors import PRECEDENCE, ProtocolError
from .fields import UUID_PATTERN, emv_error, is_empty
from .versions import MESSAGE_TYPES, SUPPORTED_VERSIONS, is_supported

ID_FIELDS = ("threeDSServerTransID", "dsTransID", "acsTransID", "sdkTransID")
_UUID = re.compile(UUID_PATTERN)

# pydantic error type -> EMV error code; every other type is a format or value error (203).
_CODE_FOR_TYPE = {
    "missing": "201",
    "emv_201": "201",
    "emv_202": "202",
    "emv_203": "203",
    "emv_207": "207",
    "emv_304": "304",
    "emv_306": "306",
}


def code_for(error_type: str) -> str:
    """Map a pydantic error type to the EMV error code it stands for."""
    return _CODE_FOR_TYPE.get(error_type, "203")


def _always(raw: Mapping[str, Any]) -> bool:
    return True


def absent(raw: Mapping[str, Any], name: str) -> bool:
    """Tell whether a field is missing in the Annex A.1 sense: absent, null or empty."""
    return is_empty(raw.get(name))


@dataclass(frozen=True, slots=True)
class Requires:
    """A conditional inclusion rule: `fields` are required when `when(raw)` holds."""

    fields: tuple[str, ...]
    when: Callable[[Mapping[str, Any]], bool] = _always


@dataclass(frozen=True, slots=True)
class Agrees:
    """A cross-field rule: `field` has an invalid value (203) when `wrong(raw)` holds."""

    field: str
    wrong: Callable[[Mapping[str, Any]], bool]


class Message(BaseModel):
    """Base of every parsed message: extra fields kept, inputs (PANs) kept out of error text."""

    model_config = ConfigDict(extra="allow", hide_input_in_errors=True, frozen=True)

    conditions: ClassVar[tuple[Requires, ...]] = ()
    agreements: ClassVar[tuple[Agrees, ...]] = ()
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def raw(self) -> dict[str, Any]:
        """Return the message as received, unknown fields included."""
        return self._raw

    @model_validator(mode="wrap")
    @classmethod
    def _check_conditions(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # Conditions are read from the raw input so that they are reported together with the
        # field errors: an "after" validator would not run once any field has failed.
        missing: list[str] = []
        invalid: list[str] = []
        if isinstance(data, Mapping):
            missing = _missing(cls.conditions, data)
            invalid = [rule.field for rule in cls.agreements if rule.wrong(data)]
        try:
            model = handler(data)
        except ValidationError as exc:
            if not (missing or invalid):
                raise
            raise _merged(cls.__name__, exc, missing, invalid) from None
        if missing or invalid:
            raise _merged(cls.__name__, None, missing, invalid)
        return model


M = TypeVar("M", bound=Message)


def _missing(rules: tuple[Requires, ...], raw: Mapping[str, Any]) -> list[str]:
    found = (name for rule in rules if rule.when(raw) for name in rule.fields if absent(raw, name))
    return list(dict.fromkeys(found))


def _merged(
    title: str, exc: ValidationError | None, missing: list[str], invalid: list[str]
) -> ValidationError:
    # A conditionally required field sent empty is "missing" (201), not "optional sent empty".
    required = {(name,) for name in missing}
    details: list[InitErrorDetails] = [
        {
            "type": PydanticCustomError(err["type"], err["msg"], err.get("ctx")),
            "loc": err["loc"],
            "input": None,
        }
        for err in (exc.errors(include_input=False) if exc else [])
        if err["loc"][:1] not in required
    ]
    details += [
        {"type": emv_error("201", "conditionally required"), "loc": (name,), "input": None}
        for name in missing
    ]
    details += [
        {"type": emv_error("203", "does not agree with another element"), "loc": (name,), "input": None}
        for name in invalid
    ]
    return ValidationError.from_exception_data(title, details)


def ids_from(raw: Mapping[str, Any]) -> dict[str, str]:
    """Collect the well-formed transaction IDs of a raw message, for an Erro."""
    return {
        name: value for name in ID_FIELDS if isinstance(value := raw.get(name), str) and _UUID.match(value)
    }


def error_for(code: str, detail: str, raw: Mapping[str, Any], message_type: str | None) -> ProtocolError:
    """Build a ProtocolError that carries what is known of the raw message."""
    version = raw.get("messageVersion")
    return ProtocolError(
        code,
        detail,
        message_type=message_type,
        message_version=version if isinstance(version, str) else None,
        ids=ids_from(raw),
    )


def error_from_validation(
    exc: ValidationError, raw: Mapping[str, Any], message_type: str | None
) -> ProtocolError:
    """Report the highest-precedence code of a ValidationError, naming all its fields."""
    by_code: dict[str, dict[str, None]] = {}
    for err in exc.errors(include_url=False, include_input=False):
        code = code_for(err["type"])
        if code == "202":  # Table A.4: the detail of 202 names the extension IDs
            names = str((err.get("ctx") or {}).get("ids", "messageExtension"))
        else:
            names = ".".join(part for part in err["loc"] if isinstance(part, str))
        by_code.setdefault(code, {})[names] = None
    code = min(by_code, key=PRECEDENCE.index)
    return error_for(code, ",".join(by_code[code]), raw, message_type)


def check_envelope(raw: Mapping[str, Any], message_type: str) -> str:
    """Check messageType (101) and messageVersion (201, 102); return the version."""
    received = raw.get("messageType")
    if received != message_type:
        known = received if isinstance(received, str) and received in MESSAGE_TYPES else None
        raise error_for("101", INVALID_FOR_COMPONENT if known else INVALID_TYPE, raw, known)
    version = raw.get("messageVersion")
    if absent(raw, "messageVersion"):
        raise error_for("201", "messageVersion", raw, message_type)
    if not is_supported(version):
        raise error_for("102", ",".join(SUPPORTED_VERSIONS), raw, message_type)
    return str(version)


def parse_message(
    data: bytes | str | Mapping[str, Any],
    message_type: str,
    models: Mapping[str, type[M]],
    *,
    duplicates: Sequence[str] = (),
) -> M:
    """Parse and validate one message with the model of its version, or raise ProtocolError.

    Error precedence: 101 > 102 > 204 > 202 > 201 > 203 > 207 > 304 > 306 (errors.PRECEDENCE).
    `duplicates` are the repeated keys of an object that was decoded by the caller.
    """
    if isinstance(data, Mapping):
        raw = dict(data)
    else:
        raw, duplicates = load_object(data)
    version = check_envelope(raw, message_type)
    if duplicates:
        raise error_for("204", ",".join(duplicates), raw, message_type)
    try:
        model = models[version].model_validate(raw)
    except ValidationError as exc:
        raise error_from_validation(exc, raw, message_type) from None
    model._raw = raw
    return model
