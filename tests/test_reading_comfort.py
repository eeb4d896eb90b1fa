"""Reading comfort: a dark scheme that keeps its contrast, a print stylesheet, a switcher that closes as expected."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.browser import serious_violations
from tests.factories import make_article

STYLESHEET = settings.BASE_DIR / "newsroom" / "static" / "newsroom" / "css" / "site.css"

# (text, background) pairs the stylesheet sets, by custom property.
TEXT_ON_BACKGROUND = [
    ("ink", "paper"),
    ("ink", "surface"),
    ("ink-soft", "paper"),
    ("muted", "paper"),
    ("muted", "surface"),
    ("faint", "paper"),
    ("faint", "surface"),
    ("accent-ink", "paper"),
    ("accent-ink", "surface"),
    ("accent", "paper"),
    ("on-ink", "ink"),
    ("notice-ink", "notice"),
    ("badge-ink", "badge"),
]


def custom_properties(block):
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", block))


def schemes():
    """{"light": {name: colour}, "dark": {...}}: the dark scheme is the light one with its overrides."""
    css = STYLESHEET.read_text()
    light = custom_properties(css[css.index(":root {") : css.index("}", css.index(":root {"))])
    dark_start = css.index("@media (prefers-color-scheme: dark)")
    dark_root = css.index(":root {", dark_start)
    dark = {**light, **custom_properties(css[dark_root : css.index("}", dark_root)])}
    return {"light": light, "dark": dark}


def luminance(colour):
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(digit * 2 for digit in colour)
    channels = [int(colour[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_block_of_the_stylesheet_is_closed_and_print_rules_stay_in_print():
    """An unclosed @media block silently takes every later rule with it (once, the search page's)."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.DOTALL)
    depth = 0
    for character in css:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0
    assert depth == 0
    print_block = css[css.index("@media print") :]
    assert ".search-result" not in print_block and ".search-form" not in print_block


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_colour_keeps_aa_contrast_on_its_background(scheme):
    colours = schemes()[scheme]
    too_faint = {
        f"{text} on {background}": round(contrast(colours[text], colours[background]), 2)
        for text, background in TEXT_ON_BACKGROUND
        if contrast(colours[text], colours[background]) < 4.5
    }
    assert too_faint == {}
    # The focus ring is not text: 3:1 against the page is enough (WCAG 1.4.11).
    assert contrast(colours["focus"], colours["paper"]) >= 3


def test_the_dark_scheme_changes_every_colour_of_the_light_one():
    light, dark = schemes()["light"], schemes()["dark"]
    assert [name for name in light if light[name] == dark[name]] == []
    assert luminance(dark["paper"]) < 0.05 < luminance(dark["ink"])


@pytest.mark.django_db
def test_every_reader_page_loads_the_switcher_script_from_a_static_file(client):
    report = make_article(languages=("en", "ja"))
    with translation.override("ja"):
        addresses = ["/ja/", report.get_absolute_url(), report.get_absolute_url() + "?with=en"]
    for address in addresses:
        html = client.get(address).content.decode()
        assert re.search(r'<script src="/static/newsroom/js/switcher(\.\w+)?\.js" defer></script>', html), address


# In a real Chromium (run with -m browser).


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_switcher_closes_on_escape_and_on_a_click_outside(open_browser):
    report = make_article(languages=("en", "ja"))
    page = open_browser()
    page.goto(report.get_absolute_url())
    switcher = page.locator(".switcher__details")
    page.locator(".switcher summary").click()
    assert switcher.evaluate("details => details.open")
    page.keyboard.press("Escape")
    assert not switcher.evaluate("details => details.open")
    assert page.evaluate("document.activeElement.className") == "switcher__summary"
    page.locator(".switcher summary").click()
    page.locator(".switcher__link").first.hover()  # a click inside the panel leaves it open
    page.locator(".switcher__legend").click()
    assert switcher.evaluate("details => details.open")
    page.locator(".report__body").click()
    assert not switcher.evaluate("details => details.open")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_printed_report_has_no_masthead_and_prints_its_source_address(open_browser):
    report = make_article(languages=("en",), source_url="https://www.example.com/original")
    page = open_browser()
    page.emulate_media(media="print")
    page.goto(report.get_absolute_url())
    assert not page.locator(".masthead").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".report__body").is_visible()

    def printed_after(selector):
        return page.locator(selector).evaluate("link => getComputedStyle(link, '::after').content")

    assert printed_after('.credits a[href^="https:"]') == '" (https://www.example.com/original)"'
    assert printed_after('.credits a[href^="/en/compiler/"]') == "none"  # the site's own links print as they read
    assert not page.locator(".credits__more").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_dark_scheme_follows_the_system_and_has_no_serious_accessibility_violations(open_browser, axe_script):
    report = make_article(languages=("en", "ja"))
    page = open_browser(color_scheme="dark")
    found = {}
    for address in ("/en/", report.get_absolute_url(), report.get_absolute_url() + "?with=ja"):
        page.goto(address)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 21, 24)", background
        page.locator(".switcher summary").click()
        if violations := serious_violations(page, axe_script):
            found[address] = violations
    assert found == {}
