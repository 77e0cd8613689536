from __future__ import annotations

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from portal import crypto


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


OLD = f"k1:{_key()}"
NEW_FIRST = f"k2:{_key()},{OLD}"


def test_it_round_trips_text_with_the_key_id_in_front() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        token = crypto.encrypt("4111111111111111", purpose="card.pan")
        assert token.startswith("k1$")
        assert "4111111111111111" not in token
        assert crypto.decrypt(token, purpose="card.pan") == "4111111111111111"


def test_it_randomises_each_encryption() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        assert crypto.encrypt("x", purpose="p") != crypto.encrypt("x", purpose="p")


def test_it_encrypts_with_the_newest_key_and_still_reads_old_ciphertexts() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        old_token = crypto.encrypt("secret", purpose="p")
    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        assert crypto.encrypt("secret", purpose="p").startswith("k2$")
        assert crypto.decrypt(old_token, purpose="p") == "secret"


def test_it_refuses_a_ciphertext_moved_to_another_purpose() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        token = crypto.encrypt("secret", purpose="card.pan")
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, purpose="card.email")


def test_it_refuses_a_tampered_ciphertext() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        kid, body = crypto.encrypt("secret", purpose="p").split("$")
        raw = bytearray(base64.b64decode(body))
        raw[-1] ^= 1
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(f"{kid}${base64.b64encode(bytes(raw)).decode()}", purpose="p")


def test_it_refuses_a_ciphertext_under_an_unknown_key() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        token = crypto.encrypt("secret", purpose="p")
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="p")


@pytest.mark.parametrize(
    "spec",
    ["", "k1", f"k1:{base64.b64encode(b'short').decode()}", "k1:not base64!", f"k1:{_key()},k1:{_key()}"],
)
def test_it_rejects_bad_key_configuration(spec: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keyring(spec, name="FIELD_ENCRYPTION_KEYS")


def test_it_fingerprints_a_pan_with_the_configured_key() -> None:
    with override_settings(PAN_FINGERPRINT_KEY=_key()):
        first = crypto.pan_fingerprint("4111111111111111")
        assert first == crypto.pan_fingerprint("4111111111111111")
        assert "4111" not in first
    with override_settings(PAN_FINGERPRINT_KEY=_key()):
        assert crypto.pan_fingerprint("4111111111111111") != first
