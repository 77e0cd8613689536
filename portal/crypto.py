"""Authenticated encryption of card data at rest, and the keyed PAN fingerprint.

A ciphertext is `"<key id>$<base64(nonce | AES-256-GCM ciphertext+tag)>"`. The key id travels with
the ciphertext so that several keys can be configured at once: the first (newest) encrypts, every
configured key decrypts, and `rotate_keys` rewrites old ciphertexts under the newest key. The
field's purpose (for example `card.pan`) is bound as associated data, so a ciphertext copied
into another column does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


class DecryptionError(Exception):
    """The ciphertext names an unknown key, or it fails authentication."""


@dataclass(frozen=True)
class Keyring:
    """Versioned keys, newest first."""

    keys: tuple[tuple[str, bytes], ...]

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def key(self, key_id: str) -> bytes:
        for kid, key in self.keys:
            if kid == key_id:
                return key
        raise DecryptionError(f"unknown key id {key_id!r}")


def parse_keyring(spec: str, *, name: str) -> Keyring:
    """Parse `"k2:base64,k1:base64"` into a Keyring; each key must decode to 32 bytes."""
    keys: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep or not kid.isalnum() or len(kid) > 16:
            raise ImproperlyConfigured(f"{name}: each entry must be 'id:base64key' (id alphanumeric)")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ImproperlyConfigured(f"{name}: key {kid!r} is not valid base64") from None
        if len(key) != 32:
            raise ImproperlyConfigured(f"{name}: key {kid!r} must be 32 bytes")
        if any(kid == other for other, _ in keys):
            raise ImproperlyConfigured(f"{name}: key id {kid!r} appears twice")
        keys.append((kid, key))
    if not keys:
        raise ImproperlyConfigured(f"{name} holds no key")
    return Keyring(tuple(keys))


@lru_cache(maxsize=8)
def _keyring(spec: str) -> Keyring:
    return parse_keyring(spec, name="FIELD_ENCRYPTION_KEYS")


def field_keyring() -> Keyring:
    return _keyring(settings.FIELD_ENCRYPTION_KEYS)


@lru_cache(maxsize=64)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(plaintext: str, *, purpose: str) -> str:
    keyring = field_keyring()
    kid = keyring.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead(keyring.key(kid)).encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"{kid}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, purpose: str) -> str:
    kid, sep, body = token.partition("$")
    if not sep:
        raise DecryptionError("not a ciphertext")
    try:
        raw = base64.b64decode(body, validate=True)
        opened = _aead(field_keyring().key(kid)).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()
        )
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("malformed ciphertext") from exc
    except Exception as exc:  # cryptography's InvalidTag: wrong key, purpose or tampered data.
        raise DecryptionError("ciphertext failed authentication") from exc
    return opened.decode()


@lru_cache(maxsize=8)
def _fingerprint_key(encoded: str) -> bytes:
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise ImproperlyConfigured("PAN_FINGERPRINT_KEY is not valid base64") from None


def pan_fingerprint(pan: str) -> str:
    """Return the keyed HMAC-SHA256 of a PAN: the only way a card is looked up."""
    key = _fingerprint_key(settings.PAN_FINGERPRINT_KEY)
    return hmac.new(key, pan.encode(), hashlib.sha256).hexdigest()
