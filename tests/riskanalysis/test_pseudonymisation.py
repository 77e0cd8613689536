"""No raw identifier in the risk tables: dump them after real AReqs and search."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test import Client

import riskanalysis
from portal.models import Member

from .world import ALICE_EMAIL, authenticate

DEVICE_ID = "3f2a9c1e-5b7d-4e8f-a1b2-c3d4e5f60718"
IP = "133.242.0.7"
RISK_TABLES = (
    "riskanalysis_assessment",
    "riskanalysis_cardprofile",
    "riskanalysis_cardsignal",
    "riskanalysis_fraudmark",
    "riskanalysis_denyentry",
    "riskanalysis_deviceprofile",
)


def _dump() -> str:
    rows = []
    with connection.cursor() as cursor:
        for table in RISK_TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows).casefold()


def test_it_keeps_no_raw_email_ip_device_id_phone_address_or_pan(
    card_ranges: None, alice: Member, client: Client
) -> None:
    first = authenticate(client, device_id=DEVICE_ID, browserIP=IP)
    second = authenticate(
        client,
        device_id=str(uuid.uuid4()),
        browserIP="8.8.8.8",
        shipAddrLine1="9-9 Umeda",
        shipAddrCity="Kita-ku",
        addrMatch="N",
    )
    riskanalysis.fraud_mark(pan_fingerprint=alice.card.pan_fingerprint, acs_trans_id=second["acsTransID"])
    dump = _dump()
    trans_id = first["acsTransID"]
    assert trans_id in dump or trans_id.replace("-", "") in dump  # the dump is of the right rows
    assert dump.count("\n") > 10
    for raw in (
        ALICE_EMAIL,
        "alice.sato",
        IP,
        "133.242.0",
        "8.8.8.8",
        DEVICE_ID,
        DEVICE_ID.replace("-", ""),
        "9011110001",
        "4111111111111111",
        "marunouchi",
        "umeda",
        "alice sato",
        alice.card.pan_fingerprint,
    ):
        assert raw.casefold() not in dump, raw
