"""Fixtures and helpers for the tests that drive a real Chromium.

Playwright drives Debian's Chromium (Playwright's own browser download is not
available here); axe-core comes from npm into node_modules/. `make
browser-tools` installs both. Without them the tests skip and say why.
"""

import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIRECTORY = settings.BASE_DIR / "docs" / "screenshots"

PHONE = {"width": 375, "height": 740}
NARROW_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def skip_or_fail(reason):
    """Skip on a developer's machine; fail in CI, where a skip would hide the tests."""
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run; each test gets its own context."""
    if not CHROMIUM.exists():
        skip_or_fail(
            f"No Chromium at {CHROMIUM}: run `make browser-tools` (as root) to install it and its fonts, "
            "or set NEWSROOM_CHROMIUM to another Chromium."
        )
    # Playwright's sync API keeps an event loop running in this thread, and
    # Django then refuses the ORM calls a test makes to set up its data.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_browser(chromium, live_server):
    """A function that opens a fresh browser context on the live site.

    ``open_browser(locale="ja-JP", viewport=PHONE)`` returns a page whose
    browser prefers that language and has that screen; relative URLs go to
    the live server.
    """
    contexts = []

    def open_page(locale="en-GB", viewport=DESKTOP, **options):
        context = chromium.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport=viewport,
            # axe-core is injected as a script; the coming Content-Security-Policy must not block it.
            bypass_csp=True,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def axe_script():
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_SCRIPT}: run `make browser-tools`.")
    return AXE_SCRIPT


def serious_violations(page, axe_script):
    """axe-core's serious and critical violations on the page, as readable lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def fonts_rendering(page, selector):
    """The font families Chromium actually drew the element's text with."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    document = session.send("DOM.getDocument", {"depth": -1})
    node = session.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    return {font["familyName"] for font in fonts}


def tab_to(page, locator, limit=40):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never received the focus after {limit} presses of Tab")


def log_in(page, user, password="a long password 1"):
    """Log in to the admin through its form; the factories' users share this password."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def save_screenshot(page, name, **options):
    """Save a PNG into docs/screenshots/ when NEWSROOM_SCREENSHOTS is set.

    Screenshots change with every date on the page, so an ordinary test run
    takes them (a failure still shows) but does not rewrite the README's.
    """
    image = page.screenshot(**options)
    if os.environ.get("NEWSROOM_SCREENSHOTS"):
        SCREENSHOT_DIRECTORY.mkdir(parents=True, exist_ok=True)
        (SCREENSHOT_DIRECTORY / f"{name}.png").write_bytes(image)
    return image


def more_reader_pages(language, report):
    """The reader's pages beyond the front, section and report pages, for ``report`` in ``language``:
    side by side, its day, its source and compiler, and the search and topic pages where they exist."""
    with translation.override(language):
        day = timezone.localtime(report.published_at)
        pages = [
            report.get_absolute_url() + ("?with=en" if language != "en" else "?with=ja"),
            reverse("articles:day", kwargs={"year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}"}),
            reverse("articles:source", kwargs={"name": report.source_name}),
            reverse("articles:compiler", kwargs={"name": report.compiled_by}),
        ]
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse("articles:search") + "?q=glacier")
        topic = report.topics.first() if hasattr(report, "topics") else None
        if topic is not None:
            pages.append(topic.get_absolute_url())
    return pages
