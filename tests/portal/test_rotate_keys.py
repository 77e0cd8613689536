from __future__ import annotations

import base64
import os
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from portal import crypto
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


def test_it_skips_an_unreadable_value_rotates_the_rest_and_fails(alice: Member, bob: Member) -> None:
    # Alice's PAN is under a key no longer configured; her card comes first in every batch.
    assert alice.card_id is not None and alice.card_id < (bob.card_id or 0)
    with override_settings(FIELD_ENCRYPTION_KEYS=f"k0:{base64.b64encode(os.urandom(32)).decode()}"):
        lost = crypto.encrypt("4111111111111111", purpose="card.pan")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_card SET pan = %s WHERE id = %s", [lost, alice.card_id])
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"):
        for _ in range(2):  # and again: a re-run is not stuck on it either
            out, err = StringIO(), StringIO()
            with pytest.raises(CommandError, match="1 unreadable, left as they are"):
                call_command("rotate_keys", stdout=out, stderr=err)
            [line] = err.getvalue().splitlines()
            assert line.startswith(f"portal.Card pk={alice.card_id}: pan not re-encrypted: ")
        assert _raw("portal_card", "pan", alice.card_id) == lost
        assert _raw("portal_card", "mobile", alice.card_id).startswith("k9$")  # the row's other fields
        assert _raw("portal_card", "pan", bob.card_id).startswith("k9$")
        assert Card.objects.get(pk=bob.card_id).pan == "3566002020360505"
