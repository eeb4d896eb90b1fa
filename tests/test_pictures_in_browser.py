"""Pictures on a report page, in a real Chromium: alt text for screen readers, phones, and a page that holds still."""

import pytest
from django.utils import translation
from django.views.static import serve

from articles.images import read_upload, stored_original
from articles.models import Image
from newsroom import urls
from tests.browser import NARROW_PHONE, PHONE, horizontal_overflow, serious_violations
from tests.factories import make_article
from tests.images import photo_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The layout shifts the page made since it began loading, as the browser measures them (Cumulative Layout Shift).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  new PerformanceObserver(list => resolve(list.getEntries().reduce((sum, entry) =>
    entry.hadRecentInput ? sum : sum + entry.value, 0))).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(0), 500);  // No entry at all: nothing moved.
})"""


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch):
    """Uploads go to a temporary directory, which the development media route serves."""
    settings.MEDIA_ROOT = tmp_path
    for pattern in urls.urlpatterns:
        if getattr(pattern, "callback", None) is serve:
            monkeypatch.setitem(pattern.default_args, "document_root", tmp_path)
    return tmp_path


@pytest.fixture
def report(media_root):
    """A report in English and Japanese with a lead image and, in its body, a tall picture with a caption."""
    lead = Image.objects.create(
        file=stored_original(read_upload(upload())),
        title="Harbour",
        credit="Photo: Newsroom",
        alt_text_en="Fishing boats moored in a harbour at dawn",
        alt_text_ja="夜明けの港に係留された漁船",
        caption_en="The harbour before the market opens.",
    )
    placed = Image.objects.create(
        file=stored_original(read_upload(upload(photo_bytes(size=(600, 900))))),
        title="Market",
        alt_text_en="A fishmonger weighing tuna",
        caption_en="Tuna on the scales.",
        caption_ja="計量されるマグロ。",
    )
    body = f"First paragraph.\n\n![](image:{placed.pk})\n\nThe last paragraph, after the picture."
    return make_article(languages=("en", "ja"), lead_image=lead, body_en=body, body_ja=body.replace("First", "最初"))


def visit(open_browser, report, language, viewport):
    page = open_browser(viewport=viewport)
    with translation.override(language):
        page.goto(report.get_absolute_url())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_picture_has_alt_text_and_axe_finds_nothing_serious(language, report, open_browser, axe_script):
    page = visit(open_browser, report, language, PHONE)
    images = page.locator("main img")
    assert images.count() == 2
    assert all(alt.strip() for alt in images.evaluate_all("images => images.map(image => image.alt)"))
    # The Japanese page reads the lead image's Japanese alt text; the body picture's falls back, marked English.
    if language == "ja":
        assert images.nth(0).get_attribute("alt") == "夜明けの港に係留された漁船"
        assert images.nth(1).get_attribute("lang") == "en"
    violations = serious_violations(page, axe_script)
    assert not [line for line in violations if line.startswith(("image-alt", "role-img-alt"))]
    assert violations == []


def test_pictures_fit_a_320_pixel_screen(report, open_browser):
    page = visit(open_browser, report, "en", NARROW_PHONE)
    page.locator("main img").last.scroll_into_view_if_needed()
    assert horizontal_overflow(page) == 0
    widths = page.locator("main img").evaluate_all("images => images.map(image => image.getBoundingClientRect().right)")
    assert max(widths) <= NARROW_PHONE["width"]


def test_pictures_load_without_moving_the_page(report, open_browser):
    page = visit(open_browser, report, "en", PHONE)
    sizes = page.locator("main img").evaluate_all(
        "images => images.map(image => [image.getAttribute('width'), image.getAttribute('height')])"
    )
    assert all(width and height for width, height in sizes), sizes
    page.locator("main img").last.scroll_into_view_if_needed()  # the lazy one loads
    page.wait_for_function("[...document.querySelectorAll('main img')].every(image => image.complete)")
    assert page.locator("main img").evaluate_all("images => images.every(image => image.naturalWidth > 0)")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01


def test_a_search_result_shows_its_picture_small_beside_its_text(open_browser, report):
    page = open_browser(viewport={"width": 1280, "height": 900})
    page.goto(f"/en/search/?q={report.headline_en.split()[0]}")
    assert page.locator(".search-results").evaluate("list => getComputedStyle(list).listStyleType") == "none"
    picture, snippet = (
        page.locator(selector).bounding_box() for selector in (".search-result__picture", ".search-result__snippet")
    )
    assert picture["width"] <= 161  # 10rem beside the text, not across the page
    assert picture["y"] < snippet["y"] + snippet["height"] and picture["x"] > snippet["x"]
