"""The synthetic example messages of the project's EMV 3DS reference (§7), for tests and benches.

The card number is the well-known Visa test PAN.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any, Final

# Reference §7, the Visa browser AReq (2.2.0).
EXAMPLE_AREQ: Final[dict[str, Any]] = {
    "messageType": "AReq",
    "messageVersion": "2.2.0",
    "messageCategory": "01",
    "deviceChannel": "02",
    "threeDSServerTransID": "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11",
    "dsTransID": "5b2e7c90-1f4a-4d8e-a3c6-0e9b8d7f6a55",
    "dsReferenceNumber": "DS_REF_TEST",
    "dsURL": "https://ds.example/rreq",
    "threeDSServerRefNumber": "3DSS_REF_TEST",
    "threeDSServerURL": "https://3dss.example/rreq",
    "threeDSRequestorID": "REQ-0001",
    "threeDSRequestorName": "Example Shop",
    "threeDSRequestorURL": "https://shop.example",
    "threeDSRequestorAuthenticationInd": "01",
    "threeDSRequestorChallengeInd": "01",
    "threeDSCompInd": "Y",
    "acctNumber": "4111111111111111",
    "cardExpiryDate": "2812",
    "acquirerBIN": "400551",
    "acquirerMerchantID": "MID000123",
    "mcc": "5732",
    "merchantCountryCode": "392",
    "merchantName": "Example Shop",
    "purchaseAmount": "12800",
    "purchaseCurrency": "392",
    "purchaseExponent": "0",
    "purchaseDate": "20250401093015",
    "notificationURL": "https://3dss.example/cres",
    "browserAcceptHeader": "text/html",
    "browserIP": "203.0.113.7",
    "browserJavaEnabled": False,
    "browserJavascriptEnabled": True,
    "browserLanguage": "ja-JP",
    "browserColorDepth": "24",
    "browserScreenHeight": "900",
    "browserScreenWidth": "1440",
    "browserTZ": "-540",
    "browserUserAgent": "Mozilla/5.0 (X11; Linux x86_64)",
    "cardholderName": "TARO YAMADA",
    "email": "taro@example.jp",
    "mobilePhone": {"cc": "81", "subscriber": "9012345678"},
    "billAddrCountry": "392",
    "billAddrPostCode": "1000005",
    "addrMatch": "Y",
    "acctInfo": {"chAccAgeInd": "05", "txnActivityDay": "1"},
}

# Reference §7: the threeDSMethodData the ACS posts back for the example threeDSServerTransID.
EXAMPLE_METHOD_NOTIFICATION: Final = (
    "eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6IjhmMGMxYTUyLTNlMmItNGMxZS05YjdhLTJkNWYwZTZjOWExMSJ9"
)


# Changes for example_areq: a browser with JavaScript off sends none of the fields a script reads.
NO_JAVASCRIPT: dict[str, Any] = {
    "browserJavascriptEnabled": False,
    "browserLanguage": None,
    "browserJavaEnabled": None,
    "browserColorDepth": None,
    "browserScreenHeight": None,
    "browserScreenWidth": None,
    "browserTZ": None,
}


def example_areq(
    version: str = "2.2.0", *, challenge_ind: str | None = "01", **changes: Any
) -> dict[str, Any]:
    """The example AReq as a valid message of `version`, with fresh transaction IDs.

    2.1.0 has no browserJavascriptEnabled; 2.3.1 sends the challenge indicator as a list and adds
    acceptLanguage and the acquirer's country. A change of None removes the field.
    """
    message = copy.deepcopy(EXAMPLE_AREQ)
    message["messageVersion"] = version
    message["threeDSServerTransID"] = str(uuid.uuid4())
    message["dsTransID"] = str(uuid.uuid4())
    message.pop("threeDSRequestorChallengeInd")
    if challenge_ind is not None:
        message["threeDSRequestorChallengeInd"] = [challenge_ind] if version == "2.3.1" else challenge_ind
    if version == "2.1.0":
        message.pop("browserJavascriptEnabled")
    if version == "2.3.1":
        message.update(
            acceptLanguage=["ja-JP", "en"], acquirerCountryCode="392", acquirerCountryCodeSource="01"
        )
    for name, value in changes.items():
        if value is None:
            message.pop(name, None)
        else:
            message[name] = value
    return message
