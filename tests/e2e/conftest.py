"""Real-browser tests: headless Chromium (Playwright) as the cardholder, the sandbox as merchant and DS.

One live server serves both sides. The ACS is addressed as http://localhost:<port> and the
sandbox merchant is opened at http://127.0.0.1:<port>/sandbox/, so the challenge runs in a
cross-site iframe exactly as it does on a merchant's page. One Chromium runs for the whole
session; every test gets a fresh browser context (cookies, storage) of its own.

Fixtures are prefixed `e2e_` or named after their role (`shop`, `site`) so that test modules with
their own inline `browser` fixtures (test_method_browser.py) are not affected.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

import io
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
OTP = re.compile(r"#(\d{6})\s*$")
TIMEOUT_MS = 15_000


class _Chromium:
    """One headless Chromium for the session, started on first use.

    Playwright's sync API refuses to start a second instance while one runs in the thread, and
    test_method_browser.py starts its own: `pytest_runtest_setup` below stops this one before
    any test that does not ask for it.
    """

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    def browser(self) -> Any:
        if self._browser is None:
            sync_api = pytest.importorskip("playwright.sync_api")
            self._playwright = sync_api.sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self._browser

    def allowing_third_party_cookies(self, user_data_dir: Path) -> Any:
        """A second Chromium with a profile that allows third-party cookies (cookie_controls_mode 0)."""
        self.browser()
        (user_data_dir / "Default").mkdir(parents=True)
        prefs = {"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}}
        (user_data_dir / "Default" / "Preferences").write_text(json.dumps(prefs))
        return self._playwright.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )

    def stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None


_chromium = _Chromium()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if "e2e_browser" not in getattr(item, "fixturenames", ()):
        _chromium.stop()


@pytest.fixture(scope="session")
def _e2e_chromium_session(django_db_setup: None, live_server: Any) -> Iterator[_Chromium]:
    yield _chromium
    # Before the live server stops and the test database is dropped, end every kept-alive HTTP
    # connection: each holds a live-server thread, and with it a database connection.
    _chromium.stop()
    from acs import results

    results._session.close()  # the ACS's RReq client, kept alive to the sandbox DS
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.02)


@pytest.fixture
def e2e_browser(_e2e_chromium_session: _Chromium) -> Any:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return _e2e_chromium_session.browser()


@pytest.fixture
def e2e_third_party_cookies_allowed(e2e_browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = _chromium.allowing_third_party_cookies(tmp_path / "profile")
    yield context
    context.close()


@dataclass
class Site:
    """The live server seen from two sites: the ACS on localhost, the merchant on 127.0.0.1."""

    acs: str
    merchant: str


@pytest.fixture
def site(live_server: Any, settings: Any, transactional_db: None) -> Site:
    if not django_settings.SANDBOX_ENABLED:
        pytest.skip("the sandbox is off (SANDBOX_ENABLED)")
    try:
        assert reverse("sandbox:index") == "/sandbox/"
    except NoReverseMatch:
        pytest.skip("sandbox.urls is not mounted")
    from acs import directory

    acs = live_server.url.rstrip("/")
    assert "//localhost:" in acs, acs
    settings.ACS_BASE_URL = acs
    settings.OTP_THROTTLE_FACTOR = 0
    # Every test re-seeds the demo members (the live server needs committed rows, and each test
    # starts from an empty database): Argon2 would cost ~2 s per test on two busy cores.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    call_command("seed_demo", stdout=io.StringIO())
    directory.forget()  # the ACS caches card ranges for a few seconds; the tables were just rebuilt
    return Site(acs=acs, merchant=acs.replace("//localhost:", "//127.0.0.1:") + "/sandbox/")


@dataclass
class Shop:
    """A cardholder at the sandbox merchant, with a phone (a second tab on the phone inbox)."""

    context: Any
    page: Any
    site: Site
    acs_responses: list[Any] = field(default_factory=list)

    # --- checkout ------------------------------------------------------------------------------

    def checkout(
        self,
        *,
        card: str = "visa-sms",
        amount: int = 12800,
        challenge: str = "04",
        version: str = "2.2.0",
        window: str = "02",
        language: str = "ja-JP",
        run_method: bool = True,
        merchant: str = "Sandbox Shop",
    ) -> None:
        """Fill the checkout, press Pay and wait for the challenge or the result."""
        page = self.page
        page.goto(self.site.merchant)
        page.check(f"input[name=card][value='{card}']")
        page.fill("input[name=amount]", str(amount))
        page.fill("input[name=merchant_name]", merchant)
        page.select_option("select[name=challenge_ind]", challenge)
        page.select_option("select[name=message_version]", version)
        page.select_option("select[name=window_size]", window)
        page.select_option("select[name=browser_language]", language)
        page.set_checked("input[name=run_method]", run_method)
        page.click("[data-testid=pay]")
        page.wait_for_url(re.compile(r"/sandbox/purchase/[0-9a-f-]+(/challenge|/creq)?$"), timeout=TIMEOUT_MS)

    @property
    def purchase_id(self) -> str:
        match = re.search(r"/purchase/([0-9a-f-]{36})", self.page.url)
        assert match, self.page.url
        return match.group(1)

    def purchase(self) -> Any:
        from sandbox.models import DemoPurchase

        return DemoPurchase.objects.get(pk=self.purchase_id)

    # --- the challenge -------------------------------------------------------------------------

    def challenge_frame(self) -> Any:
        """The ACS page inside the merchant's iframe (or the page itself for a full-page challenge)."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            failed = [
                r for r in self.acs_responses if r.url.startswith(f"{self.site.acs}/acs/") and r.status >= 500
            ]
            if failed:
                raise AssertionError(f"the ACS answered HTTP {failed[0].status} to {failed[0].url}")
            for frame in self.page.frames:
                if frame.url.startswith(f"{self.site.acs}/acs/challenge"):
                    frame.wait_for_selector("main.sheet", timeout=TIMEOUT_MS)
                    return frame
            self.page.wait_for_timeout(50)
        raise AssertionError(f"no challenge frame in {[f.url for f in self.page.frames]}")

    def submit(self, frame: Any, **fields: str) -> None:
        """Fill the fields and press Enter in the last one (implicit submission with the Confirm button).

        A click aims at coordinates, and the merchant page around the cross-site frame may re-lay
        itself out between aiming and clicking; Enter goes to the focused field wherever it is.
        """
        last = ""
        for name, value in fields.items():
            last = f"input[name={name}]"
            frame.fill(last, value)
        frame.press(last, "Enter")

    def wait_for_page(self, frame: Any, step_before: str) -> Any:
        """Wait until the frame shows a new challenge page (its form token changed)."""
        frame.wait_for_function(
            "old => { const t = document.querySelector('input[name=token]'); return t && t.value !== old; }",
            arg=step_before,
            timeout=TIMEOUT_MS,
        )
        frame.wait_for_load_state("load")
        return frame

    def token(self, frame: Any) -> str:
        return str(frame.eval_on_selector("input[name=token]", "el => el.value"))

    def wait_for_result(self) -> dict[str, str]:
        self.page.wait_for_url(re.compile(r"/sandbox/purchase/[0-9a-f-]{36}$"), timeout=TIMEOUT_MS)
        self.page.wait_for_selector("[data-testid=trans-status]")
        return self.result()

    def result(self) -> dict[str, str]:
        text = {
            name: self.page.inner_text(f"[data-testid={name}]").strip() for name in ("reason", "eci", "av")
        }
        text["status"] = str(self.page.get_attribute("[data-testid=trans-status]", "data-status"))
        if self.page.query_selector("[data-testid=agree]"):
            text["agree"] = self.page.inner_text("[data-testid=agree]").strip()
        if self.page.query_selector("[data-testid=challenge-cancel]"):
            text["cancel"] = self.page.inner_text("[data-testid=challenge-cancel]").strip()
        return text

    # --- the phone -----------------------------------------------------------------------------

    def open_phone(self, number_suffix: str = "0001") -> Any:
        phone = self.context.new_page()
        phone.goto(f"{self.site.merchant}phone?to={number_suffix}")
        return phone

    def otp_codes(self, phone: Any) -> list[str]:
        bodies = phone.eval_on_selector_all("[data-testid=sms-body]", "els => els.map(e => e.innerText)")
        return [m.group(1) for body in bodies if (m := OTP.search(body))]

    def wait_for_codes(self, phone: Any, count: int) -> list[str]:
        """Wait until the inbox shows `count` codes (it refreshes itself); return them, newest first."""
        phone.wait_for_function(
            "n => document.querySelectorAll('[data-testid=sms-body]').length >= n",
            arg=count,
            timeout=TIMEOUT_MS,
        )
        return self.otp_codes(phone)

    def shot(self, name: str, target: Any = None) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (target or self.page).screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def cardholder_user_agent(browser: Any) -> str:
    """Chromium's own user agent without "HeadlessChrome": risk analysis scores automation."""
    return (
        f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{browser.version} "
        "Safari/537.36"
    )


@pytest.fixture
def shop(e2e_browser: Any, site: Site) -> Iterator[Shop]:
    context = e2e_browser.new_context(
        viewport=VIEWPORT,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        user_agent=cardholder_user_agent(e2e_browser),
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    shop = Shop(context=context, page=page, site=site)
    page.on(
        "response",
        lambda response: shop.acs_responses.append(response) if response.url.startswith(site.acs) else None,
    )
    yield shop
    context.close()
