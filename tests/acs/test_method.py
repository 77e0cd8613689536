"""POST /acs/method and POST /acs/method/collect: the 3DS Method page and its device data."""

from __future__ import annotations

import base64
import html
import json
import re
import time
import uuid
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test import Client

from acs.protocol import build_method_notification
from config.sql import read
from riskanalysis.facts import MethodDevice
from riskanalysis.models import DeviceProfile
from riskanalysis.pseudonym import pseudonym
from riskanalysis.selectors import method_device_read


def stored_profile(three_ds_server_trans_id: str) -> DeviceProfile | None:
    return DeviceProfile.objects.filter(three_ds_server_trans_id=three_ds_server_trans_id).first()


TRANS_ID = "8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11"  # reference §7
NOTIFY_URL = "https://merchant.example/3ds/method-done"
EXPECTED_NOTIFICATION = "eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6IjhmMGMxYTUyLTNlMmItNGMxZS05YjdhLTJkNWYwZTZjOWExMSJ9"
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; form-action *; frame-ancestors *; "
    "base-uri 'none'"
)
DEVICE_ID = "6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b"
CLIENT_IP = "203.0.113.7"


def b64url(obj: Any, *, padded: bool = False) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    text = base64.urlsafe_b64encode(raw).decode()
    return text if padded else text.rstrip("=")


def method_data(trans_id: str = TRANS_ID, url: str = NOTIFY_URL, **extra: Any) -> dict[str, Any]:
    return {"threeDSServerTransID": trans_id, "threeDSMethodNotificationURL": url, **extra}


def post_method(client: Client, data: str) -> Any:
    return client.post("/acs/method", {"threeDSMethodData": data})


def form_of(response: Any) -> dict[str, str | None]:
    page = response.content.decode()
    form = re.search(r"<form [^>]*>", page)
    assert form, page
    attrs = {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', form.group(0))}
    value = re.search(r'name="threeDSMethodData" value="([^"]*)"', page)
    assert value, page
    return {
        "action": attrs.get("action"),
        "token": attrs.get("data-token"),
        "collect": attrs.get("data-collect-url"),
        "value": html.unescape(value.group(1)),
    }


def device(token: str, /, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "token": token,
        "screenWidth": 1440,
        "screenHeight": 900,
        "colorDepth": 24,
        "timezoneOffset": -540,
        "timezoneName": "Asia/Tokyo",
        "languages": ["ja-JP", "ja", "en-US"],
        "platform": "Linux x86_64",
        "hardwareConcurrency": 8,
        "maxTouchPoints": 0,
        "canvasHash": "a" * 64,
        "webglHash": "b" * 64,
        "deviceId": DEVICE_ID,
        "storageAvailable": True,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def make_token(trans_id: str = TRANS_ID) -> str:
    return signing.TimestampSigner(salt="acs.method").sign(trans_id)


def post_collect(client: Client, body: Any, **extra: Any) -> Any:
    payload = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(
        "/acs/method/collect", payload, content_type="application/json", REMOTE_ADDR=CLIENT_IP, **extra
    )


@pytest.mark.parametrize("padded", [False, True])
def test_it_renders_the_collecting_page_with_the_notification_form(
    client: Client, db: None, padded: bool
) -> None:
    response = post_method(client, b64url(method_data(), padded=padded))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    form = form_of(response)
    assert form["action"] == NOTIFY_URL
    assert form["value"] == EXPECTED_NOTIFICATION == build_method_notification(TRANS_ID)
    assert form["collect"] == "/acs/method/collect"
    assert signing.TimestampSigner(salt="acs.method").unsign(form["token"] or "") == TRANS_ID
    page = response.content.decode()
    assert '<script src="/static/acs/method.js" defer></script>' in page
    assert '<noscript><button type="submit">' in page
    # Tiny, one script, nothing inline that a strict CSP would block.
    assert len(response.content) < 2048
    assert page.count("<script") == 1
    assert "style=" not in page and "onload" not in page


def test_it_sends_headers_fit_for_a_merchants_iframe_and_no_cookie(client: Client, db: None) -> None:
    response = post_method(client, b64url(method_data()))
    assert response["Content-Security-Policy"] == CSP
    assert "X-Frame-Options" not in response
    assert "Set-Cookie" not in response
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_it_refuses_get_with_405(client: Client, db: None) -> None:
    assert client.get("/acs/method").status_code == 405
    assert client.get("/acs/method/collect").status_code == 405


def test_it_escapes_the_notification_url_in_the_page(client: Client, db: None) -> None:
    url = 'https://merchant.example/done?a="><script>alert(1)</script>'
    response = post_method(client, b64url(method_data(url=url)))
    assert response.status_code == 200
    assert form_of(response)["action"] == url
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    ("label", "data", "trans_id"),
    [
        ("bad UUID", method_data(trans_id="not-a-uuid"), "not-a-uuid"),
        ("missing transID", {"threeDSMethodNotificationURL": NOTIFY_URL}, ""),
        ("numeric transID", method_data(trans_id=12345), ""),  # type: ignore[arg-type]
        ("duplicate key", None, TRANS_ID),
    ],
)
def test_it_only_notifies_when_the_data_is_bad_but_the_url_is_usable(
    client: Client, db: None, label: str, data: Any, trans_id: str
) -> None:
    if data is None:
        data = (
            f'{{"threeDSServerTransID":"{TRANS_ID}","threeDSServerTransID":"{TRANS_ID}",'
            f'"threeDSMethodNotificationURL":"{NOTIFY_URL}"}}'
        ).encode()
    response = post_method(client, b64url(data))
    assert response.status_code == 200, label
    form = form_of(response)
    assert form["action"] == NOTIFY_URL
    assert form["value"] == build_method_notification(trans_id)
    assert form["token"] is None and form["collect"] is None
    assert response["Content-Security-Policy"] == CSP
    assert "Set-Cookie" not in response


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("empty", ""),
        ("not Base64url", "***not base64***"),
        ("broken padding", b64url(method_data(), padded=True) + "="),
        ("not JSON", b64url(b"hello, world")),
        ("not UTF-8", b64url(b"\xff\xfe\x00")),
        ("JSON array", b64url([TRANS_ID, NOTIFY_URL])),
        ("no URL", b64url({"threeDSServerTransID": TRANS_ID})),
        ("javascript URL", b64url(method_data(url="javascript:alert(1)"))),
        ("data URL", b64url(method_data(url="data:text/html,<b>x</b>"))),
        ("relative URL", b64url(method_data(url="/3ds/done"))),
        ("URL too long", b64url(method_data(url="https://merchant.example/" + "a" * 2048))),
        ("URL not a string", b64url(method_data(url=["https://merchant.example/"]))),  # type: ignore[arg-type]
        ("deep nesting", b64url(b"[" * 3000 + b"]" * 3000)),
        ("oversize", b64url(method_data(padding="x" * 9000))),
    ],
)
def test_it_answers_400_when_no_notification_url_can_be_read(
    client: Client, db: None, label: str, data: str
) -> None:
    response = post_method(client, data)
    assert response.status_code == 400, label
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"threeDSMethodData" in response.content
    assert "Set-Cookie" not in response
    assert DeviceProfile.objects.count() == 0


def test_it_answers_400_when_the_field_is_missing(client: Client, db: None) -> None:
    assert client.post("/acs/method", {}).status_code == 400


def test_it_stores_a_pseudonymised_profile_from_the_pages_token(client: Client, db: None) -> None:
    token = form_of(post_method(client, b64url(method_data())))["token"] or ""
    response = post_collect(client, device(token, languages=["ja-JP", "ja", "en-US", "en"]))
    assert response.status_code == 204
    profile = stored_profile(TRANS_ID)
    assert profile is not None
    assert profile.three_ds_server_trans_id == uuid.UUID(TRANS_ID)
    assert profile.screen == "1440x900"
    assert profile.color_depth == 24
    assert profile.timezone_offset == -540
    assert profile.timezone_name == "Asia/Tokyo"
    assert profile.languages == "ja-JP,ja,en-US,en"
    assert profile.platform == "Linux x86_64"
    assert profile.hardware_concurrency == 8
    assert profile.touch_points == 0
    assert profile.storage_available is True
    # What the AReq path reads of it (one prepared statement) is the same profile.
    assert read(method_device_read(TRANS_ID)) == MethodDevice(
        device_id_key=profile.device_id_hash,
        fingerprint_key=profile.fingerprint_hash,
        timezone_offset=-540,
    )
    assert profile.device_id_hash == pseudonym("device_id", DEVICE_ID)
    assert profile.ip_prefix_hash == pseudonym("ip_prefix", "203.0.113.0/24")
    assert re.fullmatch(r"[0-9a-f]{64}", profile.fingerprint_hash)
    assert profile.collected_at is not None


def test_it_keeps_no_raw_device_id_or_ip_in_the_table(client: Client, db: None) -> None:
    assert post_collect(client, device(make_token())).status_code == 204
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM riskanalysis_deviceprofile")
        rows = cursor.fetchall()
    assert len(rows) == 1
    dump = " ".join(str(value) for value in rows[0]).lower()
    for raw in (DEVICE_ID, DEVICE_ID.replace("-", ""), CLIENT_IP, "203.0.113", "a" * 64, "b" * 64):
        assert raw not in dump, raw


def test_it_gives_the_same_browser_the_same_pseudonyms_in_two_transactions(client: Client, db: None) -> None:
    other = str(uuid.uuid4())
    assert post_collect(client, device(make_token())).status_code == 204
    assert post_collect(client, device(make_token(other), languages=["en"])).status_code == 204
    first, second = stored_profile(TRANS_ID), stored_profile(other)
    assert first and second
    assert first.device_id_hash == second.device_id_hash
    assert first.fingerprint_hash == second.fingerprint_hash  # languages are not part of it
    assert first.ip_prefix_hash == second.ip_prefix_hash


def test_it_stores_a_profile_without_device_id_or_optional_data(client: Client, db: None) -> None:
    body = device(
        make_token(),
        deviceId=None,
        storageAvailable=False,
        timezoneName=...,
        languages=...,
        platform=...,
        hardwareConcurrency=...,
        canvasHash=None,
        webglHash=None,
    )
    assert post_collect(client, body).status_code == 204
    profile = stored_profile(TRANS_ID)
    assert profile is not None
    assert profile.device_id_hash == ""
    assert profile.storage_available is False
    assert profile.timezone_name == "" and profile.languages == "" and profile.hardware_concurrency is None


def test_it_cuts_the_languages_at_a_whole_entry_within_100_characters(client: Client, db: None) -> None:
    languages = [f"x-{i:02d}-abcdefghij" for i in range(12)]  # 15 characters each
    assert post_collect(client, device(make_token(), languages=languages)).status_code == 204
    profile = stored_profile(TRANS_ID)
    assert profile is not None
    assert profile.languages == ",".join(languages[:6])  # 6*15 + 5 commas = 95


def test_it_ignores_a_second_collect_for_the_same_transaction(client: Client, db: None) -> None:
    token = make_token()
    assert post_collect(client, device(token)).status_code == 204
    assert (
        post_collect(client, device(token, screenWidth=800, screenHeight=600, deviceId=None)).status_code
        == 204
    )
    assert DeviceProfile.objects.count() == 1
    profile = stored_profile(TRANS_ID)
    assert profile is not None
    assert profile.screen == "1440x900"
    assert profile.device_id_hash == pseudonym("device_id", DEVICE_ID)


def test_it_refuses_a_forged_token_with_403(client: Client, db: None) -> None:
    forged = [
        TRANS_ID,
        make_token()[:-1] + ("A" if make_token()[-1] != "A" else "B"),
        signing.TimestampSigner(salt="acs.challenge").sign(TRANS_ID),
        make_token().replace(TRANS_ID, str(uuid.uuid4())),
    ]
    for token in forged:
        response = post_collect(client, device(token))
        assert response.status_code == 403, token
        assert response.json() == {"error": "bad or expired token"}
    assert DeviceProfile.objects.count() == 0


def test_it_refuses_a_token_older_than_60_seconds_with_403(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def signed_ago(seconds: int) -> str:
        with monkeypatch.context() as m:
            m.setattr(
                signing.TimestampSigner,
                "timestamp",
                lambda self: signing.b62_encode(int(time.time()) - seconds),
            )
            return make_token()

    assert post_collect(client, device(signed_ago(65))).status_code == 403
    assert DeviceProfile.objects.count() == 0
    assert post_collect(client, device(signed_ago(50))).status_code == 204


def test_it_refuses_an_oversize_body_with_400(client: Client, db: None) -> None:
    body = device(make_token(), padding="x" * 9000)
    response = post_collect(client, body)
    assert response.status_code == 400
    assert response.json() == {"error": "body too large"}
    assert DeviceProfile.objects.count() == 0


@pytest.mark.parametrize(
    ("label", "body"),
    [
        ("not JSON", b"screenWidth=1440"),
        ("truncated JSON", b'{"token": "x", "screenWidth": 14'),
        ("JSON array", b"[1, 2, 3]"),
        ("empty", b""),
    ],
)
def test_it_refuses_a_body_that_is_not_a_json_object_with_400(
    client: Client, db: None, label: str, body: bytes
) -> None:
    response = post_collect(client, body)
    assert response.status_code == 400, label
    assert response.json()["error"].startswith("invalid")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("screenWidth", 0),
        ("screenWidth", 100000),
        ("screenWidth", "1440"),
        ("screenWidth", 1440.5),
        ("screenHeight", -1),
        ("colorDepth", 0),
        ("colorDepth", 128),
        ("timezoneOffset", 900),
        ("timezoneOffset", -900),
        ("timezoneName", "Asia/Tokyo; DROP TABLE"),
        ("timezoneName", "x" * 65),
        ("languages", ["ja-JP", "<script>"]),
        ("languages", ["ja"] * 21),
        ("languages", "ja-JP"),
        ("platform", "x" * 65),
        ("hardwareConcurrency", 0),
        ("hardwareConcurrency", 5000),
        ("maxTouchPoints", -1),
        ("maxTouchPoints", 1000),
        ("canvasHash", "xyz"),
        ("webglHash", "A" * 64),
        ("deviceId", "not-a-uuid"),
        ("deviceId", 42),
        ("storageAvailable", "yes"),
        ("token", ""),
        ("token", None),
        ("screenWidth", ...),
        ("timezoneOffset", ...),
        ("token", ...),
    ],
)
def test_it_refuses_out_of_range_or_missing_values_with_400(
    client: Client, db: None, field: str, value: Any
) -> None:
    response = post_collect(client, device(make_token(), **{field: value}))
    assert response.status_code == 400, (field, value)
    assert field in response.json()["error"]
    assert DeviceProfile.objects.count() == 0


def test_it_ignores_unknown_fields(client: Client, db: None) -> None:
    body = device(make_token(), userAgentData={"brands": []}, futureSignal=42)
    assert post_collect(client, body).status_code == 204
    assert DeviceProfile.objects.count() == 1


def test_it_sets_no_cookie_on_collect(client: Client, db: None) -> None:
    response = post_collect(client, device(make_token()))
    assert "Set-Cookie" not in response


def test_it_finds_no_profile_for_an_unknown_or_malformed_transaction(db: None) -> None:
    assert read(method_device_read(str(uuid.uuid4()))) is None
    assert read(method_device_read("not-a-uuid")) is None
