"""The Content-Security-Policy, enforced by a real Chromium, blocks nothing the site needs.

The other browser tests bypass the policy (axe-core is injected as a script);
these do not: every violation the browser reports, every script error and
every console message about the policy fails them.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import DESKTOP, PHONE, log_in
from tests.factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any of the page's own code; the browser runs it whatever the policy says.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline code"} `
    + `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


class PolicyWatch:
    """A page under the site's own policy, and what the browser said about it."""

    def __init__(self, context):
        self.page = context.new_page()
        self.problems = []
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.problems.append(f"console: {message.text}")

    def check(self, where):
        """Fail with everything blocked or complained about since the page was loaded."""
        violations = self.page.evaluate("window.__violations")
        assert violations + self.problems == [], where


@pytest.fixture
def watched_page(chromium, live_server):
    contexts = []

    def open_page(locale="en-GB", viewport=DESKTOP):
        context = chromium.new_context(base_url=live_server.url, locale=locale, viewport=viewport)
        context.set_default_timeout(10_000)
        context.add_init_script(RECORD_VIOLATIONS)
        contexts.append(context)
        return PolicyWatch(context)

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["en", "ja", "sa"])
def test_reader_pages_need_nothing_the_policy_blocks(demo, watched_page, language):
    report = Article.objects.published().first()
    watch = watched_page(viewport=PHONE)
    with translation.override(language):
        addresses = [f"/{language}/", report.get_absolute_url(), report.section.get_absolute_url()]
    for address in addresses:
        watch.page.goto(address)
        watch.page.locator(".switcher__summary").click()
        expect(watch.page.locator(".switcher__panel")).to_be_visible()
        watch.page.wait_for_load_state("networkidle")
        watch.check(address)


def test_an_editor_uses_the_language_tabs_and_saves_under_the_policy(demo, watched_page):
    report = Article.objects.get(key="paris-translation-prize")
    editor = make_editor()
    watch = watched_page()
    page = watch.page

    log_in(page, editor)
    watch.check("the login")
    page.goto("/admin/articles/article/")
    watch.check("the list of reports")
    page.goto(f"/admin/articles/article/{report.pk}/change/")
    page.wait_for_load_state("networkidle")

    # modeltranslation's tabs, drawn by jQuery UI: switching shows one language's field.
    page.locator('li[aria-controls="tab_id_headline_ru"]').click()
    expect(page.locator("#id_headline_ru")).to_be_visible()
    expect(page.locator("#id_headline_en")).to_be_hidden()
    page.locator("#id_headline_ru").fill("Парижская премия за перевод впервые присуждена финскому роману")
    page.locator('li[aria-controls="tab_id_headline_en"]').click()
    expect(page.locator("#id_headline_en")).to_be_visible()
    # Django's calendar widget, which builds its table with script.
    page.locator(".datetimeshortcuts a").first.click()
    watch.check("the change form")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check("the saved form")
    report.refresh_from_db()
    assert report.headline_ru == "Парижская премия за перевод впервые присуждена финскому роману"

    page.goto(f"/admin/articles/article/{report.pk}/history/")
    page.locator("a[href$='/changes/']").first.click()
    page.wait_for_load_state("networkidle")
    watch.check("the history and its changes")
