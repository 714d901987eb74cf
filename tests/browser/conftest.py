"""A real headless Chromium (Debian's `chromium` package) driven by Playwright, against a live server.

No browser is downloaded: Playwright starts the system's Chromium by its path (CHROMIUM, or the
first of the usual places). Outside CI a machine without Chromium skips these tests with a message;
in CI (MINKA_REQUIRE_BROWSER=1, set by .ci/run, which installs Chromium) they must run.
Screenshots go to test-artifacts/browser/.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "browser"
# Flags a root user in a closed network needs; background networking would only try to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="session")
def browser(django_db_setup):
    path = chromium_path()
    if path is None:
        if os.environ.get("MINKA_REQUIRE_BROWSER"):
            pytest.fail("CI must run the browser tests, and no Chromium was found (apt-get install chromium).")
        pytest.skip("No Chromium here (apt-get install chromium, or set CHROMIUM=/path): browser tests skipped.")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django must allow its ORM here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections

    # The copy of the migrations' rows (districts, roles) that serialized rollback reloads after each
    # browser test sits on the connection objects of this thread; once Playwright runs its event loop
    # here, Django hands out other connection objects (per asyncio context), which must carry it too.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_api.sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser page (its own cookies); a screenshot of how it ended is kept as an artefact."""
    context = browser.new_context(base_url=live_server.url, locale="es-PE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    messages = []
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.javascript_errors = messages
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def log_in(page):
    """Log in through the login page, as a person would."""

    def as_user(user, password="minka-browser"):
        user.set_password(password)
        user.save()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        return page

    return as_user


def pytest_collection_modifyitems(items):
    # A live server needs committed rows; the districts and roles that migrations load come back
    # after each test's flush (serialized_rollback), for this test and for those that follow.
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
