"""A Transaction with every field a stored authentication has, for tests that need one row."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from acs.models import Transaction


def unsaved_transaction(**changes: object) -> Transaction:
    """An unsaved frictionless Visa transaction; `changes` override its fields."""
    fields: dict[str, object] = {
        "three_ds_server_trans_id": uuid.uuid4(),
        "ds_trans_id": uuid.uuid4(),
        "ds_reference_number": "DS-REF",
        "ds_url": "https://ds.example/rreq",
        "message_version": "2.2.0",
        "message_category": "01",
        "device_channel": "02",
        "pan_fingerprint": "f" * 64,
        "masked_pan": "411111******1111",
        "brand": "visa",
        "purchase_amount": Decimal(12345),
        "purchase_currency": "392",
        "purchase_exponent": 0,
        "purchase_date": dt.datetime(2026, 11, 25, 3, 4, 5, tzinfo=dt.UTC),
        "merchant_name": "さくら商店",
        "requestor_id": "REQ-1",
        "requestor_name": "Shop",
        "requestor_url": "https://shop.example",
        "notification_url": "https://shop.example/notify",
        "browser_ip": "203.0.113.9",
        "browser_javascript_enabled": True,
        "state": Transaction.State.ANSWERED,
        "trans_status": "Y",
        "risk_score": 12,
        "risk_reasons": ["new_device", "amount_high"],
        "eci": "05",
        "authentication_value": "AAECAwQFBgcICQoLDA0ODxAREhM=",
    }
    fields.update(changes)
    return Transaction(**fields)
