"""Readers' journeys through the site in a real Chromium."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import PHONE, log_in, tab_to
from tests.factories import make_article, make_editor, make_reviewer, make_section, make_translator

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


def test_editor_writes_a_report_in_two_languages_publishes_it_and_reads_it(open_browser):
    make_section(name_en="World", name_ru="Мир")
    editor = make_editor()
    page = open_browser()

    log_in(page, editor)
    page.goto("/admin/articles/article/add/")

    english = {"headline": "Nikkei: Tokyo exchange extends trading", "summary": "Nikkei reported it.", "body": "Text."}
    russian = {"headline": "Никкэй: Токийская биржа продлевает торги", "summary": "Сообщила Никкэй.", "body": "Текст."}
    for field, text in english.items():
        page.locator(f"#id_{field}_en").fill(text)
    for field, text in russian.items():
        page.locator(f'li[aria-controls="tab_id_{field}_ru"]').click()
        assert not page.locator(f"#id_{field}_en").is_visible()
        page.locator(f"#id_{field}_ru").fill(text)
    page.get_by_label("Source outlet").fill("Nikkei")
    page.get_by_label("Section").select_option(label="World")
    page.get_by_label("Status").select_option(value=Article.Status.PUBLISHED)
    page.locator('input[name="translation_steps"][value="publish:ru"]').check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto("/ru/")
    page.get_by_role("link", name=russian["headline"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == russian["headline"]
    assert page.locator(".notice").count() == 0
    page.goto("/en/")
    assert page.get_by_role("link", name=english["headline"]).is_visible()


def test_reader_pages_load_without_a_failed_request_or_script_error(demo, open_browser):
    report = Article.objects.published().first()
    page = open_browser(viewport=PHONE)
    failures = []

    def record_failed_response(response):
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    def record_console_error(message):
        if message.type == "error":
            failures.append(message.text)

    page.on("response", record_failed_response)
    page.on("console", record_console_error)
    page.on("pageerror", lambda error: failures.append(str(error)))
    for address in ("/en/", report.get_absolute_url(), report.section.get_absolute_url()):
        page.goto(address)
        page.wait_for_load_state("networkidle")
    assert failures == []


def test_a_translator_submits_japanese_a_reviewer_publishes_it_and_only_then_readers_see_it(demo, open_browser):
    report = Article.objects.get(key="paris-translation-prize")  # not yet in Japanese
    english_headline = report.headline_en
    page = open_browser()

    log_in(page, make_translator("ja"))
    page.goto(f"/admin/articles/article/{report.pk}/change/")
    tabs = page.get_by_role("tab").all_inner_texts()
    assert {tab.strip() for tab in tabs} == {"日本語"}  # tabs name languages in their own names
    assert page.locator("#id_headline_en, #id_headline_ru, #id_source_name, #id_status").count() == 0

    others = page.locator("details", has_text="other languages")
    others.locator("summary").click()
    expect(others.get_by_text(english_headline)).to_be_visible()

    japanese = {
        "headline": "パリの翻訳賞、初めてフィンランド語の小説に",
        "summary": "ル・モンド紙が報じた。",
        "body": "本文。",
    }
    for field, text in japanese.items():
        page.locator(f"#id_{field}_ja").fill(text)
    assert page.locator('input[name="translation_steps"][value="publish:ja"]').count() == 0
    page.locator('input[name="translation_steps"][value="submit:ja"]').check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    reader = open_browser(locale="ja-JP")
    reader.goto("/ja/")
    expect(reader.get_by_role("link", name=japanese["headline"])).to_have_count(0)
    expect(reader.get_by_role("link", name=english_headline)).to_be_visible()

    reviewer = open_browser()
    log_in(reviewer, make_reviewer("ja"))
    reviewer.goto("/admin/articles/article/?review_in=ja")
    reviewer.get_by_role("link", name=english_headline).click()
    reviewer.locator('input[name="translation_steps"][value="publish:ja"]').check()
    reviewer.get_by_role("button", name="Save", exact=True).click()
    expect(reviewer.locator(".messagelist .success")).to_be_visible()

    reader.goto("/ja/")
    reader.get_by_role("link", name=japanese["headline"]).click()
    assert reader.get_by_role("heading", level=1).inner_text() == japanese["headline"]
    assert reader.locator(".notice").count() == 0
    report.refresh_from_db()
    assert report.headline_en == english_headline


def test_an_editor_shares_a_preview_link_that_works_without_an_account_until_withdrawn(open_browser):
    draft = make_article(languages=("en",), status=Article.Status.DRAFT, published_at=None)
    editor = make_editor()
    page = open_browser()
    log_in(page, editor)
    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    page.get_by_role("link", name="Preview in every language").click()
    page.get_by_role("button", name="Make a share link").click()
    link = page.locator("input.share-link").first.input_value()

    reader = open_browser()  # no account, no cookies
    reader.goto(link)
    assert reader.get_by_role("heading", level=1).inner_text() == draft.headline_en
    assert reader.locator('meta[name="robots"]').get_attribute("content") == "noindex"

    page.get_by_role("button", name="Stop sharing").click()
    reader.goto(link)
    assert reader.get_by_role("heading", level=1).inner_text() != draft.headline_en


def test_a_japanese_reader_searches_two_kanji_from_the_header_and_opens_the_report(open_browser):
    report = make_article(
        languages=("en", "ja"),
        headline_ja="米軍撤退、月曜日に始まる",
        summary_ja="日経新聞は、米軍撤退が月曜日に始まったと報じた。",
    )
    other = make_article(languages=("en", "ja"), headline_ja="東京の株価が上昇")
    page = open_browser(locale="ja-JP", viewport=PHONE)
    page.goto("/ja/")
    with translation.override("ja"):
        label = translation.gettext("Search reports")
    box = page.get_by_role("searchbox", name=label)
    tab_to(page, box)
    page.keyboard.type("撤退")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ja/search/?q=*")
    results = page.locator("main")
    expect(results.get_by_role("link", name=report.headline_ja)).to_be_visible()
    assert other.headline_ja not in results.inner_text()
    assert results.locator("mark").first.inner_text() in ("撤退", "撤", "退")
    results.get_by_role("link", name=report.headline_ja).click()
    assert page.get_by_role("heading", level=1).inner_text() == report.headline_ja
