"""What the 3DS Method page posts back, and what a broken threeDSMethodData still tells us.

Pure Python (pydantic), no Django: the collect view validates with `DeviceData`, and the method
view calls `salvage_notification` when `parse_method_data` rejects the form field.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from acs.protocol import b64url_decode
from acs.protocol.fields import URL_PATTERN, UUID_PATTERN
from riskanalysis.pseudonym import fingerprint_key

MAX_BODY_BYTES: Final = 8 * 1024
MAX_NOTIFICATION_URL: Final = 2048
# As the protocol's Url: an absolute http(s) URL with a host. Anything else (javascript:, data:)
# must never become a form action.
_URL = re.compile(URL_PATTERN)

Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8,64}$")]
Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,35}$")]
# IANA names ("Asia/Tokyo", "America/Argentina/Buenos_Aires", "Etc/GMT+9", "UTC").
TimeZoneName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_+\-/]{1,64}$")]
Text = Annotated[str, StringConstraints(max_length=64, strip_whitespace=True)]


class DeviceData(BaseModel):
    """The JSON body of POST /acs/method/collect (static/acs/method.js builds it).

    Unknown fields are ignored, so a newer script can send more; values out of range are errors.
    """

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

    token: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    screenWidth: Annotated[int, Field(ge=1, le=20000)]
    screenHeight: Annotated[int, Field(ge=1, le=20000)]
    colorDepth: Annotated[int, Field(ge=1, le=64)]
    # getTimezoneOffset(): minutes to add to local time for UTC, UTC+14 (-840) to UTC-12 (720).
    timezoneOffset: Annotated[int, Field(ge=-840, le=720)]
    timezoneName: TimeZoneName | None = None
    languages: Annotated[list[Language], Field(max_length=20)] = []
    platform: Text = ""
    hardwareConcurrency: Annotated[int, Field(ge=1, le=1024)] | None = None
    maxTouchPoints: Annotated[int, Field(ge=0, le=256)] = 0
    canvasHash: Hex | None = None
    webglHash: Hex | None = None
    deviceId: Uuid | None = None
    storageAvailable: bool = False

    @property
    def screen(self) -> str:
        return f"{self.screenWidth}x{self.screenHeight}"

    def languages_joined(self, limit: int = 100) -> str:
        """Return the languages comma-joined, dropping whole entries past `limit` characters."""
        joined = ""
        for language in self.languages:
            candidate = f"{joined},{language}" if joined else language
            if len(candidate) > limit:
                break
            joined = candidate
        return joined

    def fingerprint_key(self) -> str:
        """Return the pseudonym of this browser's stable attributes."""
        return fingerprint_key(
            canvas=self.canvasHash,
            webgl=self.webglHash,
            screen=self.screen,
            color_depth=self.colorDepth,
            platform=self.platform,
            cores=self.hardwareConcurrency,
            timezone_name=self.timezoneName,
        )


def usable_notification_url(value: object) -> str | None:
    """Return `value` if it is an absolute http(s) URL of at most 2048 characters, else None."""
    if isinstance(value, str) and len(value) <= MAX_NOTIFICATION_URL and _URL.fullmatch(value):
        return value
    return None


def salvage_notification(data: str) -> tuple[str, str] | None:
    """Read (notification URL, threeDSServerTransID) from threeDSMethodData that failed validation.

    A requestor that sent a bad transaction ID still waits for the notification; answering it
    (with whatever ID it sent, or "" if none) lets its page carry on instead of waiting out the
    10-second timer. Return None when no usable notification URL can be read.
    """
    try:
        raw = json.loads(b64url_decode(data))
    except (ValueError, RecursionError):  # Base64url, UTF-8 and JSON errors; absurd nesting
        return None
    if not isinstance(raw, dict):
        return None
    url = usable_notification_url(raw.get("threeDSMethodNotificationURL"))
    if url is None:
        return None
    trans_id = raw.get("threeDSServerTransID")
    if not isinstance(trans_id, str) or len(trans_id) > 64:
        trans_id = ""
    return url, trans_id
