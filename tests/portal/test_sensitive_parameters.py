"""A 500 report (Django's error e-mail or page) shows no card data, date of birth, password or code,
nor what is encrypted at rest (mobile number, personal message)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from portal.models import Card, Member

from ..conftest import PASSWORD

HIDDEN = SafeExceptionReporterFilter.cleansed_substitute
PROOF = {
    "pan": "3530111333300000",
    "expiry": "12/30",
    "date_of_birth": "1985-06-15",
    "contact": "09033300000",
}

# (path, who is logged in, posted data, the fields a report must hide)
CASES: list[tuple[str, str | None, dict[str, str], set[str]]] = [
    ("/login/", None, {"username": "alice-visa", "password": PASSWORD}, {"password"}),
    ("/register/", None, PROOF, {"pan", "expiry", "date_of_birth", "contact"}),
    (
        "/register/account/",
        None,
        {"username": "dan-tanaka", "password": "paper moon river 7", "email": "d@example.jp"},
        {"password"},
    ),
    (
        "/password/forgot/",
        None,
        {"username": "alice-visa", "date_of_birth": "1985-06-15", "email": "a@example.jp"},
        {"date_of_birth", "email"},
    ),
    ("/password/", "alice", {"current": PASSWORD, "new": "a brand new passphrase"}, {"current", "new"}),
    ("/password/new/", "alice", {"new": "a brand new passphrase"}, {"new"}),
    ("/3ds/verify/", "alice", {"code": "123456"}, {"code"}),
    ("/3ds/phone/", "alice", {"mobile": "090-7777-0000", "password": PASSWORD}, {"password", "mobile"}),
    ("/3ds/switch/", "carol", {"mobile": "090-7777-0000", "password": PASSWORD}, {"password", "mobile"}),
    (
        "/3ds/enrol/",
        "alice",
        {"mobile": "090-7777-0000", "personal_message": "青い傘"},
        {"mobile", "personal_message"},
    ),
    ("/3ds/message/", "alice", {"personal_message": "青い傘"}, {"personal_message"}),
    ("/email/", "alice", {"email": "new@example.jp", "password": PASSWORD}, {"password"}),
]


@pytest.mark.parametrize("path, who, data, hidden", CASES, ids=[case[0] for case in CASES])
def test_an_error_report_hides_the_secrets_posted_to(
    client: Client,
    alice: Member,
    carol: Member,
    unregistered_card: Card,
    path: str,
    who: str | None,
    data: dict[str, str],
    hidden: set[str],
) -> None:
    members: dict[str, Any] = {"alice": alice, "carol": carol}
    if who:
        client.force_login(members[who])
    request = client.post(path, data).wsgi_request
    reported = SafeExceptionReporterFilter().get_post_parameters(request)
    for name in data:
        expected = HIDDEN if name in hidden else data[name]
        assert reported[name] == expected, name
