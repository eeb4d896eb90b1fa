"""Readers' journeys through the site in a real Chromium."""

import pytest
from django.utils import translation

from tests.browser import PHONE, tab_to
from tests.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_switches_language_by_keyboard_and_keeps_it(open_browser):
    world = make_section(name_en="World", name_ja="国際", name_ru="Мир")
    report = make_article(languages=("en", "ja", "ru"), section=world)
    page = open_browser(locale="ja-JP")

    page.goto("/")
    assert page.url.endswith("/ja/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_role("link", name=report.headline_ja).click()
    assert page.get_by_role("heading", level=1).inner_text() == report.headline_ja

    with translation.override("ja"):
        switcher_name = translation.gettext("Language")
    switcher = page.get_by_role("navigation", name=switcher_name)
    tab_to(page, switcher.locator("summary"))
    page.keyboard.press("Enter")
    russian = switcher.get_by_role("link", name="Русский")
    tab_to(page, russian)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/ru/news/{report.pk}/**")
    assert page.get_by_role("heading", level=1).inner_text() == report.headline_ru
    assert page.locator("html").get_attribute("lang") == "ru"

    page.goto("/")
    assert page.url.endswith("/ru/")


def test_reader_of_a_missing_language_sees_the_notice_and_the_fallback(open_browser):
    report = make_article(languages=("en",))
    page = open_browser(locale="fi-FI", viewport=PHONE)

    page.goto("/fi/")
    page.get_by_role("link", name=report.headline_en).click()

    notice = page.get_by_role("note")
    assert "English" in notice.inner_text()
    headline = page.get_by_role("heading", level=1)
    assert headline.inner_text() == report.headline_en
    assert headline.get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("lang") == "fi"
