"""portal.sms.numbers.e164: one reading of phone numbers for the whole portal."""

from __future__ import annotations

import pytest

from portal.sms.numbers import e164, normalise


@pytest.mark.parametrize(
    ("spelling", "strict", "expected"),
    [
        ("090-1111-0001", True, "+819011110001"),  # national numbers are Japanese
        (" +81 90 1111 0001 ", True, "+819011110001"),
        ("03-1234-5678", True, "+81312345678"),  # a landline is a phone too
        ("+1 650 253 0000", True, "+16502530000"),
        ("+81 90 0000 0001", False, "+819000000001"),  # the demo's numbers: possible, in no plan
        ("+81 90 0000 0001", True, None),
        ("12", False, None),
        ("not a phone", False, None),
        ("", False, None),
    ],
)
def test_it_reads_every_spelling_as_one_e164_number(
    spelling: str, strict: bool, expected: str | None
) -> None:
    assert e164(spelling, strict=strict) == expected


def test_it_normalises_for_the_gateway_without_asking_for_a_numbering_plan() -> None:
    assert normalise("090 0000 0001") == "+819000000001"
