"""ProtocolError: one EMV 3DS error (Table A.4), ready to become an Erro message."""

from __future__ import annotations

from typing import Final

# Table A.4 "Error Code" column: the short standard text of each code.
DESCRIPTIONS: Final = {
    "101": "Message Received Invalid",
    "102": "Message Version Number Not Supported",
    "103": "Sent Messages Limit Exceeded",
    "201": "Required Data Element Missing",
    "202": "Critical Message Extension Not Recognised",
    "203": "Format or value of one or more Data Elements is Invalid according to the Specification",
    "204": "Duplicate Data Element",
    "207": "Value in the Reserved Value range",
    "301": "Transaction ID Not Recognised",
    "302": "Data Decryption Failure",
    "303": "Access Denied, Invalid Endpoint",
    "304": "ISO Code Invalid",
    "305": "Transaction Data Not Valid",
    "306": "Merchant Category Code (MCC) Not Valid for Payment System",
    "307": "Serial Number Not Valid",
    "312": "Duplicate Message",
    "313": "Inconsistent RReq message",
    "314": "Multiple CReq messages not supported",
    "315": "CReq message received after the RReq message",
    "402": "Transaction Timed Out",
    "403": "Transient System Failure",
    "404": "Permanent System Failure",
    "405": "System Connection Failure",
}

# When a message has several problems only one code can be reported. The envelope comes first
# (without a readable type and version nothing else can be judged), then structure, then presence,
# then format, then the value tables.
PRECEDENCE: Final = ("101", "102", "204", "202", "201", "203", "207", "304", "306")


class ProtocolError(Exception):
    """An EMV 3DS error found by the ACS (errorComponent "A" unless told otherwise)."""

    def __init__(
        self,
        code: str,
        detail: str = "",
        *,
        description: str | None = None,
        message_type: str | None = None,
        message_version: str | None = None,
        ids: dict[str, str] | None = None,
        component: str = "A",
    ) -> None:
        self.code = code
        self.detail = detail
        self.description = description or DESCRIPTIONS.get(code, "")
        self.message_type = message_type
        self.message_version = message_version
        self.ids: dict[str, str] = dict(ids or {})
        self.component = component
        super().__init__(f"{code} {self.description}" + (f": {detail}" if detail else ""))

    def __repr__(self) -> str:
        return f"ProtocolError({self.code!r}, {self.detail!r}, message_type={self.message_type!r})"
