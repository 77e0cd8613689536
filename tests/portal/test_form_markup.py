"""The shared form markup (templates/portal/_form.html): errors tied to their fields, one "(optional)"."""

from __future__ import annotations

import re

from django.test import Client

from portal.models import Member

from ..conftest import make_member
from .conftest import PROOF


def test_a_field_error_has_the_id_the_field_is_described_by(
    english: Client, unregistered_card: object
) -> None:
    html = english.post("/register/", {**PROOF, "pan": "1234", "expiry": "13/30"}).content.decode()
    for name in ("pan", "expiry"):
        [field] = re.findall(rf"<input[^>]*name=\"{name}\"[^>]*>", html)
        described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()  # type: ignore[union-attr]
        assert f"id_{name}_error" in described_by
        assert re.search(rf'<p class="error" id="id_{name}_error" role="alert">', html), name


def test_the_personal_message_is_marked_optional_once(english: Client, unregistered_card: object) -> None:
    dan: Member = make_member(unregistered_card, "dan-tanaka", method=None)  # type: ignore[arg-type]
    english.force_login(dan)
    html = english.get("/3ds/enrol/").content.decode()
    label = re.search(r'<label for="id_personal_message">(.*?)</label>', html, re.S).group(1)  # type: ignore[union-attr]
    assert label.count("optional") == 1, label
