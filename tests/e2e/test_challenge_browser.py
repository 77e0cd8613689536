"""The challenge in Chromium, as a cardholder at the sandbox merchant sees it.

The merchant page (127.0.0.1) frames the ACS (localhost): a cross-site iframe, with the
browser's third-party cookies blocked. The OTP is read from the sandbox phone inbox in a
second tab, as a cardholder reads it from their phone.
"""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from portal.management.commands.seed_demo import DEMO_PASSWORD
from portal.models import Member

from .conftest import Shop

pytestmark = pytest.mark.e2e

CHALLENGE_FILES = ("/acs/challenge", "/static/acs/challenge.css", "/static/acs/challenge.js")


def wrong_code(*codes: str) -> str:
    return next(c for c in ("000000", "111111", "222222") if c not in codes)


def open_otp_challenge(shop: Shop, **checkout: Any) -> tuple[Any, Any, str]:
    """Pay with a challenge; return the challenge frame, the phone tab and the code it received."""
    shop.checkout(**checkout)
    frame = shop.challenge_frame()
    suffix = "0002" if checkout.get("card") == "jcb-sms" else "0001"
    phone = shop.open_phone(suffix)
    [code] = shop.wait_for_codes(phone, 1)
    return frame, phone, code


# EMV challengeWindowSize -> the frame's size; 05 fills the merchant page (the shop's 1280x800).
WINDOWS = {"01": (250, 400), "02": (390, 400), "03": (500, 600), "04": (600, 400), "05": (1280, 800)}


def no_horizontal_scroll(frame: Any) -> bool:
    return bool(
        frame.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    )


# --- SMS one-time password -----------------------------------------------------------------------


def test_it_passes_the_code_from_the_phone_in_a_cross_site_frame_without_cookies(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    frame, phone, code = open_otp_challenge(shop, window="02", language="ja-JP")
    assert frame.parent_frame == shop.page.main_frame  # framed by the merchant page...
    assert shop.page.url.startswith("http://127.0.0.1:") and frame.url.startswith(
        "http://localhost:"
    )  # ...cross-site
    assert frame.inner_text("[data-testid=personal-message]") == "さくら満開"
    assert frame.inner_text("[data-testid=merchant]") == "Sandbox Shop"
    assert frame.inner_text("[data-testid=amount]") == "¥12,800"
    shop.shot("otp-first-page")
    phone.close()

    weight, render_ms = page_weight(shop, frame)
    started = time.time()
    shop.submit(frame, code=code)
    result = shop.wait_for_result()
    shop.shot("otp-result")
    purchase = shop.purchase()
    check_ms = (purchase.cres_received_at.timestamp() - started) * 1000

    assert (result["status"], result["eci"], len(result["av"])) == ("Y", "05", 28)
    assert result["agree"].startswith("一致 yes (Y)")
    assert purchase.rreq["interactionCounter"] == "01" and purchase.rres["resultsStatus"] == "01"
    # The challenge ran without cookies: none set, none stored for the ACS's site.
    acs_set_cookie = [r.url for r in shop.acs_responses if r.header_value("set-cookie")]
    assert acs_set_cookie == []
    assert [c for c in shop.context.cookies() if c["domain"] == "localhost"] == []
    with capsys.disabled():
        print(
            f"\nchallenge page weight: {weight} bytes (HTML + CSS + JS, transferred); "
            f"render (CReq post -> load): {render_ms:.0f} ms; OTP check (submit -> final CRes at the "
            f"notificationURL): {check_ms:.0f} ms"
        )
    assert render_ms < 2000 and check_ms < 3000


def page_weight(shop: Shop, frame: Any) -> tuple[int, float]:
    """Bytes transferred for the first challenge page, and its CReq-post-to-load time in the frame."""
    total = 0
    for path in CHALLENGE_FILES:
        [response] = [r for r in shop.acs_responses if r.url == f"{shop.site.acs}{path}"]
        sizes = response.request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    frame.wait_for_load_state("load")
    # The navigation entry starts when the merchant's form posted the CReq into the frame.
    render_ms = frame.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventEnd - n.startTime; }"
    )
    return total, float(render_ms)


def test_it_accepts_the_right_code_after_a_wrong_one(shop: Shop) -> None:
    frame, phone, code = open_otp_challenge(shop, language="en-US")
    token = shop.token(frame)
    shop.submit(frame, code=wrong_code(code))
    shop.wait_for_page(frame, token)
    assert "The code is not correct. You have 2 tries left." in frame.inner_text("#status")
    shop.shot("otp-wrong-code")
    shop.submit(frame, code=code)
    result = shop.wait_for_result()
    assert result["status"] == "Y"
    assert shop.purchase().rreq["interactionCounter"] == "02"


def test_it_ends_n_19_when_the_tries_run_out(shop: Shop) -> None:
    frame, phone, code = open_otp_challenge(shop, card="jcb-sms", version="2.3.1", language="en-US")
    assert "J/Secure" in frame.inner_text("header")
    bad = wrong_code(code)
    for tries_left in (2, 1):
        token = shop.token(frame)
        shop.submit(frame, code=bad)
        shop.wait_for_page(frame, token)
        assert f"You have {tries_left} tr" in frame.inner_text("#status")
    shop.shot("otp-last-try")
    shop.submit(frame, code=bad)
    result = shop.wait_for_result()
    shop.shot("otp-locked-result")
    assert (result["status"], result["reason"][:2], result["eci"]) == ("N", "19", "—")
    assert shop.purchase().rreq["interactionCounter"] == "03"


def test_it_resends_a_code_and_only_the_new_one_works(shop: Shop, settings: Any) -> None:
    settings.OTP_RESEND_COOLDOWN_SECONDS = 1
    frame, phone, first = open_otp_challenge(shop, language="en-US")
    resend = frame.locator("button[value=resend]")
    resend.wait_for(state="visible")
    frame.wait_for_function("() => !document.querySelector('button[value=resend]').disabled", timeout=5000)
    token = shop.token(frame)
    resend.click()
    shop.wait_for_page(frame, token)
    assert "A new code has been sent" in frame.inner_text("#status")
    codes = shop.wait_for_codes(phone, 2)  # the inbox refreshes by itself
    shop.shot("otp-resent-phone", phone)
    second = codes[0]
    assert len(codes) == 2 and codes[1] == first
    if first != second:
        token = shop.token(frame)
        shop.submit(frame, code=first)
        shop.wait_for_page(frame, token)
        assert "The code is not correct" in frame.inner_text("#status")
    shop.submit(frame, code=second)
    assert shop.wait_for_result()["status"] == "Y"


def test_it_cancels(shop: Shop) -> None:
    frame, phone, code = open_otp_challenge(shop, version="2.2.0")
    frame.click("button[value=cancel]")
    result = shop.wait_for_result()
    assert (result["status"], result["cancel"], result["reason"][:2]) == ("N", "01", "26")
    assert result["agree"].startswith("一致 yes (N)")


def test_it_times_out_an_idle_page(shop: Shop, settings: Any) -> None:
    settings.CHALLENGE_INACTIVITY_SECONDS = 2
    frame, phone, code = open_otp_challenge(shop)
    phone.close()
    shop.page.wait_for_timeout(2500)
    shop.submit(frame, code=code)  # the right code, too late
    result = shop.wait_for_result()
    assert (result["status"], result["reason"][:2], result["cancel"]) == ("N", "14", "04")


def test_the_sweep_reports_an_idle_challenge_and_the_page_then_returns_n(shop: Shop, settings: Any) -> None:
    settings.CHALLENGE_INACTIVITY_SECONDS = 2
    frame, phone, code = open_otp_challenge(shop)
    phone.close()
    shop.page.wait_for_timeout(2500)
    out = io.StringIO()
    call_command("expire_challenges", stdout=out)  # delivers the RReq to the sandbox DS over HTTP
    assert "expired 1, delivered 1" in out.getvalue()
    purchase = shop.purchase()
    assert (purchase.rreq["transStatus"], purchase.rreq["challengeCancel"]) == ("N", "04")
    shop.submit(frame, code=code)
    result = shop.wait_for_result()
    assert result["status"] == "N" and result["agree"].startswith("一致 yes (N)")


# --- the legacy My Net+ password -----------------------------------------------------------------


def test_it_passes_the_my_net_id_and_password(shop: Shop) -> None:
    shop.checkout(card="visa-password", language="ja-JP")
    frame = shop.challenge_frame()
    assert frame.inner_text("[data-testid=personal-message]") == "いつもの猫"
    shop.shot("password-first-page")
    shop.submit(frame, username="demo-legacy", password=DEMO_PASSWORD)
    result = shop.wait_for_result()
    assert (result["status"], result["eci"]) == ("Y", "05")


def test_five_wrong_passwords_across_two_payments_lock_the_account(shop: Shop) -> None:
    # First payment: three misses end it (N/19), the account is not locked yet.
    shop.checkout(card="visa-password", language="en-US")
    frame = shop.challenge_frame()
    for attempt in range(3):
        token = shop.token(frame)
        shop.submit(frame, username="demo-legacy", password=f"wrong-password-{attempt}")
        if attempt < 2:
            shop.wait_for_page(frame, token)
            assert "The My Net+ ID or password is not correct." in frame.inner_text("#status")
            if attempt == 0:
                shop.shot("password-wrong")
    result = shop.wait_for_result()
    assert (result["status"], result["reason"][:2]) == ("N", "19")
    assert not Member.objects.get(username="demo-legacy").is_locked

    # Second payment: the fifth miss locks the account and ends the challenge at once (N/01).
    shop.checkout(card="visa-password", language="en-US")
    frame = shop.challenge_frame()
    token = shop.token(frame)
    shop.submit(frame, username="demo-legacy", password="wrong-password-3")
    shop.wait_for_page(frame, token)
    shop.submit(frame, username="demo-legacy", password="wrong-password-4")
    result = shop.wait_for_result()
    shop.shot("password-locked-result")
    assert (result["status"], result["reason"][:2]) == ("N", "01")
    member = Member.objects.get(username="demo-legacy")
    assert member.is_locked and member.failed_login_count == 5

    # Locked: even the right password fails now.
    shop.checkout(card="visa-password", language="en-US")
    frame = shop.challenge_frame()
    shop.submit(frame, username="demo-legacy", password=DEMO_PASSWORD)
    assert shop.wait_for_result()["status"] == "N"


# --- window sizes and languages ------------------------------------------------------------------


@pytest.mark.parametrize("window, width", [("01", 250), ("05", 1280)])
def test_the_page_fits_the_window_without_horizontal_scrolling(shop: Shop, window: str, width: int) -> None:
    frame, phone, code = open_otp_challenge(shop, window=window, language="en-US")
    phone.close()
    assert frame.evaluate("window.innerWidth") == width
    assert no_horizontal_scroll(frame)
    shop.shot(f"otp-window-{window}")
    token = shop.token(frame)
    shop.submit(frame, code=wrong_code(code))
    shop.wait_for_page(frame, token)
    assert no_horizontal_scroll(frame)  # with the error message too
    shop.submit(frame, code=code)
    assert shop.wait_for_result()["status"] == "Y"


# The bounding box of `selector` in the frame, and the frame's window height.
BOX = """s => {
  const box = document.querySelector(s).getBoundingClientRect();
  return [box.top, box.bottom, innerHeight];
}"""


def assert_in_view(frame: Any, *selectors: str) -> None:
    """Each element is wholly inside the window, and the page was not scrolled to get it there."""
    assert frame.evaluate("window.scrollY") == 0
    for selector in selectors:
        top, bottom, height = frame.evaluate(BOX, selector)
        assert top >= 0 and bottom <= height, f"{selector}: {top:.0f}-{bottom:.0f} px, window {height} px"


@pytest.mark.parametrize(
    "card, window, language",
    [
        *[(card, window, "ja-JP") for card in ("visa-sms", "visa-password") for window in WINDOWS],
        # English is the longer text: the narrowest window in it too.
        ("visa-sms", "01", "en-US"),
        ("visa-password", "01", "en-US"),
    ],
)
def test_the_message_the_field_and_confirm_show_without_scrolling(
    shop: Shop, card: str, window: str, language: str
) -> None:
    shop.checkout(card=card, window=window, language=language)
    frame = shop.challenge_frame()
    assert frame.evaluate("[innerWidth, innerHeight]") == list(WINDOWS[window])
    field = "#code" if card == "visa-sms" else "#password"
    # Resend and Cancel too: the page tells the cardholder to press Cancel if the message is wrong.
    actions = (
        ("button[value=resend]", "button[value=cancel]") if card == "visa-sms" else ("button[value=cancel]",)
    )
    assert_in_view(frame, "[data-testid=personal-message]", field, "button.primary", *actions)
    shop.shot(f"in-view-{card}-{window}-{language}")

    # After a wrong entry the page says so, and still fits (Cancel may then need a scroll at 01).
    token = shop.token(frame)
    if card == "visa-sms":
        shop.submit(frame, code="12345")  # never right: five digits
    else:
        shop.submit(frame, username="demo-legacy", password="wrong-password")
    shop.wait_for_page(frame, token)
    assert frame.inner_text("#status").strip()
    assert_in_view(frame, "[data-testid=personal-message]", field, "button.primary")
    if card == "visa-password":
        assert frame.input_value("#username") == "demo-legacy" and frame.input_value("#password") == ""


def test_a_full_page_challenge_returns_to_the_merchant(shop: Shop) -> None:
    frame, phone, code = open_otp_challenge(shop, window="full", language="en-US")
    assert frame == shop.page.main_frame and shop.page.url == f"{shop.site.acs}/acs/challenge"
    assert no_horizontal_scroll(frame)
    shop.submit(frame, code=code)
    assert shop.wait_for_result()["status"] == "Y"


@pytest.mark.parametrize("language, lang", [("ja-JP", "ja"), ("en-US", "en")])
def test_it_speaks_the_browsers_language(shop: Shop, language: str, lang: str) -> None:
    frame, phone, code = open_otp_challenge(shop, language=language)
    assert frame.get_attribute("html", "lang") == lang
    assert frame.inner_text("[data-testid=personal-message]") == "さくら満開"
    with translation.override(lang):
        title = translation.gettext("Confirm your payment")
    assert frame.inner_text("h1") == title
    if lang == "ja":
        assert re.search(r"[\u3040-\u30ff]", frame.inner_text("main"))  # kana on the page
        # The SMS speaks the cardholder's language too.
        assert "認証コード" in phone.inner_text("[data-testid=sms-body]")
    else:
        assert frame.inner_text("h1") == "Confirm your payment"


# --- third-party cookies -------------------------------------------------------------------------


@pytest.fixture
def cookie_probe() -> Iterator[dict[str, Any]]:
    """A page on 127.0.0.1 that frames one on localhost, which sets a cookie and then reloads."""
    seen: dict[str, Any] = {"cookies": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            port = self.server.server_address[1]
            headers = [("Content-Type", "text/html")]
            if self.path == "/top":
                body = f'<iframe src="http://localhost:{port}/set"></iframe>'
            elif self.path == "/set":
                headers.append(("Set-Cookie", "probe=1; SameSite=None; Secure; Path=/"))
                body = '<script>setTimeout(() => location.href = "/echo", 100)</script>'
            elif self.path == "/echo":
                seen["cookies"].append(self.headers.get("Cookie"))
                body = "echo"
            else:  # the favicon
                body = ""
            data = body.encode()
            self.send_response(200)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen["top"] = f"http://127.0.0.1:{server.server_address[1]}/top"
    yield seen
    server.shutdown()
    server.server_close()


def visit_probe(context: Any, probe: dict[str, Any]) -> list[str | None]:
    probe["cookies"] = []
    page = context.new_page()
    page.goto(probe["top"])
    deadline = time.monotonic() + 5
    while not probe["cookies"] and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.close()
    return list(probe["cookies"])


def test_the_browser_blocks_third_party_cookies(
    shop: Shop, cookie_probe: dict[str, Any], e2e_third_party_cookies_allowed: Any
) -> None:
    """A cookie set inside a cross-site iframe is not sent back in the contexts the challenge tests
    use (Chromium blocks third-party cookies there), while a profile that allows them does send it:
    the probe can tell the two apart."""
    assert visit_probe(shop.context, cookie_probe) == [None]
    assert shop.context.cookies("http://localhost") == []
    assert visit_probe(e2e_third_party_cookies_allowed, cookie_probe) == ["probe=1"]
