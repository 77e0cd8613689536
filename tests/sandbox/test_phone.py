"""The sandbox phone inbox: every SMS the product sent, newest first, number masked."""

from __future__ import annotations

from django.test import Client

from portal.sms.gateway import sms_send


def test_it_lists_sms_newest_first_with_masked_numbers(db: None) -> None:
    sms_send(
        to="+819000000001",
        body="My Net+: your code is 111111.\n\n@127.0.0.1 #111111",
        purpose="challenge_otp",
    )
    sms_send(to="+819000000002", body="My Net+: your code is 222222.", purpose="phone_verify")
    html = Client().get("/sandbox/phone").content.decode()
    assert html.index("222222") < html.index("111111")
    assert "+81 ** **** 0001" in html and "+81 ** **** 0002" in html
    assert "+819000000001" not in html
    assert "@127.0.0.1 #111111" in html and 'data-refresh-url="/sandbox/phone?fragment=1"' in html


def test_it_filters_by_the_last_digits_of_the_number(db: None) -> None:
    sms_send(to="+819000000001", body="first phone", purpose="challenge_otp")
    sms_send(to="+819000000002", body="second phone", purpose="challenge_otp")
    html = Client().get("/sandbox/phone", {"to": "0002"}).content.decode()
    assert "second phone" in html and "first phone" not in html
    assert "fragment=1&amp;to=0002" in html


def test_its_fragment_is_the_list_alone(db: None) -> None:
    sms_send(to="+819000000001", body="only this", purpose="challenge_otp")
    fragment = Client().get("/sandbox/phone", {"fragment": "1"}).content.decode()
    assert "only this" in fragment and "<html" not in fragment


def test_it_says_when_there_is_nothing(db: None) -> None:
    assert "No messages yet" in Client().get("/sandbox/phone").content.decode()
