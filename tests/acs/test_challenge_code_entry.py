"""How a typed code is read: full-width digits from a Japanese IME, spaces from a pasted code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from acs.models import Transaction
from acs.otp import normalise_code
from portal.models import Member

from .challenge_helpers import cres_of, last_code, open_challenge, start, step

pytestmark = pytest.mark.usefixtures("card_ranges")

FULL_WIDTH = str.maketrans("0123456789 ", "０１２３４５６７８９\u3000")


@pytest.fixture(autouse=True)
def _no_throttle(settings: Any) -> None:
    settings.OTP_THROTTLE_FACTOR = 0


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("１２３４５６", "123456"),
        ("492 872", "492872"),
        ("４９２\u3000８７２", "492872"),  # an ideographic space from the IME
        ("492-872", "492872"),
        (" 123456\n", "123456"),
        ("abc", ""),
    ],
)
def test_it_keeps_the_ascii_digits_of_what_was_typed(typed: str, expected: str) -> None:
    assert normalise_code(typed) == expected


@pytest.mark.parametrize(
    "spell",
    [
        lambda code: code.translate(FULL_WIDTH),
        lambda code: f"{code[:3]} {code[3:]}",
        lambda code: f"{code[:3]} {code[3:]}".translate(FULL_WIDTH),
    ],
    ids=["full-width", "with a space", "full-width with a space"],
)
def test_it_passes_the_right_code_however_it_was_typed(client: Client, alice: Member, spell: Any) -> None:
    page = open_challenge(client, start(client))
    done = step(client, page, code=spell(last_code()))
    assert cres_of(done)["transStatus"] == "Y"
    # The one entry that passed is the only one counted: no try was used up on the way.
    assert Transaction.objects.get().interaction_counter == 1


def test_the_code_field_lets_the_browser_send_full_width_digits_and_spaces(
    client: Client, alice: Member
) -> None:
    html = open_challenge(client, start(client)).content.decode()
    field = html[html.index('<input id="code"') :].split(">", 1)[0]
    assert "pattern=" not in field and "minlength" not in field
    assert 'maxlength="12"' in field
    assert 'inputmode="numeric"' in field and 'autocomplete="one-time-code"' in field
