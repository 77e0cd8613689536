"""JSON loading with duplicate detection, and Base64url."""

from __future__ import annotations

import pytest

from acs.protocol import (
    ProtocolError,
    b64url_decode,
    b64url_encode,
    dumps_message,
    encode_message,
    loads_message,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eyJhIjoxfQ", b'{"a":1}'),
        ("eyJhIjoxfQ==", b'{"a":1}'),
        ("-_8", b"\xfb\xff"),
        ("-_8=", b"\xfb\xff"),
        ("", b""),
    ],
)
def test_it_decodes_base64url_with_or_without_padding(text: str, expected: bytes) -> None:
    assert b64url_decode(text) == expected


@pytest.mark.parametrize("text", ["a", "abcde", "ab=", "eyJhIjoxfQ=", "+/8=", "ey J9", "ab==c", "a===", 42])
def test_it_refuses_what_is_not_base64url(text: str) -> None:
    with pytest.raises(ValueError):
        b64url_decode(text)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [b"", b"\x00", b"\xfb\xff", b'{"a":1}', bytes(range(256))])
def test_it_encodes_base64url_without_padding_and_round_trips(data: bytes) -> None:
    text = b64url_encode(data)

    assert "=" not in text and "+" not in text and "/" not in text
    assert b64url_decode(text) == data


def test_it_loads_a_json_object_from_bytes_or_text() -> None:
    assert loads_message(b'{"a": {"b": [1, "\xc3\xa9"]}}') == {"a": {"b": [1, "é"]}}
    assert loads_message('{"a": 1}') == {"a": 1}


@pytest.mark.parametrize(
    "body", [b"", b"nope", b"[]", b"1", b"null", b'{"a": 1', b"\xff{}", b'{"a": Infinity}', b'{"a": NaN}']
)
def test_it_reports_unreadable_json_or_a_non_object_as_101(body: bytes) -> None:
    with pytest.raises(ProtocolError) as caught:
        loads_message(body)

    assert (caught.value.code, caught.value.detail) == ("101", "Invalid Formatted Message")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"a": 1, "a": 2}', "a"),
        ('{"a": 1, "b": 2, "a": 3, "b": 4}', "a,b"),
        ('{"acctInfo": {"chAccAgeInd": "01", "chAccAgeInd": "02"}}', "acctInfo.chAccAgeInd"),
        ('{"x": {"y": {"z": 1, "z": 1}}}', "x.y.z"),
        ('{"messageExtension": [{"id": "1", "id": "2"}]}', "messageExtension.id"),
        ('{"p": {"q": 1, "q": 2}, "p": {}}', "q,p"),  # the first "p" was overwritten: name q alone
    ],
)
def test_it_reports_a_duplicate_key_at_any_depth_with_204(body: str, detail: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        loads_message(body)

    assert (caught.value.code, caught.value.detail) == ("204", detail)


def test_it_dumps_compact_utf8_json_and_its_base64url_form() -> None:
    message = {"a": "é", "b": [1]}

    assert dumps_message(message) == '{"a":"é","b":[1]}'.encode()
    assert loads_message(b64url_decode(encode_message(message))) == message
