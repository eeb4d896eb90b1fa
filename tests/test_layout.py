"""Layout in every script, measured in a real Chromium at phone widths."""

import pytest
from django.utils import translation

from articles.models import Article
from tests.browser import NARROW_PHONE, fonts_rendering, horizontal_overflow, more_reader_pages
from tests.factories import all_languages, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORDS = {
    "de": "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
    "fi": "Lentokonesuihkuturbiinimoottoriapumekaanikkoaliupseerioppilas",
    "ja": "日本経済新聞は十一月十八日東京証券取引所の取引時間延長計画について市場関係者の反応を詳しく報じた",
}


def test_no_page_scrolls_sideways_at_320_pixels_in_any_language(demo, open_browser):
    report = Article.objects.published().first()
    page = open_browser(viewport=NARROW_PHONE)
    overflowing = {}
    for language in all_languages():
        with translation.override(language):
            addresses = [f"/{language}/", report.get_absolute_url(), report.section.get_absolute_url()]
        addresses += more_reader_pages(language, report)
        for address in addresses:
            page.goto(address)
            page.locator(".switcher summary").click()  # open, the switcher's panel must fit too
            if overflow := horizontal_overflow(page):
                overflowing[address] = overflow
    assert overflowing == {}


@pytest.mark.parametrize("language", sorted(LONG_WORDS))
def test_long_words_and_unspaced_text_wrap_on_a_narrow_phone(language, open_browser):
    word = LONG_WORDS[language]
    report = make_article(
        languages=(language,),
        original_language=language,
        **{f"headline_{language}": f"{word} {word}", f"summary_{language}": word, f"body_{language}": word * 2},
    )
    page = open_browser(viewport=NARROW_PHONE)
    with translation.override(language):
        page.goto(report.get_absolute_url())
    assert horizontal_overflow(page) == 0
    headline = page.locator(".report__headline").bounding_box()
    assert headline["x"] + headline["width"] <= NARROW_PHONE["width"]
    page.goto(f"/{language}/")
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize(
    ("language", "script_font"),
    [("sa", "Devanagari"), ("ja", "CJK JP"), ("zh-hans", "CJK SC"), ("ru", "Noto"), ("el", "Noto")],
)
def test_each_script_is_drawn_with_a_font_that_has_its_letters(language, script_font, demo, open_browser):
    page = open_browser()
    page.goto(f"/{language}/")
    fonts = fonts_rendering(page, ".card:not([lang]) .card__headline a")  # a card in the language itself
    assert any(script_font in font for font in fonts), fonts


def test_a_left_to_right_fallback_stays_left_to_right_on_a_right_to_left_page(open_browser, right_to_left_language):
    report = make_article(languages=("en",))
    page = open_browser()
    with translation.override(right_to_left_language):
        page.goto(report.get_absolute_url())
    assert page.locator("html").get_attribute("dir") == "rtl"
    for selector in (".report__headline", ".report__summary", ".report__body"):
        assert page.locator(selector).evaluate("element => getComputedStyle(element).direction") == "ltr"
    page.goto(f"/{right_to_left_language}/")
    card = page.locator(".card", has_text=report.headline_en)
    assert card.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert card.locator(".card__meta").evaluate("element => getComputedStyle(element).direction") == "rtl"
