"""AUTHENTICATION_VALUE_KEYS: an id is the key version byte each value carries, from 1 to 255."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from acs import authentication_value as av

OLD = base64.b64encode(b"o" * 32).decode()
NEW = base64.b64encode(b"n" * 32).decode()
FIELDS = av.AvInput(
    acs_trans_id="8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
    ds_trans_id="f25084f0-5b16-4c0a-ae5d-b24808a95e4b",
    three_ds_server_trans_id="d461f105-1792-407f-95ff-9a496fd918a9",
    pan_fingerprint="f" * 64,
    purchase_amount="12345",
    purchase_currency="392",
    trans_status="Y",
    eci="05",
)


@pytest.mark.parametrize("kid", ["1", "01", "007", "255"])
def test_it_verifies_a_value_signed_under_any_spelling_of_an_id(kid: str) -> None:
    with override_settings(AUTHENTICATION_VALUE_KEYS=f"{kid}:{NEW}"):
        value = av.compute(FIELDS)
        assert base64.b64decode(value)[1] == int(kid)
        assert av.verify(value, FIELDS)


def test_it_verifies_under_an_older_key_after_a_rotation() -> None:
    with override_settings(AUTHENTICATION_VALUE_KEYS=f"01:{OLD}"):
        value = av.compute(FIELDS)
    with override_settings(AUTHENTICATION_VALUE_KEYS=f"2:{NEW},01:{OLD}"):
        assert av.verify(value, FIELDS)
        assert base64.b64decode(av.compute(FIELDS))[1] == 2
    with override_settings(AUTHENTICATION_VALUE_KEYS=f"2:{NEW}"):
        assert not av.verify(value, FIELDS)  # its key is gone


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f"1:{NEW},01:{OLD}", "key ids '1' and '01' are both version 1"),
        (f"0:{NEW}", "key id '0' must be a number from 1 to 255"),
        (f"256:{NEW}", "key id '256' must be a number from 1 to 255"),
        (f"k1:{NEW}", "key id 'k1' must be a number from 1 to 255"),
    ],
)
def test_it_refuses_ids_that_are_not_one_version_byte_each(spec: str, message: str) -> None:
    with override_settings(AUTHENTICATION_VALUE_KEYS=spec), pytest.raises(ImproperlyConfigured) as error:
        av.av_keys()
    assert message in str(error.value)
