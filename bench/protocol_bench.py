"""Time parse_areq on the reference §7 AReq: `python bench/protocol_bench.py [iterations]`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from acs.protocol import build_ares, parse_areq  # noqa: E402

AREQ = {
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


def per_op_us(call: Callable[[], object], iterations: int) -> float:
    """Return the mean time of `call()` in microseconds."""
    for _ in range(min(iterations, 1000)):  # warm up caches and the allocator
        call()
    start = time.perf_counter()
    for _ in range(iterations):
        call()
    return (time.perf_counter() - start) / iterations * 1e6


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    body = json.dumps(AREQ).encode()
    print(f"parse_areq (bytes, {len(body)} B): {per_op_us(lambda: parse_areq(body), iterations):.1f} µs/op")
    print(f"parse_areq (dict):         {per_op_us(lambda: parse_areq(AREQ), iterations):.1f} µs/op")
    areq = parse_areq(body)
    ares_kwargs: dict[str, str] = {
        "message_version": areq.messageVersion,
        "three_ds_server_trans_id": areq.threeDSServerTransID,
        "ds_trans_id": areq.dsTransID,
        "acs_trans_id": "d3b9e4a7-6c21-4f0b-8e55-71a2c4f9b0de",
        "acs_reference_number": "ACS_REF_TEST",
        "ds_reference_number": areq.dsReferenceNumber,
        "trans_status": "Y",
        "eci": "05",
        "authentication_value": "AAABAgMEBQYHCAkQERITFBUWFxg=",
    }
    ares_us = per_op_us(lambda: build_ares(**ares_kwargs), iterations)
    print(f"build_ares:                {ares_us:.1f} µs/op")


if __name__ == "__main__":
    main()
