"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Use the `page` fixture (and `live_server`). Tests are marked `browser`; when Chromium is not
installed they are skipped, or fail under HROPS_REQUIRE_SERVICES=1 (CI installs it).
"""

import os
import shutil

import pytest

from tests.services import _unavailable

CHROMIUM = os.environ.get("HROPS_BROWSER_EXECUTABLE") or shutil.which("chromium") or ""
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    """A real-browser test is run once more if it fails (pytest-rerunfailures). Two live servers,
    two Chromiums and two test processes share 2 cores under xdist, and a page that takes longer
    than a step's 45 s once in a while (a sign-in, an approval) fails a whole CI run. A test that
    fails twice still fails; the rerun is reported in the summary ("R")."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM or not os.path.exists(CHROMIUM):
        _unavailable("Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM in the test body is
    # still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    # Generous: under xdist two browsers, two live servers and two test processes share 2 cores,
    # and a page that takes 15 s to come back is slow, not broken. A passing test waits no longer.
    context.set_default_timeout(45_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, email: str, password: str, *, totp_secret: str | None = None) -> None:
    """Sign in through the real login form (and the second-factor step when enrolled)."""
    from tests.mfa import totp_code

    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    # Wait for the navigation each submit starts: "networkidle" alone can be reached on the page
    # being left, and the test's next goto would then race the sign-in POST (seen as a flake).
    with page.expect_navigation():
        page.click("button[type=submit]")
    if totp_secret:
        page.wait_for_url("**/2fa/authenticate/**")
        # A code made at the end of its 30 s step can expire before a loaded server checks it:
        # then the form comes back, and the next step's code is entered (as a person would).
        for _attempt in range(2):
            page.fill("input[name=code]", totp_code(totp_secret))
            with page.expect_navigation():
                page.click("button[type=submit]")
            if "/2fa/authenticate" not in page.url:
                break
    page.wait_for_load_state("networkidle")


def sign_out(page) -> None:
    """Sign out with the header's button, as a person does, so the server ends the session.

    Clearing the browser's cookies alone does not switch users reliably: every page loads the
    notification bell with a background request, and with SESSION_SAVE_EVERY_REQUEST each
    response carries Set-Cookie for the session. A response still in flight when the cookies
    are cleared puts the previous user's session back, and the next page is theirs (seen as the
    approval page refused to the manager, or the employee's balance shown as the manager's).
    Once the server has ended the session, a late cookie names a session that no longer exists.
    """
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.click("header form[action$='/logout/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
