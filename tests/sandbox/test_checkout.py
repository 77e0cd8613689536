"""The sandbox merchant and 3DS Server, with the ACS reached over real HTTP (pytest-django's live server)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from acs import protocol
from sandbox.demo_cards import DemoCard
from sandbox.models import DemoPurchase

BROWSER = {
    "js_enabled": "on",
    "js_language": "ja-JP",
    "color_depth": "24",
    "screen_width": "1280",
    "screen_height": "720",
    "tz_offset": "-540",
}
HEADERS = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Test",
    "HTTP_ACCEPT": "text/html",
    "HTTP_ACCEPT_LANGUAGE": "ja-JP,ja;q=0.9,en;q=0.8",
}


def checkout(client: Client, **changes: str) -> DemoPurchase:
    data = {
        "card": "visa-sms",
        "amount": "12800",
        "merchant_name": "Sandbox Shop",
        "challenge_ind": "01",
        "message_version": "2.2.0",
        "window_size": "02",
        "browser_language": "",
        "run_method": "on",
        **BROWSER,
        **changes,
    }
    response = client.post("/sandbox/pay", data, **HEADERS)  # type: ignore[arg-type]
    purchase = DemoPurchase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sandbox/purchase/{purchase.pk}/authenticate"
    return purchase


@pytest.fixture
def acs(live_server: Any, settings: Any, transactional_db: None) -> str:
    settings.ACS_BASE_URL = live_server.url
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return str(live_server.url)


def test_it_says_how_to_run_the_merchant_on_another_site(client: Client, settings: Any, db: None) -> None:
    settings.ACS_BASE_URL = "http://127.0.0.1:8000"
    html = client.get("/sandbox/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert (
        'open <a href="http://localhost:8000/sandbox/">http://localhost:8000/sandbox/</a> to run the merchant'
        " on a different site than the ACS" in html
    )
    other = client.get("/sandbox/", HTTP_HOST="localhost:8000").content.decode()
    assert "The merchant and the ACS are on different sites" in other
    for number in (
        "4111 1111 1111 1111",
        "3566 0020 2036 0505",
        "4012 8888 8888 1881",
        "3530 1113 3330 0000",
    ):
        assert number in html


def test_it_starts_the_3ds_method_with_urls_of_the_merchants_host(
    client: Client, settings: Any, db: None
) -> None:
    settings.ACS_BASE_URL = "http://localhost:8000"
    purchase = checkout(client)
    assert purchase.browser["tz_offset"] == -540 and purchase.browser["ip"] == "127.0.0.1"
    assert purchase.browser["accept_language"] == ["ja-JP", "ja", "en"]
    html = client.get(
        f"/sandbox/purchase/{purchase.pk}/authenticate", HTTP_HOST="127.0.0.1:8000"
    ).content.decode()
    assert 'action="http://localhost:8000/acs/method" target="method-frame"' in html
    data = re.search(r'name="threeDSMethodData" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert json.loads(protocol.b64url_decode(data)) == {
        "threeDSServerTransID": str(purchase.three_ds_server_trans_id),
        "threeDSMethodNotificationURL": f"http://127.0.0.1:8000/sandbox/3ds/method-done/{purchase.pk}",
    }


def test_it_records_the_method_notification(client: Client, db: None) -> None:
    purchase = checkout(client)
    notification = protocol.build_method_notification(str(purchase.three_ds_server_trans_id))
    page = Client(enforce_csrf_checks=True).post(
        f"/sandbox/3ds/method-done/{purchase.pk}", {"threeDSMethodData": notification}
    )
    assert page.status_code == 200 and page["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(f"/sandbox/purchase/{purchase.pk}/status").json() == {
        "status": "created",
        "methodDone": True,
    }
    other = protocol.build_method_notification("8f0c1a52-3e2b-4c1e-9b7a-2d5f0e6c9a11")
    purchase.refresh_from_db()
    done_at = purchase.method_done_at
    Client().post(f"/sandbox/3ds/method-done/{purchase.pk}", {"threeDSMethodData": other})
    purchase.refresh_from_db()
    assert purchase.method_done_at == done_at and "another transaction" in purchase.events[-1][1]


def test_it_refuses_a_checkout_with_bad_choices(client: Client, db: None) -> None:
    response = client.post("/sandbox/pay", {"card": "4111111111111111", "amount": "-5"})
    assert response.status_code == 400 and not DemoPurchase.objects.exists()


def test_it_runs_a_frictionless_purchase_against_the_acs(client: Client, acs: str) -> None:
    purchase = checkout(client)
    response = client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "Y", "method_ms": "420"})
    assert response["Location"] == f"/sandbox/purchase/{purchase.pk}"
    purchase.refresh_from_db()
    assert purchase.status == DemoPurchase.Status.ANSWERED and purchase.trans_status == "Y"
    assert purchase.ares["eci"] == "05" and len(purchase.ares["authenticationValue"]) == 28
    assert purchase.areq["acctNumber"] == "411111******1111"
    assert purchase.areq["dsURL"] == "http://testserver/sandbox/ds/rreq"
    assert purchase.areq["browserUserAgent"] == HEADERS["HTTP_USER_AGENT"]
    assert purchase.method_ms == 420 and purchase.ares_ms is not None
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="Y"' in page and "411111******1111" in page and "4111111111111111" not in page
    # A second post (a reload) sends nothing more.
    client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "Y"})
    purchase.refresh_from_db()
    assert sum("AReq" in text for _, text in purchase.events) == 1


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
def test_it_opens_a_challenge_with_a_creq_for_the_acs(client: Client, acs: str, version: str) -> None:
    purchase = checkout(client, challenge_ind="04", message_version=version, window_size="01")
    response = client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "N"})
    assert response["Location"] == f"/sandbox/purchase/{purchase.pk}/challenge"
    frame = client.get(response["Location"]).content.decode()
    assert f'src="/sandbox/purchase/{purchase.pk}/creq"' in frame and "challenge-frame w01" in frame
    form = client.get(f"/sandbox/purchase/{purchase.pk}/creq")
    assert form["X-Frame-Options"] == "SAMEORIGIN"
    html = form.content.decode()
    assert f'action="{acs}/acs/challenge"' in html
    creq = json.loads(protocol.b64url_decode(re.search(r'name="creq" value="([^"]+)"', html).group(1)))  # type: ignore[union-attr]
    purchase.refresh_from_db()
    assert creq == {
        "threeDSServerTransID": str(purchase.three_ds_server_trans_id),
        "acsTransID": str(purchase.acs_trans_id),
        "challengeWindowSize": "01",
        "messageType": "CReq",
        "messageVersion": version,
    }
    assert protocol.parse_creq(protocol.encode_message(creq)).challengeWindowSize == "01"


def test_a_full_page_challenge_goes_straight_to_the_creq_form(client: Client, acs: str) -> None:
    purchase = checkout(client, challenge_ind="04", window_size="full")
    response = client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "U"})
    assert response["Location"] == f"/sandbox/purchase/{purchase.pk}/creq"
    html = client.get(response["Location"]).content.decode()
    creq = re.search(r'name="creq" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert json.loads(protocol.b64url_decode(creq))["challengeWindowSize"] == "05"


def test_it_records_an_erro_from_the_acs(client: Client, acs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    purchase = checkout(
        client,
        js_enabled="",
        js_language="",
        color_depth="",
        screen_width="",
        screen_height="",
        tz_offset="",
        message_version="2.1.0",
    )
    outside = DemoCard(
        "x", "4000000000000002", "3012", "Visa", "TEST HOLDER", "t@example.jp", "9000000009", "x"
    )
    monkeypatch.setattr("sandbox.services.demo_card", lambda key: outside)  # a card in no range of the ACS
    client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "Y"})
    purchase.refresh_from_db()
    assert purchase.status == DemoPurchase.Status.FAILED and purchase.error.startswith("Erro 305")
    assert purchase.ares["messageType"] == "Erro"


def test_it_records_an_acs_that_cannot_be_reached(client: Client, settings: Any, db: None) -> None:
    settings.ACS_BASE_URL = "http://127.0.0.1:9"
    purchase = checkout(client)
    response = client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "Y"})
    purchase.refresh_from_db()
    assert purchase.status == DemoPurchase.Status.FAILED and "ACS not reachable" in purchase.error
    assert "ACS not reachable" in client.get(response["Location"]).content.decode()


def test_it_refuses_a_bad_comp_ind(client: Client, db: None) -> None:
    purchase = checkout(client)
    assert client.post(f"/sandbox/purchase/{purchase.pk}/areq", {"comp_ind": "Q"}).status_code == 400
