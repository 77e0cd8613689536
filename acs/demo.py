"""Demo configuration of the ACS: the card ranges of the demo cards and the sandbox's DS."""

from __future__ import annotations

from acs.models import CardRange, DirectoryServer

DEMO_RANGES = [
    ("411111", "411111", "visa", "Demo Visa range"),
    ("401288", "401288", "visa", "Demo Visa range (legacy)"),
    ("356600", "356600", "jcb", "Demo JCB range"),
    ("353011", "353011", "jcb", "Demo JCB range (unregistered)"),
]
SANDBOX_DS_SUBJECT = "CN=sandbox-ds.local,O=Sandbox Directory Server"


def seed_acs_demo() -> None:
    for low, high, brand, description in DEMO_RANGES:
        CardRange.objects.update_or_create(
            low=low, high=high, defaults={"brand": brand, "description": description}
        )
    DirectoryServer.objects.update_or_create(
        client_subject=SANDBOX_DS_SUBJECT, defaults={"name": "Sandbox DS", "brand": "visa"}
    )
