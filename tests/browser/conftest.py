"""
Fixtures for the real-browser tests: Debian's Chromium, driven by Playwright, against
pytest-django's live server.

One browser serves the whole package (starting Chromium costs about a second); each test
gets a fresh context, so cookies, permissions and storage never leak between tests.
Without /usr/bin/chromium (or without the playwright package) every browser test is
skipped with the reason; `make test` installs Chromium first when it runs as root.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# The flags keep Chromium off the network on its own account: with no internet here,
# its background services would otherwise fail, slowly and noisily, at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def playwright_driver():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium and chromium-driver "
            "(`make browser` does it as root)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is missing: `make install` installs it")
    # Playwright's sync API keeps an asyncio event loop running in this thread (it
    # switches to it with greenlets), so Django sees a running loop and refuses ORM
    # calls from the test code as "async-unsafe". The test code is plain synchronous
    # code and never shares a connection with the loop, so the check is a false alarm
    # here: we lift it for the browser tests only, and put it back when they end.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        driver = sync_playwright().start()
        try:
            yield driver
        finally:
            driver.stop()


@pytest.fixture(scope="package")
def browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (a private window each) that are closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        # Generous: a loaded 2-core CI machine can take seconds to start TinyMCE.
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop page in a fresh context, its base URL the live server."""
    return new_context().new_page()
