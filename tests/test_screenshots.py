"""The README's screenshots, taken of the demo site in a real Chromium.

`make screenshots` writes them into docs/screenshots/; an ordinary run takes
them too, so that a page that breaks while being shot fails here.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import DESKTOP, PHONE, log_in, save_screenshot
from tests.factories import all_languages, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def report_url(key, language):
    with translation.override(language):
        return Article.objects.get(key=key).get_absolute_url()


@pytest.mark.parametrize("language", ["en", "ja", "sa"])
def test_front_page_screenshot(language, demo, open_browser):
    page = open_browser(viewport=DESKTOP)
    page.goto(f"/{language}/")
    expect(page.locator(".card").first).to_be_visible()
    save_screenshot(page, f"front-{language}-desktop")


def test_report_screenshot(demo, open_browser):
    page = open_browser(viewport={"width": 1280, "height": 1000})
    page.goto(report_url("andes-glacier-survey", "en"))
    expect(page.locator(".report__body blockquote")).to_be_visible()
    save_screenshot(page, "report-en-desktop")


def test_fallback_report_on_a_phone_screenshot(demo, open_browser):
    page = open_browser(viewport=PHONE)
    page.goto(report_url("paris-translation-prize", "ru"))
    expect(page.locator(".notice")).to_be_visible()
    save_screenshot(page, "report-fallback-ru-phone")


def test_switcher_open_on_a_phone_screenshot(demo, open_browser):
    page = open_browser(viewport=PHONE)
    page.goto(report_url("shenzhen-chip-packaging-plant", "ja"))
    page.locator(".switcher summary").click()
    expect(page.locator(".switcher__legend")).to_be_visible()
    save_screenshot(page, "switcher-ja-phone")


def test_admin_translation_tabs_screenshot(demo, open_browser):
    page = open_browser(viewport={"width": 1280, "height": 900})
    log_in(page, make_editor())
    report = Article.objects.get(key="shenzhen-chip-packaging-plant")
    page.goto(f"/admin/articles/article/{report.pk}/change/")
    # The switch beside the title turns every field's tabs to one language.
    page.locator("#modeltranslation-main-switch").select_option(str(all_languages().index("ja")))
    expect(page.locator("#id_headline_ja")).to_be_visible()
    expect(page.locator("#id_body_ja")).to_be_visible()
    save_screenshot(page, "admin-tabs")
