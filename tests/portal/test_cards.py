"""Card-number helpers: Luhn check and completion, brand by BIN."""

from __future__ import annotations

import pytest

from portal.cards import Brand, brand_for, luhn_complete, luhn_valid
from tests.conftest import ALICE_PAN, BOB_PAN, CAROL_PAN, UNREGISTERED_PAN


@pytest.mark.parametrize("pan", [ALICE_PAN, BOB_PAN, CAROL_PAN, UNREGISTERED_PAN])
def test_completing_a_test_pan_without_its_check_digit_gives_it_back(pan: str) -> None:
    assert luhn_valid(pan)
    assert luhn_complete(pan[:-1]) == pan


@pytest.mark.parametrize("body", ["411111000000000", "35660012345678", "4" * 18, "000000000000"])
def test_a_completed_number_is_valid_and_any_other_check_digit_is_not(body: str) -> None:
    pan = luhn_complete(body)
    assert len(pan) == len(body) + 1 and luhn_valid(pan)
    assert [d for d in "0123456789" if luhn_valid(body + d)] == [pan[-1]]


def test_brand_by_bin() -> None:
    assert (brand_for(ALICE_PAN), brand_for(BOB_PAN), brand_for("6011000000000004")) == (
        Brand.VISA,
        Brand.JCB,
        None,
    )
