"""Time parse_areq on the reference §7 AReq: `python bench/protocol_bench.py [iterations]`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from acs.protocol import build_ares, parse_areq  # noqa: E402
from acs.protocol.examples import EXAMPLE_AREQ  # noqa: E402

AREQ = EXAMPLE_AREQ


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
