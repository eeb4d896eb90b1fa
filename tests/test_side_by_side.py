"""A report in two languages at once, paragraph beside paragraph: /ja/news/42/<slug>/?with=en."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from articles.side_by_side import aligned_rows, html_blocks
from tests.browser import DESKTOP, NARROW_PHONE, horizontal_overflow
from tests.factories import all_languages, make_article

pytestmark = pytest.mark.django_db

ENGLISH = """## Troops leave

The withdrawal began on Monday.

> "We are going home," a soldier said.

- First the artillery
- Then the infantry

The last convoy left at dawn."""

JAPANESE = """## 部隊が撤退

撤退は月曜日に始まった。

> 「家に帰る」と兵士は語った。

- まず砲兵
- 次に歩兵

最後の車列は夜明けに出発した。"""

# The same report in fewer paragraphs: the translator joined two.
JAPANESE_JOINED = """撤退は月曜日に始まり、最後の車列は夜明けに出発した。

「家に帰る」と兵士は語った。"""


class Rows(HTMLParser):
    """The page's side-by-side rows: for each, its cells as (lang, dir, text)."""

    def __init__(self, html):
        super().__init__()
        self.rows, self.depth, self.cell_depth, self.row_depth = [], 0, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag in ("br", "hr", "img", "meta", "link", "input"):
            return
        self.depth += 1
        if "parallel__row" in classes:
            self.rows.append({"kind": classes[-1].removeprefix("parallel__row--"), "cells": []})
            self.row_depth = self.depth
        elif "parallel__cell" in classes and self.row_depth is not None:
            self.rows[-1]["cells"].append([attrs.get("lang"), attrs.get("dir"), ""])
            self.cell_depth = self.depth

    def handle_endtag(self, tag):
        if self.depth == self.cell_depth:
            self.cell_depth = None
        if self.depth == self.row_depth:
            self.row_depth = None
        self.depth -= 1

    def handle_data(self, data):
        if self.cell_depth is not None:
            self.rows[-1]["cells"][-1][2] += data

    def texts(self):
        return [(row["kind"], [" ".join(cell[2].split()) for cell in row["cells"]]) for row in self.rows]


def side_by_side_report(japanese=JAPANESE, **overrides):
    return make_article(
        languages=("en", "ja"),
        body_en=ENGLISH,
        body_ja=japanese,
        headline_en="Troops leave the border",
        headline_ja="部隊が国境から撤退",
        **overrides,
    )


def url_of(article, language, query=""):
    with translation.override(language):
        return article.get_absolute_url() + query


def test_paragraphs_subheads_quotes_and_list_items_each_stand_beside_their_translation(client):
    report = side_by_side_report()
    response = client.get(url_of(report, "ja", "?with=en"))
    assert response.status_code == 200
    assert Rows(response.content.decode()).texts() == [
        ("languages", ["日本語", "English"]),
        ("headline", ["部隊が国境から撤退", "Troops leave the border"]),
        ("summary", [f"{report.summary_ja}", f"{report.summary_en}"]),
        ("subhead", ["部隊が撤退", "Troops leave"]),
        ("paragraph", ["撤退は月曜日に始まった。", "The withdrawal began on Monday."]),
        ("quote", ["「家に帰る」と兵士は語った。", '"We are going home," a soldier said.']),
        ("list-item", ["まず砲兵", "First the artillery"]),
        ("list-item", ["次に歩兵", "Then the infantry"]),
        ("paragraph", ["最後の車列は夜明けに出発した。", "The last convoy left at dawn."]),
    ]


def test_each_column_carries_its_own_language_and_direction(client, right_to_left_language):
    report = side_by_side_report()
    page = Rows(client.get(url_of(report, "ja", "?with=en")).content.decode())
    for row in page.rows[1:]:
        assert [(lang, direction) for lang, direction, _text in row["cells"]] == [("ja", "ltr"), ("en", "ltr")]
    # On a right-to-left page, each column still keeps the direction of its own language.
    page = Rows(client.get(url_of(report, right_to_left_language, "?with=ja")).content.decode())
    assert [cell[:2] for cell in page.rows[-1]["cells"]] == [["en", "ltr"], ["ja", "ltr"]]


def test_texts_not_divided_alike_are_shown_whole_beside_each_other(client):
    report = side_by_side_report(japanese=JAPANESE_JOINED)
    response = client.get(url_of(report, "ja", "?with=en"))
    page = Rows(response.content.decode())
    assert [row["kind"] for row in page.rows] == ["languages", "headline", "summary", "whole"]
    japanese, english = page.texts()[-1][1]
    assert "撤退は月曜日に始まり" in japanese and "兵士は語った" in japanese
    assert "The withdrawal began on Monday." in english and "The last convoy left at dawn." in english
    with translation.override("ja"):
        note = translation.gettext(
            "The two texts are not divided into the same paragraphs, so each is shown whole, beside the other."
        )
    assert note in response.content.decode()


def test_a_report_page_lists_the_languages_it_can_be_read_beside(client):
    report = make_article(languages=("en", "ja", "fr"))
    html = client.get(url_of(report, "ja")).content.decode()
    ja_url = url_of(report, "ja")
    assert f'href="{ja_url}?with=en" lang="en" hreflang="en">English</a>' in html
    assert f'href="{ja_url}?with=fr" lang="fr" hreflang="fr">Français</a>' in html
    assert f"{ja_url}?with=ja" not in html  # not beside itself
    assert f"{ja_url}?with=de" not in html  # not published in German


def test_the_side_by_side_page_marks_the_second_language_and_links_back_to_one(client):
    report = make_article(languages=("en", "ja", "fr"))
    html = client.get(url_of(report, "ja", "?with=fr")).content.decode()
    assert 'hreflang="fr" aria-current="page">Français</a>' in html
    assert f'href="{url_of(report, "ja")}">' in html


@pytest.mark.parametrize("other", ["de", "xx", "", "ja", "%00", "en%22%3E%3Cscript%3E"])
def test_a_language_the_report_cannot_be_read_beside_gives_the_report_alone(client, other):
    report = make_article(languages=("en", "ja"))
    response = client.get(url_of(report, "ja", f"?with={other}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "parallel__row" not in html
    assert report.headline_ja in html
    with translation.override("ja"):
        note = translation.gettext(
            "This report is not published in the language you asked to read beside it, so it is shown alone. "
            "The languages it can be read side by side with are listed below it."
        )
    assert (note in html) == (other != "ja")
    assert "<script>" not in html


def test_the_canonical_address_has_no_second_language(client):
    report = make_article(languages=("en", "ja"))
    html = client.get(url_of(report, "ja", "?with=en")).content.decode()
    assert f'<link rel="canonical" href="http://testserver{url_of(report, "ja")}">' in html


def test_an_old_slug_redirects_to_the_same_two_languages(client):
    report = make_article(languages=("en", "ja"))
    with translation.override("ja"):
        old = f"/ja/news/{report.pk}/old-slug/?with=en"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == url_of(report, "ja", "?with=en")


def test_a_fallback_page_can_show_the_original_beside_another_translation(client):
    report = make_article(languages=("en", "ja"))
    page = Rows(client.get(url_of(report, "de", "?with=ja")).content.decode())
    assert [cell[0] for cell in page.rows[-1]["cells"]] == ["en", "ja"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_side_by_side_reads_no_more_than_the_report_page(client):
    short = make_article(languages=("en", "ja"))
    every_language = make_article(languages=all_languages(), body_en=ENGLISH * 3, body_ja=JAPANESE * 3)
    counts = {count_queries(client, url_of(article, "ja", "?with=en")) for article in (short, every_language)}
    assert len(counts) == 1
    assert counts.pop() <= count_queries(client, url_of(short, "ja")) <= 3


def test_the_page_cache_keeps_each_pair_of_languages_apart(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        report = make_article(languages=("en", "ja", "fr"))
        alone = client.get(url_of(report, "ja")).content
        with_english = client.get(url_of(report, "ja", "?with=en")).content.decode()
        with_french = client.get(url_of(report, "ja", "?with=fr")).content.decode()
        assert "parallel__row" not in alone.decode()
        assert report.headline_en in with_english and report.headline_fr not in with_english
        assert report.headline_fr in with_french and report.headline_en not in with_french
    finally:
        cache.clear()


def test_list_items_keep_their_numbers_when_split_into_rows():
    blocks = html_blocks('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n<hr>')
    assert [(block.kind, str(block.html)) for block in blocks] == [
        ("list item", '<ol start="3"><li>three</li></ol>'),
        ("list item", '<ol start="4"><li>four</li></ol>'),
        ("rule", "<hr>"),
    ]


def test_a_picture_placed_in_the_body_is_one_row():
    picture = (
        '<figure class="figure"><picture><source type="image/avif" srcset="a.avif">'
        '<img src="a.jpg" alt=""></picture></figure>'
    )
    blocks = html_blocks(f"<p>before</p>\n{picture}\n<p>after</p>")
    assert [(block.kind, str(block.html)) for block in blocks] == [
        ("paragraph", "<p>before</p>"),
        ("picture", picture),
        ("paragraph", "<p>after</p>"),
    ]


def test_html_that_does_not_split_cleanly_is_not_aligned():
    assert html_blocks("<p>open</p></blockquote>") is None
    assert aligned_rows("<p>one</p><p>two</p>", "<p>one</p>") is None
    assert aligned_rows("<h2>one</h2>", "<p>one</p>") is None
    assert [row.kind for row in aligned_rows("<h2>a</h2>\n<p>b</p>", "<h2>c</h2><p>d</p>")] == ["subhead", "paragraph"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_narrow_phone_each_pair_is_stacked_and_nothing_scrolls_sideways(open_browser):
    report = side_by_side_report()
    page = open_browser(viewport=NARROW_PHONE)
    page.goto(url_of(report, "ja", "?with=en"))
    assert horizontal_overflow(page) == 0
    first, second = page.locator(".parallel__row--paragraph").first.locator(".parallel__cell").all()
    first_box, second_box = first.bounding_box(), second.bounding_box()
    assert second_box["y"] >= first_box["y"] + first_box["height"]  # below, not beside
    page.set_viewport_size(DESKTOP)
    first_box, second_box = first.bounding_box(), second.bounding_box()
    assert second_box["y"] == first_box["y"] and second_box["x"] > first_box["x"]  # beside


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_learner_opens_a_japanese_report_beside_its_english_and_back(open_browser):
    report = side_by_side_report()
    page = open_browser(locale="ja-JP", viewport=NARROW_PHONE)
    page.goto(url_of(report, "ja"))
    page.locator('.pairing a[hreflang="en"]').click()
    assert page.url.endswith("?with=en")
    row = page.locator(".parallel__row--paragraph").first
    assert row.locator('[lang="ja"]').inner_text() == "撤退は月曜日に始まった。"
    assert row.locator('[lang="en"]').inner_text() == "The withdrawal began on Monday."
    page.locator(".pairing a:not([hreflang])").click()  # one language only
    assert page.locator(".parallel__row").count() == 0
    assert page.locator(".report__headline").inner_text() == "部隊が国境から撤退"
