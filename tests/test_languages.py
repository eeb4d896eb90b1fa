"""Choosing a language: negotiation, the switcher, the remembered choice, fallbacks."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import all_languages, make_article, make_section

pytestmark = pytest.mark.django_db


def switcher_links(response):
    """{language code: (href, attributes)} of the switcher on a page."""
    return {language["code"]: language for language in response.context["languages"]}


def test_root_redirects_to_the_language_the_browser_asks_for(client):
    response = client.get("/", headers={"accept-language": "ja,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


def test_root_redirects_to_the_default_language_for_an_unknown_browser_language(client):
    response = client.get("/", headers={"accept-language": "tlh"})
    assert response["Location"] == "/en/"


def test_a_remembered_choice_wins_over_the_browser_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/", headers={"accept-language": "ja"})
    assert response["Location"] == "/ru/"


def test_choosing_a_language_remembers_it_for_the_next_visit(client):
    response = client.get("/language/sa/", {"next": "/sa/"})
    assert response.status_code == 302
    assert response["Location"] == "/sa/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sa"
    assert client.get("/", headers={"accept-language": "de"})["Location"] == "/sa/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_choosing_a_language_never_redirects_off_site(client, next_url):
    response = client.get("/language/fr/", {"next": next_url})
    assert response["Location"] == "/fr/"


def test_choosing_an_unknown_language_is_404(client):
    assert client.get("/language/xx/", {"next": "/xx/"}).status_code == 404


def test_latin_and_sanskrit_pages_are_served_under_their_own_prefix(client):
    for code in ("la", "sa"):
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        assert response.context["LANGUAGE_CODE"] == code


def test_switcher_names_every_language_in_its_own_script(client):
    page = client.get("/en/").content.decode()
    for name in (
        "English",
        "Русский",
        "日本語",
        "Français",
        "Deutsch",
        "中文",
        "Ελληνικά",
        "Español",
        "Italiano",
        "Português",
        "Bahasa Indonesia",
        "Suomi",
        "Latina",
        "संस्कृतम्",
    ):
        assert name in page
    assert 'lang="ja" hreflang="ja"' in page
    assert 'lang="zh-Hans" hreflang="zh-Hans"' in page


def test_switcher_marks_the_current_language(client):
    links = switcher_links(client.get("/ru/"))
    assert links["ru"]["is_current"]
    assert not links["en"]["is_current"]
    assert 'aria-current="true">Русский' in client.get("/ru/").content.decode()


def test_switching_language_keeps_the_same_report(client):
    article = make_article(languages=all_languages())
    response = client.get(article.get_absolute_url())
    for code in all_languages():
        next_url = parse_qs(urlsplit(switcher_links(response)[code]["href"]).query)["next"][0]
        with translation.override(code):
            assert next_url == article.get_absolute_url()
        followed = client.get(next_url)
        assert followed.status_code == 200
        assert followed.context["article"] == article
        assert followed.context["edition"].language == code


def test_switching_language_keeps_the_same_section_and_page(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    section = make_section(name_en="World", slug_en="world", name_de="Welt", slug_de="welt")
    make_article(section=section)
    make_article(section=section)
    older = client.get("/en/section/world/").context["page_obj"].older
    response = client.get("/en/section/world/", {"before": older})
    href = switcher_links(response)["de"]["href"]
    assert parse_qs(urlsplit(href).query)["next"][0] == f"/de/section/welt/?before={older}"


def test_switcher_shows_which_languages_have_the_report(client):
    article = make_article(languages=["en", "fr"])
    links = switcher_links(client.get(article.get_absolute_url()))
    assert links["fr"]["has_report"]
    assert not links["ja"]["has_report"]
    assert "switcher__link--missing" in client.get(article.get_absolute_url()).content.decode()


def test_missing_translation_shows_fallback_text_with_its_own_lang_and_a_notice(client):
    article = make_article(languages=["en"])
    with translation.override("ja"):
        url = article.get_absolute_url()
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["edition"].language == "en"
    assert '<html lang="ja"' in page
    assert f'<h1 class="report__headline" lang="en" dir="ltr">{article.headline_en}</h1>' in page
    assert 'class="notice"' in page
    assert "この記事はまだ日本語に翻訳されていません。" in page


def test_fallback_is_the_language_the_report_was_written_in(client):
    article = make_article(languages=["de", "ru"], original_language="de", source_language="ru")
    assert article.edition_shown_in("ja").language == "de"
    assert article.edition_shown_in("ru").language == "ru"


def test_translated_report_shows_no_notice(client):
    article = make_article(languages=["en", "ja"])
    with translation.override("ja"):
        response = client.get(article.get_absolute_url())
    assert response.context["edition"].language == "ja"
    assert 'class="notice"' not in response.content.decode()


def test_partly_translated_language_falls_back_whole_never_a_mix(client):
    article = make_article(languages=["en"], headline_ja="見出しだけ翻訳済み")
    shown = article.edition_shown_in("ja")
    assert shown.language == "en"
    assert shown.headline == article.headline_en
