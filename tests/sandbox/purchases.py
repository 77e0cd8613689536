"""A sandbox purchase in the middle of a challenge, as the 3DS Server has it after a C answer."""

from __future__ import annotations

import uuid
from typing import Any

from sandbox.models import DemoPurchase


def challenged_purchase(version: str = "2.2.0", **fields: Any) -> DemoPurchase:
    acs_trans_id = uuid.uuid4()
    return DemoPurchase.objects.create(
        **{
            "card_key": "visa-sms",
            "masked_pan": "4111 11** **** 1111",
            "amount": 12800,
            "merchant_name": "Sandbox Shop",
            "challenge_ind": "04",
            "message_version": version,
            "window_size": "02",
            "browser_language": "ja-JP",
            "ds_trans_id": uuid.uuid4(),
            "acs_trans_id": acs_trans_id,
            "status": DemoPurchase.Status.CHALLENGE,
            "ares": {"messageType": "ARes", "transStatus": "C", "acsTransID": str(acs_trans_id)},
            **fields,
        }
    )
