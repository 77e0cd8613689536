from __future__ import annotations

import base64
import os
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from portal.models import Card, Member, ThreeDSEnrolment

NEW_KEY = f"k9:{base64.b64encode(os.urandom(32)).decode()}"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_it_rewrites_every_encrypted_value_under_the_newest_key(alice: Member, carol: Member) -> None:
    card = alice.card
    assert card is not None
    old_key_id = _raw("portal_card", "pan", card.pk).split("$")[0]
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"):
        out = StringIO()
        call_command("rotate_keys", stdout=out)
        assert "portal.Card.pan: 2 re-encrypted" in out.getvalue()
        assert "portal.ThreeDSEnrolment.personal_message: 2 re-encrypted" in out.getvalue()
        assert _raw("portal_card", "pan", card.pk).startswith("k9$")
        assert _raw("portal_card", "mobile", card.pk).startswith("k9$")
        enrolment = ThreeDSEnrolment.objects.get(member=alice)
        assert _raw("portal_threedsenrolment", "personal_message", enrolment.pk).startswith("k9$")
        # Values read back unchanged through the new key.
        assert Card.objects.get(pk=card.pk).pan == "4111111111111111"
        assert enrolment.personal_message == "さくら満開"

        again = StringIO()
        call_command("rotate_keys", stdout=again)
        assert "Done: 0 values now under key k9." in again.getvalue()
    assert old_key_id != "k9"


def test_it_resumes_after_an_interruption(alice: Member, bob: Member) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"):
        # Half the work done before a crash: one card already under the new key.
        first = Card.objects.get(pk=alice.card_id)
        first.save(update_fields=["pan"])
        out = StringIO()
        call_command("rotate_keys", stdout=out)
        assert "portal.Card.pan: 1 re-encrypted" in out.getvalue()
        assert {_raw("portal_card", "pan", pk)[:3] for pk in Card.objects.values_list("pk", flat=True)} == {
            "k9$"
        }
