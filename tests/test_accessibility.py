"""axe-core and keyboard checks of the reader's pages in a real Chromium."""

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from tests.browser import DESKTOP, PHONE, more_reader_pages, serious_violations, tab_to
from tests.factories import all_languages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# "ar" is the right-to-left test language (see the right_to_left_language fixture).
SCANNED_LANGUAGES = ["en", "ru", "ja", "sa", "ar"]


@pytest.fixture
def site(demo):
    """The demo's section and two reports: one in every language, with a subhead and a
    quote, and one in four languages that most readers see as a fallback."""
    translated = Article.objects.get(key="andes-glacier-survey")
    partly_translated = Article.objects.get(key="paris-translation-prize")
    return translated.section, translated, partly_translated


def reader_pages(language, section, *reports):
    """The addresses a reader of ``language`` visits: front, section, reports, search."""
    with translation.override(language):
        pages = [reverse("articles:front"), section.get_absolute_url()]
        pages += [report.get_absolute_url() for report in reports]
    return pages + more_reader_pages(language, reports[0])


@pytest.mark.parametrize("language", SCANNED_LANGUAGES)
def test_reader_pages_have_no_serious_accessibility_violations(
    language, site, open_browser, axe_script, right_to_left_language
):
    found = {}
    for viewport in (PHONE, DESKTOP):
        page = open_browser(viewport=viewport)
        for address in reader_pages(language, *site):
            page.goto(address)
            page.locator("summary").first.click()  # The switcher's panel is scanned open too.
            violations = serious_violations(page, axe_script)
            if violations:
                found[f"{address} at {viewport['width']}px"] = violations
    assert found == {}


def test_right_to_left_language_is_laid_out_right_to_left(site, open_browser, right_to_left_language):
    page = open_browser(viewport=DESKTOP)
    page.goto(f"/{right_to_left_language}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    title = page.locator(".masthead__title").bounding_box()
    switcher = page.locator(".switcher summary").bounding_box()
    assert switcher["x"] < title["x"]


def test_first_tab_reveals_the_skip_link_which_moves_focus_to_the_content(site, open_browser):
    page = open_browser(viewport=PHONE)
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    assert skip_link.evaluate("element => element === document.activeElement")
    box = skip_link.bounding_box()
    assert box["y"] >= 0
    assert box["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_every_control_a_keyboard_reaches(site, open_browser):
    page = open_browser(viewport=DESKTOP)
    page.goto("/en/")
    reached, unmarked = 0, []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (element === document.body) return null;
                const style = getComputedStyle(element);
                return {text: element.textContent.trim().slice(0, 40), outline: style.outlineStyle,
                        width: parseFloat(style.outlineWidth)};
            }"""
        )
        if focused is None:
            break  # Past the last control, the focus leaves the page.
        reached += 1
        if focused["outline"] == "none" or focused["width"] < 2:
            unmarked.append(focused["text"])
    assert reached >= 6
    assert unmarked == []


def test_page_has_its_landmarks_and_the_switcher_is_a_navigation(site, open_browser):
    page = open_browser(viewport=PHONE)
    page.goto("/ru/")
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    with translation.override("ru"):
        switcher_name = translation.gettext("Language")
        sections_name = translation.gettext("Sections")
    switcher = page.get_by_role("navigation", name=switcher_name)
    assert switcher.count() == 1
    assert page.get_by_role("navigation", name=sections_name).count() == 1
    tab_to(page, switcher.locator("summary"))
    page.keyboard.press("Enter")
    assert switcher.get_by_role("link", name="日本語").is_visible()


def test_every_language_name_in_the_switcher_is_marked_with_its_language(site, open_browser):
    page = open_browser(viewport=DESKTOP)
    page.goto("/en/")
    links = page.locator(".switcher a").evaluate_all(
        "links => links.map(link => [link.getAttribute('lang'), link.getAttribute('hreflang')])"
    )
    assert len(links) == len(all_languages())
    assert all(lang and lang == hreflang for lang, hreflang in links)


# Which languages' lang may cover text in a script the site publishes in.
SCRIPT_LANGUAGES = {
    "Cyrillic": ["ru"],
    "Greek": ["el"],
    "Devanagari": ["sa"],
    "Hiragana": ["ja"],
    "Katakana": ["ja"],
    "Han": ["ja", "zh"],
    "Arabic": ["ar"],
}

UNMARKED_TEXT = """scripts => {
    const wrong = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        const lang = (walker.currentNode.parentElement.closest('[lang]') || document.documentElement).lang;
        for (const [script, languages] of Object.entries(scripts)) {
            if (new RegExp(`\\\\p{Script=${script}}`, 'u').test(text)
                && !languages.includes(lang.split('-')[0])) {
                wrong.push(`${script} text "${text.slice(0, 30)}" marked lang="${lang}"`);
            }
        }
    }
    return wrong;
}"""


@pytest.mark.parametrize("language", ["en", "ru", "ja", "sa", "el", "ar"])
def test_text_in_every_script_is_marked_with_its_language(language, demo, open_browser, right_to_left_language):
    """A screen reader switches voice on lang: text in another script needs its own."""
    page = open_browser(viewport=DESKTOP)
    partly_translated = Article.objects.get(key="shenzhen-chip-packaging-plant")
    with translation.override(language):
        addresses = [f"/{language}/", partly_translated.get_absolute_url()]
    wrong = []
    for address in addresses:
        page.goto(address)
        page.locator(".switcher summary").click()
        wrong += page.evaluate(UNMARKED_TEXT, SCRIPT_LANGUAGES)
    assert wrong == []
